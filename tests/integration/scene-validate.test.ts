import { TestDaemon } from '../support/test-daemon.js';

const brokenScene = [
  '[gd_scene load_steps=2 format=3]',
  '',
  '[ext_resource type="PackedScene" path="res://scenes/gone.tscn" id="1_abcde"]',
  '',
  '[node name="Broken" type="Node3D"]',
  '',
  '[node name="Child" parent="." instance=ExtResource("1_abcde")]',
  '',
].join('\n');

describe('scene validation passes', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({ files: { 'scenes/broken.tscn': brokenScene } });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('without Godot only the static pass runs', async () => {
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn' },
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.passes_run).toEqual(['static']);
    expect(res.body.passes.live).toBeUndefined();
  });

  test('static pass reports a missing resource with its line', async () => {
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/broken.tscn' },
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    const finding = res.body.errors.find(
      (e: { code: string }) => e.code === 'MISSING_EXTERNAL_RESOURCE',
    );
    expect(finding).toMatchObject({ pass: 'static', file: 'res://scenes/broken.tscn', line: 3 });
    expect(finding.message).toContain('res://scenes/gone.tscn');
  });

  test('with Godot connected both passes run and stay apart', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.validate', () => ({
      valid: false,
      errors: [
        { message: 'Cannot open file', file: 'res://scenes/gone.tscn', line: 0, kind: 'error' },
      ],
      warnings: [],
    }));
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/broken.tscn' },
    });
    expect(res.body.passes_run).toEqual(['static', 'live']);
    expect(res.body.passes.static.valid).toBe(false);
    expect(res.body.passes.live.errors).toHaveLength(1);
    expect(res.body.errors.map((e: { pass: string }) => e.pass)).toEqual(
      expect.arrayContaining(['static', 'live']),
    );
  });

  test('one failing pass makes the scene invalid', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.validate', () => ({
      valid: false,
      errors: [{ message: 'script failed', file: 'res://a.gd', line: 2, kind: 'script' }],
      warnings: [],
    }));
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn', mode: 'both' },
    });
    expect(res.body.passes.static.valid).toBe(true);
    expect(res.body.valid).toBe(false);
  });

  test('static mode skips Godot even when connected', async () => {
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn', mode: 'static' },
    });
    expect(res.body.passes_run).toEqual(['static']);
    expect(peer.received.filter((r) => r.method === 'scene.validate')).toHaveLength(0);
  });

  test('both mode with no instance gets 503', async () => {
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn', mode: 'both' },
    });
    expect(res.status).toBe(503);
  });

  test('unknown mode gets 400 naming the values', async () => {
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn', mode: 'quick' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"static", "live", "both"');
  });

  test('missing scene file is a static error', async () => {
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/nothing.tscn' },
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.errors[0].code).toBe('SCENE_NOT_FOUND');
  });

  test('status reports the project name', async () => {
    const res = await daemon.request('GET', '/status');
    expect(res.body.project.name).toBe('Test Project');
  });

  test('validation publishes scene.validated', async () => {
    const seen: Array<Record<string, unknown>> = [];
    daemon.daemon.context.events.subscribe((event) =>
      seen.push({ event: event.event, ...event.data }),
    );
    await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/broken.tscn' },
    });
    expect(seen).toEqual([
      expect.objectContaining({
        event: 'scene.validated',
        scene_path: 'res://scenes/broken.tscn',
        valid: false,
      }),
    ]);
  });
});
