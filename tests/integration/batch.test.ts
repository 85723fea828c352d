import { NO_REPLY, RpcFailure } from '../support/protocol-peer.js';
import { TestDaemon, waitFor } from '../support/test-daemon.js';

const main = 'res://scenes/main.tscn';
const other = 'res://scenes/other.tscn';

/** Minimal scene files for every path `validates` makes, so the static pass finds them. */
function sceneFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of ['scenes', 'a', 'b']) {
    for (let i = 0; i < 60; i++) {
      files[`${folder}/scene_${i}.tscn`] =
        '[gd_scene format=3]\n\n[node name="Root" type="Node"]\n';
    }
  }
  return files;
}

/** `count` validate operations on distinct paths under `folder`. */
function validates(count: number, folder = 'scenes'): Array<Record<string, string>> {
  return Array.from({ length: count }, (_, i) => ({
    action: 'validate',
    scene_path: `res://${folder}/scene_${i}.tscn`,
  }));
}

describe('POST /batch envelope', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({
      files: sceneFiles(),
      config: { batch: { rateLimit: 1000 } },
    });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test.each([
    ['missing operations', {}, 'operations is required'],
    ['empty operations', { operations: [] }, 'operations must NOT have fewer than 1 items'],
    ['non-array operations', { operations: { action: 'load' } }, 'operations must be array'],
    ['unknown mode', { mode: 'atomic', operations: validates(1) }, 'mode must be one of'],
    ['unknown field', { operations: validates(1), retry: true }, 'unknown field "retry"'],
    ['non-object body', [validates(1)], 'body must be object'],
  ])('%s gets 400', async (_name, body, problem) => {
    await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', { body });
    expect(res.status).toBe(400);
    expect(res.body.success).toBe(false);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(problem);
    expect(daemon.peers[0]!.received).toEqual([]);
  });

  test('no body gets 400 naming operations', async () => {
    const res = await daemon.request('POST', '/batch');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('operations is required');
  });

  test('51 operations get 400 naming the maximum', async () => {
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', { body: { operations: validates(51) } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('51 operations');
    expect(res.body.error.message).toContain('batch.maxOperations');
    expect(res.body.error.details).toEqual({ count: 51, max_operations: 50 });
    expect(peer.received).toEqual([]);
  });

  test('50 operations are accepted', async () => {
    await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', { body: { operations: validates(50) } });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(50);
    expect(res.body.successful).toBe(50);
  });

  test('invalid JSON gets 400', async () => {
    const res = await daemon.request('POST', '/batch', { rawBody: '{"operations": [' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_JSON');
  });

  test('missing token gets 401', async () => {
    const res = await daemon.request('POST', '/batch', {
      body: { operations: validates(1) },
      token: null,
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });

  test('wrong token gets 401', async () => {
    const res = await daemon.request('POST', '/batch', {
      body: { operations: validates(1) },
      token: 'not-the-token-0123456789',
    });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  test('unknown instance selector gets 404', async () => {
    await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch?instance=game-ffff', {
      body: { operations: validates(1) },
    });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('INSTANCE_NOT_FOUND');
  });

  test('instance selector picks the target', async () => {
    const game = await daemon.connectPeer({ role: 'game', current_scene: main });
    const editor = await daemon.connectPeer({ role: 'editor', current_scene: other });
    const res = await daemon.request('POST', '/batch?instance=editor', {
      body: { operations: [{ action: 'get_info' }] },
    });
    expect(res.status).toBe(200);
    expect(res.body.instance).toBe(editor.instanceId);
    expect(res.body.operations[0].result.scene.path).toBe(other);
    expect(game.received).toEqual([]);
  });

  test('several instances without a selector get 409', async () => {
    await daemon.connectPeer({ role: 'game' });
    await daemon.connectPeer({ role: 'editor' });
    const res = await daemon.request('POST', '/batch', { body: { operations: validates(1) } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('AMBIGUOUS_INSTANCE');
  });
});

describe('POST /batch in continue mode', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({
      files: sceneFiles(),
      config: { batch: { rateLimit: 1000 }, relay: { commandTimeoutMs: 300, loadTimeoutMs: 500 } },
    });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('mode defaults to continue', async () => {
    await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', { body: { operations: validates(1) } });
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('continue');
    expect(res.body.rolled_back).toBeUndefined();
    expect(res.body.rollback).toBeUndefined();
  });

  test('single operation returns its result', async () => {
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', {
      body: { operations: [{ action: 'load', scene_path: other }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      mode: 'continue',
      instance: peer.instanceId,
      total: 1,
      successful: 1,
      failed: 0,
      skipped: 0,
      message: 'The operation succeeded.',
    });
    const [report] = res.body.operations;
    expect(report).toMatchObject({
      index: 0,
      action: 'load',
      scene_path: other,
      success: true,
      status: 'succeeded',
    });
    expect(report.result.scene.path).toBe(other);
    expect(report.error).toBeUndefined();
    expect(typeof report.duration_ms).toBe('number');
    expect(peer.received).toEqual([{ method: 'scene.load', params: { scene_path: other } }]);
  });

  test('every action runs in request order', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    const operations = [
      { action: 'get_info' },
      { action: 'validate', scene_path: other },
      { action: 'load', scene_path: other },
      { action: 'reload' },
      { action: 'get_info' },
    ];
    const res = await daemon.request('POST', '/batch', { body: { operations } });
    expect(res.status).toBe(200);
    expect(res.body.successful).toBe(5);
    expect(res.body.message).toBe('All 5 operations succeeded.');
    expect(res.body.operations.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(res.body.operations.map((r: { action: string }) => r.action)).toEqual(
      operations.map((operation) => operation.action),
    );
    expect(peer.received.map((message) => message.method)).toEqual([
      'scene.info',
      'scene.validate',
      'scene.load',
      'scene.reload',
      'scene.info',
    ]);
    expect(res.body.operations[0].result.scene.path).toBe(main);
    expect(res.body.operations[1].result.passes_run).toEqual(['static', 'live']);
    expect(res.body.operations[4].result.scene.path).toBe(other);
  });

  test('many operations keep their order', async () => {
    const peer = await daemon.connectPeer();
    const operations = validates(20);
    const res = await daemon.request('POST', '/batch', { body: { operations } });
    expect(res.status).toBe(200);
    expect(res.body.operations.map((r: { scene_path: string }) => r.scene_path)).toEqual(
      operations.map((operation) => operation.scene_path),
    );
    expect(peer.received.map((message) => message.params.scene_path)).toEqual(
      operations.map((operation) => operation.scene_path),
    );
  });

  test('failures are reported and the rest still run', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.load', (params) => {
      if (params.scene_path === 'res://scenes/broken.tscn') {
        throw new RpcFailure(-32011, 'Failed loading resource');
      }
      return { scene: peer.sceneInfo(params.scene_path as string), load_ms: 1 };
    });
    const res = await daemon.request('POST', '/batch', {
      body: {
        operations: [
          { action: 'load', scene_path: main },
          { action: 'load', scene_path: 'res://scenes/broken.tscn' },
          { action: 'load', scene_path: other },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, successful: 2, failed: 1, skipped: 0 });
    expect(res.body.message).toBe('2 of 3 operations succeeded and 1 failed.');
    const [first, second, third] = res.body.operations;
    expect(first.success).toBe(true);
    expect(second.success).toBe(false);
    expect(second.status).toBe('failed');
    expect(second.error.code).toBe('SCENE_LOAD_FAILED');
    expect(second.result).toBeUndefined();
    expect(third.success).toBe(true);
    expect(peer.received).toHaveLength(3);
  });

  test('invalid scene fails validate with SCENE_INVALID', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.validate', () => ({
      valid: false,
      errors: [{ message: 'Parse Error', file: main, line: 3, kind: 'error' }],
      warnings: [],
    }));
    const res = await daemon.request('POST', '/batch', {
      body: { operations: [{ action: 'validate', scene_path: main }] },
    });
    expect(res.status).toBe(200);
    const [report] = res.body.operations;
    expect(report.success).toBe(false);
    expect(report.error.code).toBe('SCENE_INVALID');
    expect(report.error.message).toContain('(line 3): Parse Error. The error details');
    expect(report.error.details.valid).toBe(false);
    expect(report.error.details.errors[0].message).toBe('Parse Error');
  });

  test.each([
    ['unknown action', { action: 'delete', scene_path: main }, 'UNKNOWN_ACTION', 'delete'],
    ['action of wrong type', { action: 7 }, 'UNKNOWN_ACTION', '7'],
    ['missing action', { scene_path: main }, 'VALIDATION_FAILED', 'no action'],
    ['non-object operation', 'load', 'VALIDATION_FAILED', 'a string'],
    ['unknown field', { action: 'load', scene_path: main, x: 1 }, 'VALIDATION_FAILED', '"x"'],
    ['missing path', { action: 'load' }, 'INVALID_SCENE_PATH', 'no scene_path'],
    ['path of wrong type', { action: 'load', scene_path: 5 }, 'INVALID_SCENE_PATH', '5'],
    ['path with ..', { action: 'load', scene_path: 'res://../x.tscn' }, 'INVALID_SCENE_PATH', '..'],
    [
      'path not a scene',
      { action: 'validate', scene_path: 'res://a.gd' },
      'INVALID_SCENE_PATH',
      '.tscn',
    ],
    ['reload with a path', { action: 'reload', scene_path: main }, 'VALIDATION_FAILED', 'takes no'],
    [
      'get_info with a path',
      { action: 'get_info', scene_path: main },
      'VALIDATION_FAILED',
      'takes no',
    ],
  ])('%s fails only that operation', async (_name, operation, code, text) => {
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', {
      body: { operations: [{ action: 'validate', scene_path: main }, operation] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ successful: 1, failed: 1 });
    const report = res.body.operations[1];
    expect(report.index).toBe(1);
    expect(report.success).toBe(false);
    expect(report.status).toBe('failed');
    expect(report.error.code).toBe(code);
    expect(report.error.message).toContain(text);
    expect(report.duration_ms).toBe(0);
    expect(peer.received.map((message) => message.method)).toEqual(['scene.validate']);
  });

  test('path outside the allow-list fails that operation', async () => {
    await daemon.stop();
    daemon = await TestDaemon.start({
      files: sceneFiles(),
      config: { batch: { rateLimit: 1000 }, sceneAllowList: ['res://scenes/**/*.tscn'] },
    });
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', {
      body: {
        operations: [
          { action: 'load', scene_path: 'res://secret/admin.tscn' },
          { action: 'load', scene_path: main },
        ],
      },
    });
    expect(res.status).toBe(200);
    const [blocked, loaded] = res.body.operations;
    expect(blocked.error.code).toBe('SCENE_PATH_NOT_ALLOWED');
    expect(blocked.scene_path).toBe('res://secret/admin.tscn');
    expect(loaded.success).toBe(true);
    expect(peer.received).toEqual([{ method: 'scene.load', params: { scene_path: main } }]);
  });

  test('mixed valid and invalid operations report each one', async () => {
    const peer = await daemon.connectPeer();
    const res = await daemon.request('POST', '/batch', {
      body: {
        operations: [
          { action: 'validate', scene_path: main },
          { action: 'fly' },
          { action: 'load', scene_path: other },
          { action: 'load', scene_path: 'scenes/other.tscn' },
          { action: 'get_info' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 5, successful: 3, failed: 2, skipped: 0 });
    expect(res.body.operations.map((r: { success: boolean }) => r.success)).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(res.body.operations[1].error.code).toBe('UNKNOWN_ACTION');
    expect(res.body.operations[3].error.code).toBe('INVALID_SCENE_PATH');
    expect(peer.received.map((message) => message.method)).toEqual([
      'scene.validate',
      'scene.load',
      'scene.info',
    ]);
  });

  test('no instance fails each operation with NO_INSTANCE', async () => {
    const res = await daemon.request('POST', '/batch', {
      body: {
        operations: [
          { action: 'load', scene_path: main },
          { action: 'validate', scene_path: main },
          { action: 'fly' },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.instance).toBeNull();
    const [load, validate, fly] = res.body.operations;
    expect(load.error.code).toBe('NO_INSTANCE');
    // With no instance, validate runs the static pass alone, as POST /scene/validate does.
    expect(validate.success).toBe(true);
    expect(validate.result.passes_run).toEqual(['static']);
    expect(fly.error.code).toBe('UNKNOWN_ACTION');
  });

  test('scene events are published per operation', async () => {
    const seen: string[] = [];
    daemon.daemon.context.events.subscribe((event) => seen.push(event.event));
    const peer = await daemon.connectPeer();
    peer.on('scene.reload', () => {
      throw new RpcFailure(-32012, 'no current scene to reload');
    });
    await daemon.request('POST', '/batch', {
      body: {
        operations: [
          { action: 'load', scene_path: main },
          { action: 'validate', scene_path: main },
          { action: 'reload' },
        ],
      },
    });
    expect(seen).toEqual(['scene.loaded', 'scene.validated', 'scene.failed']);
  });

  test('link dropped mid-batch fails the rest at once', async () => {
    const peer = await daemon.connectPeer();
    let calls = 0;
    peer.on('scene.validate', () => {
      calls += 1;
      if (calls < 3) return { valid: true, errors: [], warnings: [] };
      setTimeout(() => peer.terminate(), 20);
      return NO_REPLY;
    });
    const res = await daemon.request('POST', '/batch', { body: { operations: validates(6) } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ successful: 2, failed: 4, skipped: 0 });
    const codes = res.body.operations.map((r: { error?: { code: string } }) => r.error?.code);
    expect(codes).toEqual([
      undefined,
      undefined,
      'GODOT_DISCONNECTED',
      'GODOT_DISCONNECTED',
      'GODOT_DISCONNECTED',
      'GODOT_DISCONNECTED',
    ]);
    expect(peer.received).toHaveLength(3);
  });

  test('concurrent batches on one instance never interleave', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.validate', async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return { valid: true, errors: [], warnings: [] };
    });
    const [first, second] = await Promise.all([
      daemon.request('POST', '/batch', { body: { operations: validates(10, 'a') } }),
      daemon.request('POST', '/batch', { body: { operations: validates(10, 'b') } }),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const folders = peer.received.map((message) =>
      (message.params.scene_path as string).slice('res://'.length, 'res://'.length + 1),
    );
    expect(folders).toHaveLength(20);
    const firstFolder = folders[0]!;
    const secondFolder = firstFolder === 'a' ? 'b' : 'a';
    expect(folders).toEqual([
      ...Array<string>(10).fill(firstFolder),
      ...Array<string>(10).fill(secondFolder),
    ]);
  });

  test('batch waiting on a dropped instance still answers', async () => {
    const peer = await daemon.connectPeer();
    peer.on('scene.validate', () => NO_REPLY);
    const instance = daemon.daemon.context.registry.list()[0]!;
    const running = daemon.request('POST', '/batch', { body: { operations: validates(2, 'a') } });
    await waitFor(() => peer.received.length === 1);
    const waiting = daemon.request('POST', '/batch', { body: { operations: validates(2, 'b') } });
    await waitFor(() => instance.queueDepth === 2);
    peer.terminate();
    const [first, second] = await Promise.all([running, waiting]);
    expect(first.status).toBe(200);
    expect(first.body.operations[0].error.code).toBe('GODOT_DISCONNECTED');
    expect(second.status).toBe(200);
    expect(second.body.operations[0].error.code).toBe('GODOT_DISCONNECTED');
    expect(second.body.operations[1].error.code).toBe('GODOT_DISCONNECTED');
    expect(peer.received).toHaveLength(1);
  });
});
