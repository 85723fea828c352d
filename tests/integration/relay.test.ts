import { NO_REPLY, RpcFailure } from '../support/protocol-peer.js';
import { TestDaemon, waitFor } from '../support/test-daemon.js';

describe('scene relay', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({
      config: { relay: { commandTimeoutMs: 300, loadTimeoutMs: 500 } },
    });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('no instance gets 503 saying how to connect', async () => {
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('NO_INSTANCE');
    expect(res.body.error.message).toContain('plugin');
  });

  test('instances lists the connected peer', async () => {
    const peer = await daemon.connectPeer({
      role: 'game',
      xr_active: true,
      current_scene: 'res://scenes/main.tscn',
    });
    const res = await daemon.request('GET', '/instances');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(1);
    const [instance] = res.body.instances;
    expect(instance.id).toBe(peer.instanceId);
    expect(instance.id).toMatch(/^game-[0-9a-f]{4}$/);
    expect(instance.role).toBe('game');
    expect(instance.engine_version).toBe('4.6.stable.test');
    expect(instance.project_name).toBe('Test Project');
    expect(instance.platform).toBe('Linux');
    expect(instance.xr_active).toBe(true);
    expect(instance.current_scene).toBe('res://scenes/main.tscn');
    expect(Date.parse(instance.connected_since)).not.toBeNaN();
  });

  test('get scene returns the current scene info', async () => {
    await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(200);
    expect(res.body.scene).toEqual({
      path: 'res://scenes/main.tscn',
      root_name: 'main',
      root_type: 'Node3D',
      node_count: 3,
    });
  });

  test('load relays the path and returns the new scene', async () => {
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/other.tscn' },
    });
    expect(res.status).toBe(200);
    expect(res.body.scene.path).toBe('res://scenes/other.tscn');
    expect(res.body.load_ms).toBe(1);
    expect(peer.received).toContainEqual({
      method: 'scene.load',
      params: { scene_path: 'res://scenes/other.tscn' },
    });
  });

  test('engine failure maps to its error code', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.load', () => {
      throw new RpcFailure(-32011, 'Failed loading resource', {
        engine_messages: [
          { message: 'Cannot open file', file: 'res://scenes/other.tscn', line: 4, kind: 'error' },
        ],
      });
    });
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/other.tscn' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('SCENE_LOAD_FAILED');
    expect(res.body.error.details.engine_messages[0].line).toBe(4);
  });

  test('missing scene in Godot gets 404', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.load', () => {
      throw new RpcFailure(-32010, 'scene file not found: res://scenes/gone.tscn');
    });
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/gone.tscn' },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SCENE_NOT_FOUND');
  });

  test('reload without a current scene gets 409', async () => {
    await daemon.connectPeer();
    const res = await daemon.request('POST', '/scene/reload');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NO_CURRENT_SCENE');
  });

  test('reload returns the reloaded scene', async () => {
    await daemon.connectPeer({ current_scene: 'res://scenes/main.tscn' });
    const res = await daemon.request('POST', '/scene/reload', { body: {} });
    expect(res.status).toBe(200);
    expect(res.body.scene.path).toBe('res://scenes/main.tscn');
  });

  test('live validate returns the engine findings', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.validate', () => ({
      valid: false,
      errors: [{ message: 'Parse Error', file: 'res://scenes/main.tscn', line: 3, kind: 'error' }],
      warnings: [],
    }));
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn', mode: 'live' },
    });
    expect(res.status).toBe(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.passes_run).toEqual(['live']);
    expect(res.body.errors).toEqual([
      {
        message: 'Parse Error',
        file: 'res://scenes/main.tscn',
        line: 3,
        kind: 'error',
        pass: 'live',
      },
    ]);
  });

  test('live validate with no instance gets 503', async () => {
    const res = await daemon.request('POST', '/scene/validate', {
      body: { scene_path: 'res://scenes/main.tscn', mode: 'live' },
    });
    expect(res.status).toBe(503);
  });

  test('several instances without a choice get 409 listing them', async () => {
    const game = await daemon.connectPeer({ role: 'game' });
    const editor = await daemon.connectPeer({ role: 'editor' });
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AMBIGUOUS_INSTANCE');
    expect(res.body.error.message).toContain(game.instanceId);
    expect(res.body.error.message).toContain(editor.instanceId);
    expect(res.body.error.details.instances).toHaveLength(2);
  });

  test('instance parameter picks by id and by role', async () => {
    const game = await daemon.connectPeer({
      role: 'game',
      current_scene: 'res://scenes/main.tscn',
    });
    await daemon.connectPeer({ role: 'editor', current_scene: 'res://scenes/other.tscn' });
    const byId = await daemon.request('GET', `/scene?instance=${game.instanceId}`);
    expect(byId.body.scene.path).toBe('res://scenes/main.tscn');
    const byRole = await daemon.request('GET', '/scene?instance=editor');
    expect(byRole.body.scene.path).toBe('res://scenes/other.tscn');
    const unknown = await daemon.request('GET', '/scene?instance=game-ffff');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('INSTANCE_NOT_FOUND');
  });

  test('missed deadline gets 504', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.info', () => NO_REPLY);
    const started = Date.now();
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('GODOT_TIMEOUT');
    expect(res.body.error.message).toContain('300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('loads get the longer deadline', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.load', async (params) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { scene: peer.sceneInfo(params.scene_path as string), load_ms: 400 };
    });
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/main.tscn' },
    });
    expect(res.status).toBe(200);
  });

  test('link dropped mid-command gets 503 at once', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.load', () => {
      setTimeout(() => peer.terminate(), 20);
      return NO_REPLY;
    });
    const res = await daemon.request('POST', '/scene/load', {
      body: { scene_path: 'res://scenes/main.tscn' },
    });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('GODOT_DISCONNECTED');
    await waitFor(() => daemon.daemon.context.registry.size === 0);
  });

  test('scene.changed notification updates the instance', async () => {
    const peer = await daemon.connectPeer();
    peer.notify('scene.changed', { current_scene: 'res://scenes/other.tscn' });
    await waitFor(
      () =>
        daemon.daemon.context.registry.list()[0]?.info.currentScene === 'res://scenes/other.tscn',
    );
    const res = await daemon.request('GET', '/instances');
    expect(res.body.instances[0].current_scene).toBe('res://scenes/other.tscn');
  });

  test('invalid result from the addon gets 502', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.info', () => ({ path: 5 }));
    const res = await daemon.request('GET', '/scene');
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('GODOT_ERROR');
  });

  test('load publishes scene.loaded and failure scene.failed', async () => {
    const seen: string[] = [];
    daemon.daemon.context.events.subscribe((event) => seen.push(event.event));
    const peer = await daemon.connectPeer();
    await daemon.request('POST', '/scene/load', { body: { scene_path: 'res://scenes/main.tscn' } });
    peer.on('scene.load', () => {
      throw new RpcFailure(-32011, 'broken');
    });
    await daemon.request('POST', '/scene/load', { body: { scene_path: 'res://scenes/main.tscn' } });
    expect(seen).toEqual(['scene.loaded', 'scene.failed']);
  });
});
