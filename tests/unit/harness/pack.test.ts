import { describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  buildProjectPack,
  GLOBAL_SCRIPT_CLASS_CACHE,
  patchProjectSettings,
  PCK_HEADER_SIZE,
  writePck,
} from '../../e2e/harness/pack.js';

const ROOT = path.resolve(import.meta.dirname ?? '.', '../../..');

interface DirectoryEntry {
  path: string;
  pathFieldLength: number;
  offset: number;
  size: number;
  md5: string;
  flags: number;
}

/** Reads a PCK's directory the way Godot 4.6 does, independent of the writer's code. */
function readDirectory(pck: Buffer): DirectoryEntry[] {
  let at = Number(pck.readBigUInt64LE(0x20));
  const count = pck.readUInt32LE(at);
  at += 4;
  const entries: DirectoryEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const pathFieldLength = pck.readUInt32LE(at);
    at += 4;
    const entryPath = pck.toString('utf8', at, at + pathFieldLength).replace(/\0+$/, '');
    at += pathFieldLength;
    entries.push({
      path: entryPath,
      pathFieldLength,
      offset: Number(pck.readBigUInt64LE(at)),
      size: Number(pck.readBigUInt64LE(at + 8)),
      md5: pck.toString('hex', at + 16, at + 32),
      flags: pck.readUInt32LE(at + 32),
    });
    at += 36;
  }
  expect(at).toBe(pck.length);
  return entries;
}

function fileData(pck: Buffer, entry: DirectoryEntry): Buffer {
  const base = Number(pck.readBigUInt64LE(0x18));
  return pck.subarray(base + entry.offset, base + entry.offset + entry.size);
}

describe('writePck', () => {
  const files = [
    { path: 'project.godot', data: Buffer.from('config_version=5\n') },
    { path: 'res://scenes/a.tscn', data: Buffer.alloc(32, 7) },
    { path: 'x.gd', data: Buffer.from('extends Node\n') },
  ];

  test('header names format 3 and Godot 4.6.0', () => {
    const pck = writePck(files);

    expect(pck.toString('ascii', 0, 4)).toBe('GDPC');
    expect(pck.readUInt32LE(0x04)).toBe(3);
    expect([pck.readUInt32LE(0x08), pck.readUInt32LE(0x0c), pck.readUInt32LE(0x10)]).toEqual([
      4, 6, 0,
    ]);
    expect(pck.readUInt32LE(0x14)).toBe(2);
    expect(pck.readBigUInt64LE(0x18)).toBe(0x70n);
    expect(pck.subarray(0x28, PCK_HEADER_SIZE).every((byte) => byte === 0)).toBe(true);
  });

  test('directory follows the aligned file data', () => {
    const pck = writePck(files);
    const dataSize = 32 + 32 + 16; // 17 and 13 bytes round up to 32 and 16
    expect(Number(pck.readBigUInt64LE(0x20))).toBe(PCK_HEADER_SIZE + dataSize);
  });

  test('entries carry paths, offsets, sizes and md5', () => {
    const pck = writePck(files);
    const entries = readDirectory(pck);

    expect(entries.map((entry) => entry.path)).toEqual(['project.godot', 'scenes/a.tscn', 'x.gd']);
    expect(entries.map((entry) => entry.offset)).toEqual([0, 32, 64]);
    expect(entries.map((entry) => entry.size)).toEqual([17, 32, 13]);
    entries.forEach((entry, index) => {
      const expected = files[index]?.data ?? Buffer.alloc(0);
      expect(entry.md5).toBe(createHash('md5').update(expected).digest('hex'));
      expect(entry.flags).toBe(0);
      expect(fileData(pck, entry).equals(expected)).toBe(true);
    });
  });

  test('path fields are padded to 4 bytes', () => {
    const entries = readDirectory(writePck(files));

    expect(entries.map((entry) => entry.pathFieldLength)).toEqual([16, 16, 4]);
  });

  test('file data starts on 16-byte boundaries with zero padding', () => {
    const pck = writePck(files);
    const base = Number(pck.readBigUInt64LE(0x18));
    for (const entry of readDirectory(pck)) {
      expect((base + entry.offset) % 16).toBe(0);
      const paddingEnd = base + entry.offset + Math.ceil(entry.size / 16) * 16;
      const padding = pck.subarray(base + entry.offset + entry.size, paddingEnd);
      expect(padding.every((byte) => byte === 0)).toBe(true);
    }
  });

  test('empty pack has an empty directory', () => {
    const pck = writePck([]);

    expect(pck.length).toBe(PCK_HEADER_SIZE + 4);
    expect(readDirectory(pck)).toEqual([]);
  });

  test.each(['../secret.gd', '/abs.gd', 'a\\b.gd'])('rejects path %s', (bad) => {
    expect(() => writePck([{ path: bad, data: Buffer.alloc(1) }])).toThrow(bad);
  });
});

describe('patchProjectSettings', () => {
  const text = [
    'config_version=5',
    '',
    '[application]',
    '',
    'config/name="Demo"',
    '',
    '[rendering]',
    '',
  ].join('\n');

  test('replaces an existing key', () => {
    const patched = patchProjectSettings(text, { application: { 'config/name': '"Other"' } });

    expect(patched).toContain('config/name="Other"');
    expect(patched).not.toContain('"Demo"');
  });

  test('adds a key at the end of its section', () => {
    const patched = patchProjectSettings(text, {
      application: { 'run/main_scene': '"res://a.tscn"' },
    });

    expect(patched.split('\n').slice(2, 7)).toEqual([
      '[application]',
      '',
      'config/name="Demo"',
      'run/main_scene="res://a.tscn"',
      '',
    ]);
  });

  test('appends a missing section', () => {
    const patched = patchProjectSettings(text, { godot_bridge: { enabled_in_release: 'true' } });

    expect(patched.endsWith('[godot_bridge]\n\nenabled_in_release=true')).toBe(true);
  });
});

describe('buildProjectPack', () => {
  test('packs the example project with the addon', async () => {
    const pck = await buildProjectPack({
      projectDir: path.join(ROOT, 'examples/vr-demo'),
      addonDir: path.join(ROOT, 'godot-addon/addons/godot_bridge'),
      settings: { godot_bridge: { enabled_in_release: 'true' } },
      files: { 'fixtures/extra.gd': 'extends Node\n' },
    });
    const entries = readDirectory(pck);
    const byPath = new Map(
      entries.map((entry) => [entry.path, fileData(pck, entry).toString('utf8')]),
    );

    expect(byPath.get('project.godot')).toContain('enabled_in_release=true');
    expect(byPath.get('project.godot')).toContain('config/name="Bridge VR Demo"');
    expect(byPath.has('scenes/main.tscn')).toBe(true);
    expect(byPath.has('scenes/props/crate.tscn')).toBe(true);
    expect(byPath.has('addons/godot_bridge/bridge.gd')).toBe(true);
    expect(byPath.has('addons/godot_bridge/plugin.cfg')).toBe(true);
    expect(byPath.get(GLOBAL_SCRIPT_CLASS_CACHE.path)).toBe('list=Array[Dictionary]([])\n');
    expect(byPath.get('fixtures/extra.gd')).toBe('extends Node\n');
    expect(new Set(entries.map((entry) => entry.path)).size).toBe(entries.length);
  });

  test('rejects a folder without project.godot', async () => {
    const addonDir = path.join(ROOT, 'godot-addon/addons/godot_bridge');

    await expect(buildProjectPack({ projectDir: addonDir, addonDir })).rejects.toThrow(
      'has no project.godot',
    );
  });
});
