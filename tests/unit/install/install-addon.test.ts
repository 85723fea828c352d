import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatInstallReport } from '../../../daemon/src/cli/install-addon-command.js';
import { listAddonFiles, packagedAddonDir } from '../../../daemon/src/install/addon-files.js';
import {
  ProjectFileError,
  installAddon,
  installChangedNothing,
} from '../../../daemon/src/install/install-addon.js';
import { parseConfigFile, projectInfoFrom } from '../../../daemon/src/scenes/parser/index.js';

const PLUGIN = 'res://addons/godot_bridge/plugin.cfg';
const AUTOLOAD = {
  name: 'GodotBridge',
  path: 'res://addons/godot_bridge/bridge.gd',
  singleton: true,
};
const corpus = process.env.GODOT_BRIDGE_CORPUS;

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function projectWith(projectGodot: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-install-'));
  temporary.push(dir);
  writeFileSync(path.join(dir, 'project.godot'), projectGodot);
  return dir;
}

function readProject(dir: string) {
  return readFileSync(path.join(dir, 'project.godot'), 'utf8');
}

/** Asserts that every line of `before` appears in `after` in the same order, except `skip` lines. */
function expectLinesKept(before: string, after: string, skip: (line: string) => boolean) {
  const remaining = after.split(/\r?\n/);
  let position = 0;
  for (const line of before.split(/\r?\n/)) {
    if (skip(line)) continue;
    const found = remaining.indexOf(line, position);
    expect({ line, kept: found >= 0 }).toEqual({ line, kept: true });
    position = found + 1;
  }
}

/** Installs into a copy of `original` and checks the outcome the command promises. */
function checkInstall(original: string) {
  const dir = projectWith(original);
  const before = projectInfoFrom(parseConfigFile(original));

  const first = installAddon({ projectDir: dir });
  expect(first.added).toEqual(listAddonFiles(packagedAddonDir()));
  expect(first.updated).toEqual([]);
  for (const file of first.added) {
    expect(readFileSync(path.join(dir, 'addons/godot_bridge', file))).toEqual(
      readFileSync(path.join(packagedAddonDir(), file)),
    );
  }

  const after = readProject(dir);
  const info = projectInfoFrom(parseConfigFile(after));
  expect(info.enabledPlugins).toEqual(
    before.enabledPlugins.includes(PLUGIN)
      ? before.enabledPlugins
      : [...before.enabledPlugins, PLUGIN],
  );
  expect(info.autoloads).toEqual([...before.autoloads, AUTOLOAD]);
  expect(info.name).toBe(before.name);
  expect(info.mainScene).toBe(before.mainScene);
  expect(info.features).toEqual(before.features);
  expectLinesKept(original, after, (line) => line.startsWith('enabled='));

  const second = installAddon({ projectDir: dir });
  expect(installChangedNothing(second)).toBe(true);
  expect(readProject(dir)).toBe(after);
  return { dir, first, after };
}

