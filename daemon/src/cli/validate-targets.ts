import { access } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

import picomatch from 'picomatch';

import { BridgeError } from '../errors/catalogue.js';
import { checkScenePath } from '../scenes/scene-path.js';
import { listScenes } from '../scenes/static/project-files.js';

/** Error in the command line: a missing project or a path that names no scene. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Picks the project folder: `--project` when given, else the current
 * directory when it holds project.godot.
 */
export async function resolveProjectDirFromCwd(
  option: string | undefined,
  cwd: string,
): Promise<string> {
  const dir = resolve(cwd, option ?? '.');
  try {
    await access(join(dir, 'project.godot'));
  } catch {
    const hint = option === undefined ? '; run it in a Godot project or pass --project DIR' : '';
    throw new UsageError(`No project.godot in ${dir}${hint}`);
  }
  return dir;
}

/**
 * Turns the command's arguments into `res://` scene paths. Arguments may be
 * `res://` paths, file paths (relative to `cwd`) or glob patterns matched
 * against the project's scenes relative to the project folder. No
 * arguments means every scene of the project.
 */
export async function resolveTargets(
  projectDir: string,
  args: readonly string[],
  cwd: string,
): Promise<string[]> {
  const all = await listScenes(projectDir);
  if (args.length === 0) return all;

  const selected = new Set<string>();
  for (const arg of args) {
    for (const scene of await targetsOf(projectDir, arg, cwd, all)) selected.add(scene);
  }
  return [...selected];
}

async function targetsOf(
  projectDir: string,
  arg: string,
  cwd: string,
  all: string[],
): Promise<string[]> {
  const pattern = arg.startsWith('res://') ? arg.slice('res://'.length) : undefined;
  if (picomatch.scan(arg).isGlob) {
    const isMatch = picomatch(pattern ?? arg, { dot: false });
    const matches = all.filter((scene) => isMatch(scene.slice('res://'.length)));
    if (matches.length === 0)
      throw new UsageError(`Pattern '${arg}' matched no scene in ${projectDir}`);
    return matches;
  }
  if (pattern !== undefined) return [checkedResPath(arg)];

  const absolute = resolve(cwd, arg);
  const inside = relative(projectDir, absolute);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new UsageError(`'${arg}' is not a file inside the project ${projectDir}`);
  }
  return [checkedResPath(`res://${inside.split(sep).join('/')}`)];
}

/** Applies the rules of the HTTP API to a res:// path: clean, and a .tscn or .scn file. */
function checkedResPath(resPath: string): string {
  try {
    return checkScenePath(resPath);
  } catch (error) {
    if (error instanceof BridgeError) throw new UsageError(error.message);
    throw error;
  }
}
