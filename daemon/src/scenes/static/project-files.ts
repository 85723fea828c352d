import type { Dirent } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { diskToResPath } from './project-paths.js';

const SCENE_EXTENSIONS = ['.tscn', '.scn'];

/**
 * Lists every file under `projectDir` as `res://` paths, sorted. Like the
 * Godot editor's file system scan, it skips folders whose name starts with a
 * dot (`.godot/`, `.git/`) and folders that contain a `.gdignore` file.
 */
export async function listProjectFiles(projectDir: string): Promise<string[]> {
  const files: string[] = [];
  await walk(projectDir, projectDir, files);
  return files.sort();
}

/** Lists every scene (`*.tscn`, `*.scn`) in the project, `addons/` included, as sorted `res://` paths. */
export async function listScenes(projectDir: string): Promise<string[]> {
  const files = await listProjectFiles(projectDir);
  return files.filter(isScenePath);
}

export function isScenePath(path: string): boolean {
  const lower = path.toLowerCase();
  return SCENE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

async function walk(projectDir: string, folder: string, out: string[]): Promise<void> {
  const entries: Dirent[] = await readdir(folder, { withFileTypes: true });
  if (folder !== projectDir && (await hasGdignore(folder))) return;
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      await walk(projectDir, path, out);
    } else if (entry.isFile()) {
      out.push(diskToResPath(projectDir, path));
    }
  }
}

async function hasGdignore(folder: string): Promise<boolean> {
  try {
    await access(join(folder, '.gdignore'));
    return true;
  } catch {
    return false;
  }
}
