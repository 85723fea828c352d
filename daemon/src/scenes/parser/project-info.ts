import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { type ConfigFile, configValue, parseConfigFile, sectionProperties } from './config-file.js';
import type { ParseOptions } from './document.js';
import { numberOf, textOf } from './values.js';

export interface AutoloadEntry {
  name: string;
  /** The script or scene path, without the `*` marker. */
  path: string;
  /** True when the entry was written with a leading `*`: Godot adds it as a global singleton. */
  singleton: boolean;
}

export interface ProjectInfo {
  name?: string;
  description?: string;
  /** `application/run/main_scene` as written: a `res://` path or a `uid://` id. */
  mainScene?: string;
  autoloads: AutoloadEntry[];
  /** `config_version`: 5 for Godot 4, 4 for Godot 3. */
  configVersion?: number;
  /** `application/config/features`, such as `["4.3", "Forward Plus"]`. */
  features: string[];
  icon?: string;
  /** `editor_plugins/enabled`: the plugin.cfg paths of enabled editor plugins. */
  enabledPlugins: string[];
  config: ConfigFile;
}

/** Reads `project.godot` in `projectDir`: project name, main scene, autoloads and versions. */
export async function readProjectInfo(
  projectDir: string,
  options: ParseOptions = {},
): Promise<ProjectInfo> {
  const text = await readFile(join(projectDir, 'project.godot'), 'utf8');
  return projectInfoFrom(parseConfigFile(text, options));
}

/** Extracts the project facts from a parsed project.godot. */
export function projectInfoFrom(config: ConfigFile): ProjectInfo {
  return {
    name: textOf(configValue(config, 'application', 'config/name')),
    description: textOf(configValue(config, 'application', 'config/description')),
    mainScene: textOf(configValue(config, 'application', 'run/main_scene')),
    autoloads: autoloadsOf(config),
    configVersion: numberOf(configValue(config, '', 'config_version')),
    features: stringsOf(configValue(config, 'application', 'config/features')),
    icon: textOf(configValue(config, 'application', 'config/icon')),
    enabledPlugins: stringsOf(configValue(config, 'editor_plugins', 'enabled')),
    config,
  };
}

function autoloadsOf(config: ConfigFile): AutoloadEntry[] {
  const entries: AutoloadEntry[] = [];
  for (const property of sectionProperties(config, 'autoload')) {
    const raw = textOf(property.value);
    if (raw === undefined) continue;
    const singleton = raw.startsWith('*');
    entries.push({ name: property.key, path: singleton ? raw.slice(1) : raw, singleton });
  }
  return entries;
}

function stringsOf(value: ReturnType<typeof configValue>): string[] {
  if (value?.kind === 'PackedStringArray') return value.values;
  if (value?.kind === 'array')
    return value.items.map(textOf).filter((t): t is string => t !== undefined);
  return [];
}
