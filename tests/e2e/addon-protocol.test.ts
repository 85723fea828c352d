import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, openGodot, type GodotSession } from './harness/browser.js';
import { startLinkServer, type LinkServer, type LinkServerOptions } from './harness/link-server.js';
import { buildProjectPack, type ProjectPackOptions } from './harness/pack.js';

const ROOT = path.resolve(import.meta.dirname ?? '.', '../..');
const TOKEN = 'e2e-pairing-token';

/** A scene whose script does not parse; test-only, so it lives in the pack, not the example. */
const BROKEN_SCRIPT_FILES = {
  'fixtures/broken_script.gd': 'extends Node3D\n\n\nfunc _ready() -> void:\n\tvar speed: int = \n',
  'fixtures/broken_script.tscn': [
    '[gd_scene load_steps=2 format=3]',
    '',
    '[ext_resource type="Script" path="res://fixtures/broken_script.gd" id="1_b7k3z"]',
    '',
    '[node name="BrokenScript" type="Node3D"]',
    'script = ExtResource("1_b7k3z")',
    '',
  ].join('\n'),
};

let browser: Browser;
let pack: Buffer;
let link: LinkServer | undefined;
let godot: GodotSession | undefined;

/** Packs the example project and the addon with the given settings and extra files. */
function buildTestPack(options: Pick<ProjectPackOptions, 'settings' | 'files'>): Promise<Buffer> {
  return buildProjectPack({
    projectDir: path.join(ROOT, 'examples/vr-demo'),
    addonDir: path.join(ROOT, 'godot-addon/addons/godot_bridge'),
    ...options,
  });
}

beforeAll(async () => {
  // The web template is a release build, so the test project opts in as a user would.
  pack = await buildTestPack({
    settings: { godot_bridge: { enabled_in_release: 'true' } },
    files: BROKEN_SCRIPT_FILES,
  });
  browser = await launchBrowser();
});

afterEach(async () => {
  await godot?.close();
  await link?.close();
  godot = undefined;
  link = undefined;
});

afterAll(async () => {
  await browser?.close();
});

/** Starts a link server and an engine, and returns the server once it replied to the hello. */
async function startLinkedGodot(options: Partial<LinkServerOptions> = {}): Promise<LinkServer> {
  link = await startLinkServer({ token: TOKEN, ...options });
  godot = await openGodot(browser, { pack, port: link.port, token: TOKEN });
  await link.nextHello();
  return link;
}

function godotOutput(): string {
  return (godot?.logs ?? []).map((line) => `${line.stream}: ${line.text}`).join('\n');
}

