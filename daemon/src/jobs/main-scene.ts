import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads `application/run/main_scene` from the project's project.godot, or
 * null when the file or the setting is missing. The value may be a res://
 * path or, since Godot 4.4, a uid:// id.
 *
 * NOTE: a single regular expression stands in for the project.godot parser
 * here. It reads only a plain `run/main_scene="..."` line and does not
 * check that the line sits in the [application] section.
 */
export async function readMainScene(projectDir: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path.join(projectDir, 'project.godot'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const match = /^run\/main_scene\s*=\s*"([^"]*)"\s*$/m.exec(text);
  return match?.[1] || null;
}
