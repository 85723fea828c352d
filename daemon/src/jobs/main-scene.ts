import { readProjectInfo } from '../scenes/parser/index.js';
import { listProjectFiles, UidIndex } from '../scenes/static/index.js';

/** The project's main scene as project.godot sets it, resolved to a res:// path when it can be. */
export interface MainScene {
  /** `application/run/main_scene` as written, or null when project.godot does not set it. */
  setting: string | null;
  /** The res:// path, or null when the setting is missing or its uid:// id is unknown. */
  path: string | null;
}

/**
 * Reads `application/run/main_scene` from project.godot. Since Godot 4.4 the
 * value may be a uid:// id, which is looked up in the project's UID index.
 * Raises when project.godot is missing or cannot be parsed.
 */
export async function readMainScene(projectDir: string): Promise<MainScene> {
  const setting = (await readProjectInfo(projectDir)).mainScene ?? null;
  if (setting === null || !setting.startsWith('uid://')) return { setting, path: setting };
  const index = await UidIndex.build(projectDir, await listProjectFiles(projectDir));
  return { setting, path: index.lookup(setting) ?? null };
}
