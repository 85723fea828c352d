import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../version.js';

/** Folder name of the addon inside a project's `addons/`. */
export const addonFolderName = 'godot_bridge';
/** The plugin's `plugin.cfg` as project.godot names it. */
export const pluginCfgPath = `res://addons/${addonFolderName}/plugin.cfg`;
/** The autoload the plugin registers, so a game run without the editor connects too. */
export const autoloadName = 'GodotBridge';
export const autoloadScriptPath = `res://addons/${addonFolderName}/bridge.gd`;

/** Returns the addon folder shipped in this package. */
export function packagedAddonDir(): string {
  return path.join(packageRoot, 'godot-addon', 'addons', addonFolderName);
}

/** Returns the addon's folder inside a project. */
export function projectAddonDir(projectDir: string): string {
  return path.join(projectDir, 'addons', addonFolderName);
}

/** Paths of the addon's files relative to `root`, with `/` separators, sorted. */
export function listAddonFiles(root: string, prefix = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) found.push(...listAddonFiles(root, relative));
    else if (entry.isFile()) found.push(relative);
  }
  return found.sort();
}

/** Reads the `version="..."` of a plugin.cfg, or returns undefined when absent or unreadable. */
export function pluginVersion(addonDir: string): string | undefined {
  try {
    const text = readFileSync(path.join(addonDir, 'plugin.cfg'), 'utf8');
    return /^version\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/** How a project's copy of the addon differs from the packaged one. */
export interface AddonComparison {
  missing: string[];
  changed: string[];
  same: string[];
}

/** Compares each packaged addon file with the project's copy, byte for byte. */
export function compareAddon(sourceDir: string, targetDir: string): AddonComparison {
  const result: AddonComparison = { missing: [], changed: [], same: [] };
  for (const file of listAddonFiles(sourceDir)) {
    const target = path.join(targetDir, file);
    if (!existsSync(target)) {
      result.missing.push(file);
    } else if (!readFileSync(target).equals(readFileSync(path.join(sourceDir, file)))) {
      result.changed.push(file);
    } else {
      result.same.push(file);
    }
  }
  return result;
}

/** Tells whether two paths are the same folder once links are followed. */
export function sameFolder(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
