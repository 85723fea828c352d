import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMainScene } from '../../../daemon/src/jobs/main-scene.js';

describe('readMainScene', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-main-scene-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function project(application: string): void {
    writeFileSync(
      path.join(dir, 'project.godot'),
      `config_version=5\n\n[application]\n\nconfig/name="P"\n${application}\n`,
    );
  }

  test('reads a res:// main scene', async () => {
    project('run/main_scene="res://scenes/main.tscn"');
    expect(await readMainScene(dir)).toEqual({
      setting: 'res://scenes/main.tscn',
      path: 'res://scenes/main.tscn',
    });
  });

  test('returns null without the setting', async () => {
    project('');
    expect(await readMainScene(dir)).toEqual({ setting: null, path: null });
  });

  test('resolves a uid:// main scene', async () => {
    project('run/main_scene="uid://b7x3kq2m1p0a"');
    writeFileSync(
      path.join(dir, 'start.tscn'),
      '[gd_scene format=3 uid="uid://b7x3kq2m1p0a"]\n\n[node name="Start" type="Node"]\n',
    );
    expect(await readMainScene(dir)).toEqual({
      setting: 'uid://b7x3kq2m1p0a',
      path: 'res://start.tscn',
    });
  });

  test('unknown uid leaves the path null', async () => {
    project('run/main_scene="uid://cccccccccccc"');
    expect((await readMainScene(dir)).path).toBeNull();
  });

  test('missing project.godot raises', async () => {
    await expect(readMainScene(dir)).rejects.toThrow(/project\.godot/);
  });
});