describe('installAddon on synthetic projects', () => {
  test('fresh project gets addon, plugin and autoload', () => {
    const original =
      '; Engine configuration file.\n\nconfig_version=5\n\n[application]\n\n' +
      'config/name="Fresh"\nconfig/features=PackedStringArray("4.6")\n';
    const { first, after } = checkInstall(original);
    expect(first.projectChanges).toHaveLength(2);
    expect(after).toContain('[autoload]\n\nGodotBridge="*res://addons/godot_bridge/bridge.gd"\n');
    expect(after).toContain(`[editor_plugins]\n\nenabled=PackedStringArray("${PLUGIN}")\n`);
  });

  test('existing plugins and autoloads are kept', () => {
    checkInstall(
      'config_version=5\n\n[application]\n\nconfig/name="Busy"\nrun/main_scene="res://main.tscn"\n\n' +
        '[autoload]\n\nMusic="*res://music.tscn"\nSave="res://save.gd"\n\n' +
        '[display]\n\nwindow/size/viewport_width=1280\n\n' +
        '[editor_plugins]\n\nenabled=PackedStringArray("res://addons/dialogue/plugin.cfg")\n\n' +
        '[input]\n\njump={\n"deadzone": 0.5,\n"events": []\n}\n',
    );
  });

  test('older addon files are replaced and other files kept', () => {
    const dir = projectWith('config_version=5\n\n[application]\n\nconfig/name="Old"\n');
    const addonDir = path.join(dir, 'addons/godot_bridge');
    mkdirSync(addonDir, { recursive: true });
    writeFileSync(path.join(addonDir, 'bridge.gd'), 'extends Node\n# an older version\n');
    writeFileSync(path.join(addonDir, 'bridge.gd.uid'), 'uid://b1234\n');
    writeFileSync(path.join(addonDir, 'my_notes.txt'), 'mine\n');
    mkdirSync(path.join(dir, 'addons/other'), { recursive: true });
    writeFileSync(path.join(dir, 'addons/other/plugin.cfg'), '[plugin]\n');

    const report = installAddon({ projectDir: dir });
    expect(report.updated).toEqual(['bridge.gd']);
    expect(report.added).not.toContain('bridge.gd');
    expect(readFileSync(path.join(addonDir, 'bridge.gd'))).toEqual(
      readFileSync(path.join(packagedAddonDir(), 'bridge.gd')),
    );
    expect(readFileSync(path.join(addonDir, 'bridge.gd.uid'), 'utf8')).toBe('uid://b1234\n');
    expect(readFileSync(path.join(addonDir, 'my_notes.txt'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(dir, 'addons/other/plugin.cfg'))).toBe(true);
  });

  test('Godot 3 project is refused and left untouched', () => {
    const original = 'config_version=4\n\n[application]\n\nconfig/name="Old"\n';
    const dir = projectWith(original);
    expect(() => installAddon({ projectDir: dir })).toThrow(ProjectFileError);
    expect(() => installAddon({ projectDir: dir })).toThrow(/Godot 3 project/);
    expect(readProject(dir)).toBe(original);
    expect(existsSync(path.join(dir, 'addons'))).toBe(false);
  });

  test('folder without project.godot is refused', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-install-'));
    temporary.push(dir);
    expect(() => installAddon({ projectDir: dir })).toThrow(/has no project.godot/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('linked addon folder is not copied onto itself', () => {
    const dir = projectWith('config_version=5\n\n[application]\n\nconfig/name="Linked"\n');
    mkdirSync(path.join(dir, 'addons'));
    symlinkSync(packagedAddonDir(), path.join(dir, 'addons/godot_bridge'));
    const report = installAddon({ projectDir: dir });
    expect(report.linked).toBe(true);
    expect(report.added).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.projectChanges).toHaveLength(2);
  });

  test('report lists each change, then nothing on a rerun', () => {
    const dir = projectWith('config_version=5\n');
    const report = installAddon({ projectDir: dir });
    const text = formatInstallReport(dir, report);
    expect(text).toContain('added   addons/godot_bridge/plugin.gd');
    expect(text).toContain('project.godot: enabled the plugin');
    expect(text).toContain('project.godot: added the autoload GodotBridge');
    expect(text).toContain(`npx godot-bridge start --project ${dir}`);
    const again = formatInstallReport(dir, installAddon({ projectDir: dir }));
    expect(again).toBe(
      'Nothing to change: the addon in addons/godot_bridge is up to date, enabled and autoloaded.\n',
    );
  });
});

function findProjectFiles(folder: string, out: string[] = []): string[] {
  for (const name of readdirSync(folder)) {
    const full = path.join(folder, name);
    if (statSync(full).isDirectory()) findProjectFiles(full, out);
    else if (name === 'project.godot') out.push(full);
  }
  return out;
}

if (!corpus) {
  describe('installAddon on corpus projects', () => {
    test('did not run: GODOT_BRIDGE_CORPUS is unset', () => {
      console.warn(
        'GODOT_BRIDGE_CORPUS is unset: install-addon was not run on real project.godot files. ' +
          'The synthetic cases above cover the same edits.',
      );
      expect(corpus).toBeUndefined();
    });
  });
} else {
  const files = findProjectFiles(path.join(corpus, 'project-godot'));
  const label = (file: string) => path.relative(corpus, file);
  const byVersion = (version: number) =>
    files.filter((file) =>
      new RegExp(`^config_version=${version}\\s*$`, 'm').test(readFileSync(file, 'utf8')),
    );

  describe('installAddon on corpus projects', () => {
    test('corpus holds Godot 4 and Godot 3 projects', () => {
      expect(byVersion(5).length).toBeGreaterThan(0);
      expect(byVersion(4).length).toBeGreaterThan(0);
    });

    test.each(byVersion(5).map((file) => [label(file), file]))(
      'installs into %s',
      (_name, file) => {
        checkInstall(readFileSync(file, 'utf8'));
      },
    );

    test.each(byVersion(4).map((file) => [label(file), file]))('refuses %s', (_name, file) => {
      const original = readFileSync(file, 'utf8');
      const dir = projectWith(original);
      expect(() => installAddon({ projectDir: dir })).toThrow(/config_version=4/);
      expect(readProject(dir)).toBe(original);
    });
  });
}
