import { execFileSync } from 'node:child_process';
import { symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  listScenes,
  SceneCache,
  uidTextToId,
  validateScene,
  type Finding,
} from '../../../daemon/src/scenes/static/index.js';
import { makeProject, removeProject, scene } from './project-fixture.js';

const projects: string[] = [];

async function project(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await makeProject(files);
  projects.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(projects.map(removeProject));
});

function codes(findings: Finding[]): string[] {
  return findings.map((finding) => finding.code);
}

const ROOT = '[node name="Root" type="Node2D"]';

describe('validateScene on valid scenes', () => {
  test('scene with script, instance and connection is valid', async () => {
    const dir = await project({
      'player.gd': 'extends Node2D\n',
      'enemy.tscn': scene(
        '[node name="Enemy" type="Node2D"]',
        '[node name="Sprite" type="Sprite2D" parent="."]',
      ),
      'main.tscn': scene(
        '[ext_resource type="Script" path="res://player.gd" id="1_a"]',
        '[ext_resource type="PackedScene" path="res://enemy.tscn" id="2_b"]',
        '[sub_resource type="RectangleShape2D" id="Rect_1"]',
        ROOT,
        'script = ExtResource("1_a")',
        '[node name="Enemy" parent="." instance=ExtResource("2_b")]',
        '[node name="Shape" type="CollisionShape2D" parent="Enemy/Sprite"]',
        'shape = SubResource("Rect_1")',
        '[connection signal="ready" from="Enemy/Sprite" to="." method="_on_ready"]',
      ),
    });
    const result = await validateScene(dir, 'res://main.tscn');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.scene_path).toBe('res://main.tscn');
    expect(result.legacy).toBe(false);
    expect(result.duration_ms).toBeGreaterThanOrEqual(0);
  });

  test('inherited scene reaches base nodes', async () => {
    const dir = await project({
      'base.tscn': scene(ROOT, '[node name="Body" type="Node2D" parent="."]'),
      'child.tscn': scene(
        '[ext_resource type="PackedScene" path="res://base.tscn" id="1"]',
        '[node name="Root" instance=ExtResource("1")]',
        '[node name="Extra" type="Node" parent="Body"]',
        '[connection signal="ready" from="Body" to="." method="_r"]',
      ),
    });
    const result = await validateScene(dir, 'res://child.tscn');
    expect(result.errors).toEqual([]);
  });

  test('relative ext_resource paths resolve against the scene folder', async () => {
    const dir = await project({
      'levels/a.gd': '',
      'levels/sub/level.tscn': scene(
        '[ext_resource type="Script" path="../a.gd" id="1"]',
        ROOT,
        'script = ExtResource("1")',
      ),
    });
    expect((await validateScene(dir, 'res://levels/sub/level.tscn')).errors).toEqual([]);
  });
});

