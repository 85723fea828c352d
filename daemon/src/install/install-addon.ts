import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  autoloadName,
  autoloadScriptPath,
  compareAddon,
  packagedAddonDir,
  pluginCfgPath,
  projectAddonDir,
  sameFolder,
} from './addon-files.js';
import {
  ProjectFileError,
  addAutoload,
  enableEditorPlugin,
  parseGodot4Project,
} from './project-file.js';

export interface InstallOptions {
  projectDir: string;
  /** The addon folder to copy; the one in this package by default. */
  sourceDir?: string;
}

export interface InstallReport {
  addonDir: string;
  /** Addon files that were not in the project before, relative to the addon folder. */
  added: string[];
  /** Addon files whose content was replaced with the packaged version. */
  updated: string[];
  /** Changes to project.godot, in words. */
  projectChanges: string[];
  /** True when the project's addon folder is the packaged one (a link), so nothing was copied. */
  linked: boolean;
}

/**
 * Copies the addon into `projectDir/addons/godot_bridge`, replacing older
 * copies of its files and leaving every other file alone, then enables the
 * plugin and adds the autoload in project.godot. Raises ProjectFileError
 * before touching anything when project.godot is missing, unreadable or not
 * a Godot 4 file.
 */
export function installAddon(options: InstallOptions): InstallReport {
  const projectDir = path.resolve(options.projectDir);
  const sourceDir = options.sourceDir ?? packagedAddonDir();
  const projectFile = path.join(projectDir, 'project.godot');
  if (!existsSync(projectFile)) {
    throw new ProjectFileError(
      `${projectDir} has no project.godot. Pass the folder of a Godot 4 project (the one that ` +
        'holds project.godot).',
    );
  }
  const original = readFileSync(projectFile, 'utf8');
  parseGodot4Project(original, projectFile);

  const addonDir = projectAddonDir(projectDir);
  const report: InstallReport = {
    addonDir,
    added: [],
    updated: [],
    projectChanges: [],
    linked: sameFolder(sourceDir, addonDir),
  };
  if (!report.linked) {
    const comparison = compareAddon(sourceDir, addonDir);
    for (const file of [...comparison.missing, ...comparison.changed]) {
      const target = path.join(addonDir, file);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(sourceDir, file), target);
    }
    report.added = comparison.missing;
    report.updated = comparison.changed;
  }

  let text = original;
  for (const edit of [
    (current: string) => enableEditorPlugin(current, pluginCfgPath),
    (current: string) => addAutoload(current, autoloadName, autoloadScriptPath),
  ]) {
    const result = edit(text);
    text = result.text;
    if (result.change) report.projectChanges.push(result.change);
  }
  if (text !== original) writeFileSync(projectFile, text);
  return report;
}

/** Tells whether an install changed nothing at all. */
export function installChangedNothing(report: InstallReport): boolean {
  return (
    report.added.length === 0 && report.updated.length === 0 && report.projectChanges.length === 0
  );
}

export { ProjectFileError };
