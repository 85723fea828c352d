import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Creates a temporary Godot project from a map of relative paths to contents. */
export async function makeProject(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'godot-bridge-scenes-'));
  const all: Record<string, string | Buffer> = {
    'project.godot': 'config_version=5\n[application]\nconfig/name="Fixture"\n',
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Builds scene text from its header attributes and section lines. */
export function scene(...sections: string[]): string {
  return ['[gd_scene format=3]', '', ...sections, ''].join('\n');
}