describe('addon link to a real Godot 4.6 engine', () => {
  test('hello describes the running game', async () => {
    link = await startLinkServer({ token: TOKEN });
    godot = await openGodot(browser, { pack, port: link.port, token: TOKEN });
    const { hello } = await link.nextHello();

    expect(hello.method).toBe('hello');
    expect(hello.id).toBe('1');
    const params = hello.params ?? {};
    expect(params.token).toBe(TOKEN);
    expect(params.protocol_version).toBe(1);
    expect(params.addon_version).toBe('0.1.0');
    expect(params.engine_version).toMatchObject({ major: 4, minor: 6, patch: 0, status: 'stable' });
    expect(params.role).toBe('game');
    expect(params.project_name).toBe('Bridge VR Demo');
    expect(params.platform).toBe('Web');
    expect(params.xr_active).toBe(false);
    expect(params.current_scene).toBe('res://scenes/main.tscn');
    expect(params.instance_name).toBe('');
    expect(typeof params.frame_time_ms).toBe('number');
  });

  test('scene.info returns the main scene', async () => {
    const server = await startLinkedGodot();
    const response = await server.request('scene.info');

    expect(response.error).toBeUndefined();
    expect(response.result).toEqual({
      path: 'res://scenes/main.tscn',
      root_name: 'Main',
      root_type: 'Node3D',
      node_count: 11,
    });
  });

  test('scene.load swaps scenes and reports the change', async () => {
    const server = await startLinkedGodot();

    const arena = await server.request('scene.load', { scene_path: 'res://scenes/arena.tscn' });
    expect(arena.error).toBeUndefined();
    expect(arena.result?.scene).toEqual({
      path: 'res://scenes/arena.tscn',
      root_name: 'Arena',
      root_type: 'Node3D',
      node_count: 14,
    });
    expect(arena.result?.engine_messages).toEqual([]);
    expect(typeof arena.result?.load_ms).toBe('number');
    const changed = await server.waitForNotification('scene.changed');
    expect(changed.params).toEqual({ current_scene: 'res://scenes/arena.tscn' });

    const main = await server.request('scene.load', { scene_path: 'res://scenes/main.tscn' });
    expect(main.result?.scene).toMatchObject({ path: 'res://scenes/main.tscn', node_count: 11 });
    const info = await server.request('scene.info');
    expect(info.result?.path).toBe('res://scenes/main.tscn');
    await server.waitForNotification(
      'scene.changed',
      (params) => params.current_scene === 'res://scenes/main.tscn',
    );
  });

  test('scene.load rejects a second change in flight', async () => {
    const server = await startLinkedGodot();
    const first = server.request('scene.load', { scene_path: 'res://scenes/arena.tscn' });
    const second = server.request('scene.load', { scene_path: 'res://scenes/menu.tscn' });

    expect((await second).error?.code).toBe(-32013);
    expect((await first).result?.scene).toMatchObject({ path: 'res://scenes/arena.tscn' });
  });

  test('scene.load reports missing and broken scenes', async () => {
    const server = await startLinkedGodot();

    const missingFile = await server.request('scene.load', {
      scene_path: 'res://scenes/nope.tscn',
    });
    expect(missingFile.error?.code).toBe(-32010);
    expect(missingFile.error?.message).toContain('res://scenes/nope.tscn');

    const notResPath = await server.request('scene.load', { scene_path: '/etc/passwd.tscn' });
    expect(notResPath.error?.code).toBe(-32602);
    const noPath = await server.request('scene.load', {});
    expect(noPath.error?.code).toBe(-32602);

    const broken = await server.request('scene.load', {
      scene_path: 'res://scenes/broken/missing_resource.tscn',
    });
    expect(broken.error?.code).toBe(-32011);
    const data = broken.error?.data as { engine_messages: Array<{ message: string }> };
    const messages = data.engine_messages.map((entry) => entry.message);
    expect(messages).toContain("Cannot open file 'res://scenes/props/barrel.tscn'.");

    const info = await server.request('scene.info');
    expect(info.result?.path).toBe('res://scenes/main.tscn');
  });

  test('scene.validate accepts a good scene without loading it', async () => {
    const server = await startLinkedGodot();
    const response = await server.request('scene.validate', {
      scene_path: 'res://scenes/arena.tscn',
    });

    expect(response.result).toMatchObject({
      valid: true,
      errors: [],
      warnings: [],
      node_count: 14,
    });
    expect(typeof response.result?.duration_ms).toBe('number');
    const info = await server.request('scene.info');
    expect(info.result?.path).toBe('res://scenes/main.tscn');
  });

  test('scene.validate reports a missing dependency', async () => {
    const server = await startLinkedGodot();
    const response = await server.request('scene.validate', {
      scene_path: 'res://scenes/broken/missing_resource.tscn',
    });

    expect(response.result?.valid).toBe(false);
    expect(response.result?.node_count).toBe(0);
    const errors = response.result?.errors as Array<{
      message: string;
      file: string;
      kind: string;
    }>;
    expect(errors).toContainEqual(
      expect.objectContaining({
        message: "Cannot open file 'res://scenes/props/barrel.tscn'.",
        kind: 'error',
      }),
    );
    expect(errors.map((error) => error.message)).toContain('Scene instance is missing.');
  });

  test('scene.validate reports a broken script every time', async () => {
    const server = await startLinkedGodot();
    for (const attempt of [1, 2]) {
      const response = await server.request('scene.validate', {
        scene_path: 'res://fixtures/broken_script.tscn',
      });
      const errors = response.result?.errors as Array<{
        message: string;
        file: string;
        kind: string;
      }>;

      expect({ attempt, valid: response.result?.valid }).toEqual({ attempt, valid: false });
      expect(errors).toContainEqual(
        expect.objectContaining({ file: 'res://fixtures/broken_script.gd', kind: 'script' }),
      );
      const parseError = errors.find((error) => /parse/i.test(error.message));
      expect({ attempt, parseError: parseError !== undefined }).toEqual({
        attempt,
        parseError: true,
      });
    }
  });

  test('scene.reload replaces the current scene', async () => {
    const server = await startLinkedGodot();
    const response = await server.request('scene.reload');

    expect(response.error).toBeUndefined();
    expect(response.result?.scene).toMatchObject({
      path: 'res://scenes/main.tscn',
      node_count: 11,
    });
    await server.waitForNotification(
      'scene.changed',
      (params) => params.current_scene === 'res://scenes/main.tscn',
    );
  });

  test('scene.preload caches without changing scenes', async () => {
    const server = await startLinkedGodot();
    const response = await server.request('scene.preload', {
      scene_path: 'res://scenes/menu.tscn',
    });

    expect(response.result).toMatchObject({ scene_path: 'res://scenes/menu.tscn', cached: true });
    const info = await server.request('scene.info');
    expect(info.result?.path).toBe('res://scenes/main.tscn');
  });

  test('unknown method gets -32601', async () => {
    const server = await startLinkedGodot();
    const response = await server.request('scene.explode', {});

    expect(response.error?.code).toBe(-32601);
    expect(response.error?.message).toContain('scene.explode');
  });

  test('rejected hello is printed as an error', async () => {
    const message = 'Protocol version 1 is not supported; this daemon speaks version 2.';
    const server = await startLinkedGodot({ rejectHello: { closeCode: 4002, message } });

    await expect(waitForLog((text) => text.includes(message))).resolves.toContain('godot_bridge');
    // After a rejection the addon waits the longest backoff (30 s) before it tries again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(server.received.filter((entry) => entry.method === 'hello')).toHaveLength(1);
  });

  test('instance.status reports frame timing', async () => {
    const server = await startLinkedGodot();
    const status = await server.waitForNotification('instance.status');

    expect(typeof status.params?.frame_time_ms).toBe('number');
    expect(status.params?.frame_time_ms).toBeGreaterThan(0);
    expect(typeof status.params?.fps).toBe('number');
    expect(status.params?.xr_active).toBe(false);
  });

  test('discovery files supply the url and token', async () => {
    link = await startLinkServer({ token: 'discovered-token' });
    const discoveryPack = await buildTestPack({
      settings: { godot_bridge: { enabled_in_release: 'true', instance_name: '"quest-1"' } },
      files: {
        '.godot/godot_bridge/daemon.json': JSON.stringify({
          url: `ws://127.0.0.1:${link.port}/godot`,
          pid: process.pid,
          version: '0.1.0',
        }),
        '.godot/godot_bridge/token': 'discovered-token\n',
      },
    });
    godot = await openGodot(browser, { pack: discoveryPack });
    const { hello } = await link.nextHello();

    expect(hello.params?.token).toBe('discovered-token');
    expect(hello.params?.instance_name).toBe('quest-1');
    const info = await link.request('scene.info');
    expect(info.result?.path).toBe('res://scenes/main.tscn');
  });

  test('release build stays off without opt-in', async () => {
    link = await startLinkServer({ token: TOKEN });
    const releasePack = await buildTestPack({ settings: {} });
    godot = await openGodot(browser, {
      pack: releasePack,
      port: link.port,
      token: TOKEN,
      engineArgs: ['--headless', '--verbose'],
    });

    await waitForLog((text) => text.includes('godot_bridge: off in this release build'));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(link.received).toEqual([]);
  });

  test('addon reconnects after the daemon drops it', async () => {
    const server = await startLinkedGodot();
    server.dropConnection(1001);

    const again = await server.nextHello();
    expect(again.hello.method).toBe('hello');
    expect(again.hello.params?.current_scene).toBe('res://scenes/main.tscn');
    const info = await server.request('scene.info');
    expect(info.result?.path).toBe('res://scenes/main.tscn');
  });
});

async function waitForLog(matches: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = godot?.logs.find((entry) => matches(entry.text));
    if (line) {
      return line.text;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No matching Godot output within ${timeoutMs} ms. Output:\n${godotOutput()}`);
}