describe('validateScene resource findings', () => {
  test('dangling ExtResource has line and column', async () => {
    const dir = await project({
      'a.tscn': scene(ROOT, 'script = ExtResource("9_missing")'),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({
        code: 'UNDEFINED_EXT_RESOURCE',
        file: 'res://a.tscn',
        line: 4,
        column: 10,
      }),
    ]);
  });

  test('SubResource before its section is undefined', async () => {
    const dir = await project({
      'a.tscn': [
        '[gd_scene format=3]',
        '[sub_resource type="Resource" id="A"]',
        'other = SubResource("B")',
        '[sub_resource type="Resource" id="B"]',
        ROOT,
        '',
      ].join('\n'),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(result.errors[0]).toMatchObject({ code: 'UNDEFINED_SUB_RESOURCE', line: 3, column: 9 });
    expect(result.errors[0]!.message).toMatch(/comes later, at line 4/);
  });

  test('duplicate ids are reported per namespace', async () => {
    const dir = await project({
      'a.gd': '',
      'a.tscn': scene(
        '[ext_resource type="Script" path="res://a.gd" id="1"]',
        '[ext_resource type="Script" path="res://a.gd" id="1"]',
        '[sub_resource type="Resource" id="1"]',
        ROOT,
      ),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_EXT_RESOURCE_ID', line: 4, column: 1 }),
    ]);
  });

  test('missing files and scripts are reported', async () => {
    const dir = await project({
      'a.tscn': scene(
        '[ext_resource type="Script" path="res://gone.gd" id="1"]',
        '[ext_resource type="Texture2D" path="res://gone.png" id="2"]',
        ROOT,
      ),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(codes(result.errors)).toEqual(['MISSING_SCRIPT', 'MISSING_EXTERNAL_RESOURCE']);
    expect(result.errors[1]).toMatchObject({ line: 4, column: 1 });
  });

  test('paths leaving the project are rejected', async () => {
    const dir = await project({
      'a.tscn': scene('[ext_resource type="Script" path="../../etc/passwd" id="1"]', ROOT),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(codes(result.errors)).toEqual(['PATH_OUTSIDE_PROJECT']);
  });

  test('scene paths outside the project are rejected', async () => {
    const dir = await project({});
    const result = await validateScene(dir, 'res://../outside.tscn');
    expect(codes(result.errors)).toEqual(['INVALID_SCENE_PATH']);
  });

  test('missing scene file is reported', async () => {
    const dir = await project({});
    const result = await validateScene(dir, 'res://nope.tscn');
    expect(codes(result.errors)).toEqual(['SCENE_NOT_FOUND']);
  });

  test('missing binary scene is reported', async () => {
    const dir = await project({});
    const result = await validateScene(dir, 'res://nope.scn');
    expect(result.valid).toBe(false);
    expect(codes(result.errors)).toEqual(['SCENE_NOT_FOUND']);
    expect(result.warnings).toEqual([]);
  });

  test('present binary scene is not read', async () => {
    const dir = await project({ 'bin.scn': 'RSRC' });
    const result = await validateScene(dir, 'res://bin.scn');
    expect(result.valid).toBe(true);
    expect(codes(result.warnings)).toEqual(['BINARY_SCENE_NOT_CHECKED']);
  });
});

describe('validateScene uid resolution', () => {
  test('uid from a .uid file wins over a stale path', async () => {
    const dir = await project({
      'scripts/moved.gd': '',
      'scripts/moved.gd.uid': 'uid://cabcd123\n',
      'a.tscn': scene(
        '[ext_resource type="Script" uid="uid://cabcd123" path="res://old/place.gd" id="1"]',
        ROOT,
      ),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  test('uid from uid_cache.bin resolves', async () => {
    const target = 'res://art/icon.png';
    const entry = Buffer.alloc(16 + target.length);
    entry.writeUInt32LE(1, 0);
    entry.writeBigInt64LE(uidTextToId('uid://bxyz')!, 4);
    entry.writeUInt32LE(target.length, 12);
    entry.write(target, 16, 'utf8');
    const dir = await project({
      '.godot/uid_cache.bin': entry,
      'art/icon.png': 'png',
      'a.tscn': scene(
        '[ext_resource type="Texture2D" uid="uid://bxyz" path="res://icon.png" id="1"]',
        ROOT,
      ),
    });
    expect((await validateScene(dir, 'res://a.tscn')).errors).toEqual([]);
  });

  test('unknown uid falls back to the path with a warning', async () => {
    const dir = await project({
      'a.gd': '',
      'a.tscn': scene(
        '[ext_resource type="Script" uid="uid://dunknown" path="res://a.gd" id="1"]',
        ROOT,
      ),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'UNKNOWN_UID', line: 3 })]);
  });

  test('uid text decodes as Godot does', () => {
    expect(uidTextToId('uid://a')).toBe(0n);
    expect(uidTextToId('uid://0')).toBe(25n);
    expect(uidTextToId('uid://ba')).toBe(34n);
    expect(uidTextToId('uid://B')).toBeUndefined();
  });
});

describe('validateScene node findings', () => {
  test('scene without nodes has no root', async () => {
    const dir = await project({ 'a.tscn': scene() });
    expect((await validateScene(dir, 'res://a.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'NO_ROOT_NODE', line: 1, column: 1 }),
    ]);
  });

  test('second parentless node is another root', async () => {
    const dir = await project({ 'a.tscn': scene(ROOT, '[node name="Other" type="Node"]') });
    expect((await validateScene(dir, 'res://a.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'MULTIPLE_ROOT_NODES', line: 4, column: 1 }),
    ]);
  });

  test('missing parent points at the parent attribute', async () => {
    const dir = await project({
      'a.tscn': scene(ROOT, '[node name="A" type="Node" parent="Nowhere"]'),
    });
    expect((await validateScene(dir, 'res://a.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'MISSING_PARENT', line: 4, column: 35 }),
    ]);
  });

  test('parent cycle reports both nodes', async () => {
    const dir = await project({
      'a.tscn': scene(
        ROOT,
        '[node name="A" type="Node" parent="B"]',
        '[node name="B" type="Node" parent="A"]',
      ),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(codes(result.errors)).toEqual(['MISSING_PARENT', 'MISSING_PARENT']);
    expect(result.errors.map((finding) => finding.line)).toEqual([4, 5]);
  });

  test('parent declared later is reported', async () => {
    const dir = await project({
      'a.tscn': scene(
        ROOT,
        '[node name="C" type="Node" parent="P"]',
        '[node name="P" type="Node" parent="."]',
      ),
    });
    const [finding] = (await validateScene(dir, 'res://a.tscn')).errors;
    expect(finding).toMatchObject({ code: 'MISSING_PARENT', line: 4 });
    expect(finding!.message).toMatch(/declared later, at line 5/);
  });

  test('duplicate sibling names are reported', async () => {
    const dir = await project({
      'a.tscn': scene(
        ROOT,
        '[node name="A" type="Node" parent="."]',
        '[node name="A" type="Node" parent="."]',
      ),
    });
    expect((await validateScene(dir, 'res://a.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_NODE_NAME', line: 5 }),
    ]);
  });

  test('root with parent is reported', async () => {
    const dir = await project({ 'a.tscn': scene('[node name="R" type="Node" parent="."]') });
    expect(codes((await validateScene(dir, 'res://a.tscn')).errors)).toEqual(['ROOT_HAS_PARENT']);
  });

  test('connection to an unknown node is reported', async () => {
    const dir = await project({
      'a.tscn': scene(ROOT, '[connection signal="pressed" from="Button" to="." method="_p"]'),
    });
    expect((await validateScene(dir, 'res://a.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'CONNECTION_UNKNOWN_NODE', line: 4, column: 35 }),
    ]);
  });
});

describe('validateScene file-level findings', () => {
  test('format 2 is a legacy warning', async () => {
    const dir = await project({
      'old.tscn': '[gd_scene load_steps=1 format=2]\n\n[node name="R" type="Spatial"]\n',
    });
    const result = await validateScene(dir, 'res://old.tscn');
    expect(result.legacy).toBe(true);
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'LEGACY_FORMAT', line: 1, column: 1 }),
    ]);
  });

  test('format 5 is an error', async () => {
    const dir = await project({ 'new.tscn': '[gd_scene format=5]\n[node name="R" type="Node"]\n' });
    expect((await validateScene(dir, 'res://new.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'FORMAT_TOO_NEW', line: 1, column: 18 }),
    ]);
  });

  test('truncated file is a parse error', async () => {
    const dir = await project({
      'cut.tscn': '[gd_scene format=3]\n[node name="R" type="Node"]\nposition = Vector2(1,',
    });
    expect((await validateScene(dir, 'res://cut.tscn')).errors).toEqual([
      expect.objectContaining({ code: 'PARSE_ERROR', file: 'res://cut.tscn', line: 3 }),
    ]);
  });

  test('resource file is not a scene', async () => {
    const dir = await project({ 'r.tscn': '[gd_resource type="Theme" format=3]\n[resource]\n' });
    expect(codes((await validateScene(dir, 'res://r.tscn')).errors)).toEqual(['NOT_A_SCENE']);
  });
});

describe('validateScene instanced scenes', () => {
  test('instance cycle is reported in the closing file', async () => {
    const dir = await project({
      'a.tscn': scene(
        '[ext_resource type="PackedScene" path="res://b.tscn" id="1"]',
        ROOT,
        '[node name="B" parent="." instance=ExtResource("1")]',
      ),
      'b.tscn': scene(
        '[ext_resource type="PackedScene" path="res://a.tscn" id="1"]',
        ROOT,
        '[node name="A" parent="." instance=ExtResource("1")]',
      ),
    });
    const result = await validateScene(dir, 'res://a.tscn');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'INSTANCE_CYCLE', file: 'res://b.tscn', line: 5 }),
    ]);
    expect(result.errors[0]!.message).toMatch(/res:\/\/a.tscn -> res:\/\/b.tscn -> res:\/\/a.tscn/);
  });

  test('errors in a nested scene name that file', async () => {
    const dir = await project({
      'child.tscn': scene(ROOT, '[node name="X" type="Node" parent="Missing"]'),
      'main.tscn': scene(
        '[ext_resource type="PackedScene" path="res://child.tscn" id="1"]',
        ROOT,
        '[node name="C" parent="." instance=ExtResource("1")]',
      ),
    });
    const result = await validateScene(dir, 'res://main.tscn');
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'MISSING_PARENT', file: 'res://child.tscn', line: 4 }),
    ]);
  });

  test('instance of a non-scene resource is reported', async () => {
    const dir = await project({
      'tex.png': 'png',
      'main.tscn': scene(
        '[ext_resource type="Texture2D" path="res://tex.png" id="1"]',
        ROOT,
        '[node name="C" parent="." instance=ExtResource("1")]',
      ),
    });
    expect(codes((await validateScene(dir, 'res://main.tscn')).errors)).toEqual([
      'INSTANCE_NOT_A_SCENE',
    ]);
  });
});

describe('scene cache and listing', () => {
  test('second validation reuses parsed files', async () => {
    const dir = await project({ 'a.tscn': scene(ROOT), 'b.tscn': scene(ROOT) });
    const cache = new SceneCache();
    await validateScene(dir, 'res://a.tscn', { cache });
    expect(cache.misses).toBe(1);
    await validateScene(dir, 'res://a.tscn', { cache });
    expect(cache.hits).toBe(1);
    expect(cache.misses).toBe(1);
  });

  test('changed file is parsed again', async () => {
    const dir = await project({ 'a.tscn': scene(ROOT) });
    const cache = new SceneCache();
    await validateScene(dir, 'res://a.tscn', { cache });
    await writeFile(join(dir, 'a.tscn'), scene());
    const later = new Date(Date.now() + 5000);
    await utimes(join(dir, 'a.tscn'), later, later);
    const result = await validateScene(dir, 'res://a.tscn', { cache });
    expect(cache.misses).toBe(2);
    expect(codes(result.errors)).toEqual(['NO_ROOT_NODE']);
  });

  test('listScenes skips dot folders and keeps addons', async () => {
    const dir = await project({
      'a.tscn': scene(ROOT),
      'addons/tool/t.tscn': scene(ROOT),
      '.godot/imported/x.tscn': scene(ROOT),
      '.hidden/y.tscn': scene(ROOT),
      'ignored/.gdignore': '',
      'ignored/z.tscn': scene(ROOT),
      'r.tres': '[gd_resource type="Theme" format=3]\n[resource]\n',
      'bin.scn': 'RSRC',
    });
    expect(await listScenes(dir)).toEqual([
      'res://a.tscn',
      'res://addons/tool/t.tscn',
      'res://bin.scn',
    ]);
  });
});

describe('validateScene on hostile files', () => {
  const secret = 'OUTSIDE SECRET LINE';

  /** Creates a second temporary folder, outside the project under test, holding a secret. */
  function outsideFolder(): Promise<string> {
    return project({ 'secret.tscn': `${secret}\n` });
  }

  test('symlinked scene outside the project is not read', async () => {
    const outside = await outsideFolder();
    const dir = await project({});
    await symlink(join(outside, 'secret.tscn'), join(dir, 'link.tscn'));

    const result = await validateScene(dir, 'res://link.tscn');

    expect(codes(result.errors)).toEqual(['PATH_OUTSIDE_PROJECT']);
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  test('instance through a symlinked folder is not read', async () => {
    const outside = await outsideFolder();
    const dir = await project({
      'main.tscn': scene(
        '[ext_resource type="PackedScene" path="res://shared/secret.tscn" id="1"]',
        ROOT,
        '[node name="Child" parent="." instance=ExtResource("1")]',
      ),
    });
    await symlink(outside, join(dir, 'shared'));

    const result = await validateScene(dir, 'res://main.tscn');

    expect(codes(result.errors)).toEqual(['PATH_OUTSIDE_PROJECT']);
    expect(result.errors[0]!.file).toBe('res://shared/secret.tscn');
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  test('symlink inside the project is followed', async () => {
    const dir = await project({ 'real.tscn': scene(ROOT) });
    await symlink(join(dir, 'real.tscn'), join(dir, 'alias.tscn'));

    const result = await validateScene(dir, 'res://alias.tscn');

    expect(result.errors).toEqual([]);
  });

  test('FIFO named as a scene does not block', async () => {
    const dir = await project({});
    execFileSync('mkfifo', [join(dir, 'pipe.tscn')]);

    const result = await validateScene(dir, 'res://pipe.tscn');

    expect(codes(result.errors)).toEqual(['SCENE_NOT_FOUND']);
    expect(result.errors[0]!.message).toContain('not a regular file');
  });

  test('folder named as a scene is reported', async () => {
    const dir = await project({ 'folder.tscn/inner.txt': 'x' });

    const result = await validateScene(dir, 'res://folder.tscn');

    expect(codes(result.errors)).toEqual(['SCENE_NOT_FOUND']);
    expect(result.errors[0]!.message).toContain('not a regular file');
  });
});
