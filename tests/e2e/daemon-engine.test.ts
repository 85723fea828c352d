import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { TestDaemon, testToken, waitFor } from '../support/test-daemon.js';
import { launchBrowser, openGodot, type GodotSession } from './harness/browser.js';
import { buildProjectPack } from './harness/pack.js';

const root = path.resolve(import.meta.dirname ?? '.', '../..');
const exampleDir = path.join(root, 'examples/vr-demo');

let browser: Browser;
let pack: Buffer;
let daemon: TestDaemon;
let godot: GodotSession | undefined;

beforeAll(async () => {
  // The web template is a release build, so the pack opts in as a user would.
  pack = await buildProjectPack({
    projectDir: exampleDir,
    addonDir: path.join(root, 'godot-addon/addons/godot_bridge'),
    settings: { godot_bridge: { enabled_in_release: 'true' } },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await godot?.close();
  godot = undefined;
  await daemon?.stop();
});

/** Starts the daemon on the example project and a Godot engine linked to it. */
async function startLinked(): Promise<void> {
  daemon = await TestDaemon.start({ projectDir: exampleDir });
  godot = await openGodot(browser, { pack, port: daemon.port, token: testToken });
  await waitFor(() => daemon.daemon.context.registry.size === 1, 20_000);
}

function engineOutput(): string {
  return (godot?.logs ?? []).map((line) => `${line.stream}: ${line.text}`).join('\n');
}

describe('daemon and a real Godot 4.6 engine', () => {
  test('instances show the engine after its hello', async () => {
    await startLinked();
    const res = await daemon.request('GET', '/instances');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    const [instance] = res.body.instances;
    expect(instance.role).toBe('game');
    expect(instance.engine.major).toBe(4);
    expect(instance.engine.minor).toBe(6);
    expect(instance.engine_version).toMatch(/^4\.6/);
    expect(instance.project_name).toBe('Bridge VR Demo');
    expect(instance.platform).toBe('Web');
    expect(instance.current_scene).toBe('res://scenes/main.tscn');
  });

  test('load and info on the VR scene', async () => {
    await startLinked();
    const load = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/arena.tscn' },
    });
    expect(load.status).toBe(200);
    expect(load.body.scene.path).toBe('res://scenes/arena.tscn');
    expect(load.body.load_ms).toBeGreaterThanOrEqual(0);

    const back = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/main.tscn' },
    });
    expect(back.status).toBe(200);
    const info = await daemon.request('GET', '/scene');
    expect(info.status).toBe(200);
    expect(info.body.scene.path).toBe('res://scenes/main.tscn');
    expect(info.body.scene.root_type).toBe('Node3D');
    expect(info.body.scene.node_count).toBeGreaterThan(5);
    await waitFor(
      () =>
        daemon.daemon.context.registry.list()[0]?.info.currentScene === 'res://scenes/main.tscn',
    );
  });

  test('validate the good and the broken scene', async () => {
    await startLinked();
    const good = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/arena.tscn' },
    });
    expect(good.status).toBe(200);
    expect(good.body.passes_run).toEqual(['static', 'live']);
    expect({ valid: good.body.valid, errors: good.body.errors }).toEqual({
      valid: true,
      errors: [],
    });

    const broken = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/broken/missing_resource.tscn' },
    });
    expect(broken.status).toBe(200);
    expect(broken.body.valid).toBe(false);
    expect(broken.body.passes.static.valid).toBe(false);
    expect(broken.body.passes.live.valid).toBe(false);
    const liveText = JSON.stringify(broken.body.passes.live.errors);
    expect(liveText).toMatch(/missing|Cannot open|Failed loading/i);
    const staticCodes = broken.body.passes.static.errors.map((e: { code: string }) => e.code);
    expect(staticCodes).toContain('MISSING_EXTERNAL_RESOURCE');
    // Validation never changes the current scene.
    const info = await daemon.request('GET', '/scene');
    expect(info.body.scene.path).toBe('res://scenes/main.tscn');
  });

  test('reload the current scene', async () => {
    await startLinked();
    const res = await daemon.request('POST', '/scene/reload');
    expect(res.status).toBe(200);
    expect(res.body.scene.path).toBe('res://scenes/main.tscn');
  });

  test('loading the broken scene fails with engine messages', async () => {
    await startLinked();
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/broken/missing_resource.tscn' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('SCENE_LOAD_FAILED');
    const info = await daemon.request('GET', '/scene');
    expect(info.body.scene.path).toBe('res://scenes/main.tscn');
  });

  test('failed transactional batch restores the earlier scene', async () => {
    await startLinked();
    const res = await daemon.request('POST', '/batch', {
      body: {
        mode: 'transactional',
        operations: [
          { action: 'load', scene_path: 'res://scenes/arena.tscn' },
          { action: 'load', scene_path: 'res://scenes/menu.tscn' },
          { action: 'load', scene_path: 'res://scenes/broken/missing_resource.tscn' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.failed).toBe(1);
    expect(res.body.rolled_back).toBe(true);
    expect(res.body.rollback.status).toBe('restored');
    expect(res.body.operations[2].error.code).toBe('SCENE_LOAD_FAILED');
    const info = await daemon.request('GET', '/scene');
    expect(info.body.scene.path).toBe('res://scenes/main.tscn');
    expect(info.body.scene.root_type).toBe('Node3D');
  });

  test('scene_preload job reports progress and completes', async () => {
    await startLinked();
    const scenePaths = [
      'res://scenes/arena.tscn',
      'res://scenes/menu.tscn',
      'res://scenes/props/crate.tscn',
    ];
    const submitted = await daemon.request('POST', '/jobs', {
      body: { type: 'scene_preload', parameters: { scene_paths: scenePaths } },
    });
    expect(submitted.status).toBe(202);
    const id = submitted.body.job.id as string;

    const progress: number[] = [];
    let job: { status: string; progress: number; result: any } = submitted.body.job; // eslint-disable-line @typescript-eslint/no-explicit-any
    const deadline = Date.now() + 30_000;
    while (!['completed', 'failed', 'cancelled'].includes(job.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = (await daemon.request('GET', `/jobs/${id}`)).body.job;
      if (progress.at(-1) !== job.progress) progress.push(job.progress);
    }
    expect(job.status).toBe('completed');
    expect(job.progress).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(job.result.scenes.map((scene: { scene_path: string }) => scene.scene_path)).toEqual(
      scenePaths,
    );
    for (const scene of job.result.scenes) expect(scene.load_ms).toBeGreaterThanOrEqual(0);
    // Preloading never changes the current scene.
    const info = await daemon.request('GET', '/scene');
    expect(info.body.scene.path).toBe('res://scenes/main.tscn');
  });

  test('daemon answers 503 after the engine page closes', async () => {
    await startLinked();
    await godot!.close();
    godot = undefined;
    await waitFor(() => daemon.daemon.context.registry.size === 0, 10_000);
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('NO_INSTANCE');
    expect(engineOutput()).not.toContain('SCRIPT ERROR');
  });
});
