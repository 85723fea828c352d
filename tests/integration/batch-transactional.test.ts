import { NO_REPLY, RpcFailure, type ProtocolPeer } from '../support/protocol-peer.js';
import { TestDaemon } from '../support/test-daemon.js';

const main = 'res://scenes/main.tscn';
const other = 'res://scenes/other.tscn';
const broken = 'res://scenes/broken.tscn';

/** Makes the peer fail scene.load for the given paths, as Godot does for a broken scene. */
function failLoadsOf(peer: ProtocolPeer, paths: string[]): void {
  peer.on('scene.load', (params) => {
    const scenePath = params.scene_path as string;
    if (paths.includes(scenePath)) throw new RpcFailure(-32011, `Failed loading ${scenePath}`);
    peer.currentScene = scenePath;
    return { scene: peer.sceneInfo(), load_ms: 1, engine_messages: [] };
  });
}

function transactional(operations: unknown[]): { body: unknown } {
  return { body: { mode: 'transactional', operations } };
}

describe('POST /batch in transactional mode', () => {
  let daemon: TestDaemon;

  beforeEach(async () => {
    daemon = await TestDaemon.start({
      config: { batch: { rateLimit: 1000 }, relay: { commandTimeoutMs: 300, loadTimeoutMs: 500 } },
    });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('success runs every operation and rolls nothing back', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'validate', scene_path: other },
        { action: 'load', scene_path: other },
        { action: 'get_info' },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      mode: 'transactional',
      total: 3,
      successful: 3,
      failed: 0,
      skipped: 0,
      rolled_back: false,
      message: 'All 3 operations succeeded.',
    });
    expect(res.body.rollback).toEqual({ status: 'not_needed', scene_path: main, duration_ms: 0 });
    expect(res.body.operations[2].result.scene.path).toBe(other);
    expect(res.body.operations[1].rolled_back).toBeUndefined();
    expect(peer.received.map((message) => message.method)).toEqual([
      'scene.info',
      'scene.validate',
      'scene.load',
      'scene.info',
    ]);
  });

  test('read-only batch does not read the scene first', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([{ action: 'validate', scene_path: other }]),
    );
    expect(res.status).toBe(200);
    expect(res.body.rollback).toEqual({ status: 'not_needed', scene_path: null, duration_ms: 0 });
    expect(peer.received.map((message) => message.method)).toEqual(['scene.validate']);
  });

  test('failure stops the batch and restores the previous scene', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    failLoadsOf(peer, [broken]);
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'load', scene_path: other },
        { action: 'validate', scene_path: other },
        { action: 'load', scene_path: broken },
        { action: 'get_info' },
        { action: 'load', scene_path: other },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      total: 5,
      successful: 2,
      failed: 1,
      skipped: 2,
      rolled_back: true,
    });
    expect(res.body.rollback.status).toBe('restored');
    expect(res.body.rollback.scene_path).toBe(main);
    expect(res.body.rollback.result.scene.path).toBe(main);
    expect(res.body.message).toBe(
      'Operation 2 (load) failed with SCENE_LOAD_FAILED, so the batch stopped. ' +
        '2 of 5 operations succeeded, 1 failed and 2 were not run. ' +
        `The batch was rolled back: ${main} is the current scene again.`,
    );

    const [loaded, validated, failed, info, lastLoad] = res.body.operations;
    expect(loaded).toMatchObject({ success: true, status: 'succeeded', rolled_back: true });
    expect(validated.success).toBe(true);
    expect(validated.rolled_back).toBeUndefined();
    expect(failed).toMatchObject({ success: false, status: 'failed' });
    expect(failed.error.code).toBe('SCENE_LOAD_FAILED');
    for (const skipped of [info, lastLoad]) {
      expect(skipped.success).toBe(false);
      expect(skipped.status).toBe('skipped');
      expect(skipped.error.code).toBe('OPERATION_SKIPPED');
      expect(skipped.error.message).toContain('operation 2 failed');
      expect(skipped.duration_ms).toBe(0);
    }

    expect(peer.received).toEqual([
      { method: 'scene.info', params: {} },
      { method: 'scene.load', params: { scene_path: other } },
      { method: 'scene.validate', params: { scene_path: other } },
      { method: 'scene.load', params: { scene_path: broken } },
      { method: 'scene.load', params: { scene_path: main } },
    ]);
    expect(peer.currentScene).toBe(main);
  });

  test('reload is rolled back as well', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    peer.on('scene.validate', () => ({
      valid: false,
      errors: [{ message: 'Node not found', file: other, line: 9 }],
      warnings: [],
    }));
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([{ action: 'reload' }, { action: 'validate', scene_path: other }]),
    );
    expect(res.body.rolled_back).toBe(true);
    expect(res.body.operations[0].rolled_back).toBe(true);
    expect(res.body.operations[1].error.code).toBe('SCENE_INVALID');
    expect(peer.received.at(-1)).toEqual({ method: 'scene.load', params: { scene_path: main } });
  });

  test('failure before any scene change needs no rollback', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    failLoadsOf(peer, [broken]);
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'validate', scene_path: other },
        { action: 'load', scene_path: broken },
        { action: 'load', scene_path: other },
      ]),
    );
    expect(res.body.rolled_back).toBe(false);
    expect(res.body.rollback).toEqual({ status: 'not_needed', scene_path: main, duration_ms: 0 });
    expect(res.body.message).toContain('nothing to roll back');
    expect(peer.received.map((message) => message.params.scene_path ?? null)).toEqual([
      null,
      other,
      broken,
    ]);
  });

  test('invalid operation stops the batch before anything runs', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    const operations: unknown[] = [
      { action: 'load', scene_path: other },
      ...Array.from({ length: 6 }, () => ({ action: 'validate', scene_path: other })),
      { action: 'load', scene_path: 'res://scenes/../../etc/passwd.tscn' },
    ];
    const res = await daemon.request('POST', '/batch', transactional(operations));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total: 8,
      successful: 0,
      failed: 1,
      skipped: 7,
      rolled_back: false,
    });
    expect(res.body.rollback.status).toBe('not_needed');
    expect(res.body.message).toBe(
      'The batch ran nothing because 1 operation (7) failed the check. ' +
        '0 of 8 operations succeeded, 1 failed and 7 were not run.',
    );
    const reports = res.body.operations;
    expect(reports[7].error.code).toBe('INVALID_SCENE_PATH');
    expect(reports[7].status).toBe('failed');
    for (const report of reports.slice(0, 7)) {
      expect(report.status).toBe('skipped');
      expect(report.error.code).toBe('OPERATION_SKIPPED');
      expect(report.error.message).toContain('operation 7 failed the check');
    }
    expect(peer.received).toEqual([]);
  });

  test('several invalid operations are all reported', async () => {
    await daemon.stop();
    daemon = await TestDaemon.start({
      config: { batch: { rateLimit: 1000 }, sceneAllowList: ['res://scenes/*.tscn'] },
    });
    const peer = await daemon.connectPeer({ current_scene: main });
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'explode' },
        { action: 'load', scene_path: other },
        { action: 'load', scene_path: 'res://private/x.tscn' },
      ]),
    );
    const codes = res.body.operations.map((r: { error: { code: string } }) => r.error.code);
    expect(codes).toEqual(['UNKNOWN_ACTION', 'OPERATION_SKIPPED', 'SCENE_PATH_NOT_ALLOWED']);
    expect(res.body.message).toContain('2 operations (0 and 2) failed the check');
    expect(peer.received).toEqual([]);
  });

  test('failed rollback is reported', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    failLoadsOf(peer, [broken, main]);
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'load', scene_path: other },
        { action: 'load', scene_path: broken },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.rolled_back).toBe(false);
    expect(res.body.rollback.status).toBe('failed');
    expect(res.body.rollback.scene_path).toBe(main);
    expect(res.body.rollback.error.code).toBe('SCENE_LOAD_FAILED');
    expect(res.body.rollback.error.message).toContain(main);
    expect(res.body.operations[0].rolled_back).toBe(false);
    expect(res.body.message).toContain('The rollback failed with SCENE_LOAD_FAILED');
    expect(peer.received.at(-1)).toEqual({ method: 'scene.load', params: { scene_path: main } });
  });

  test('no scene before the batch makes the rollback fail', async () => {
    const peer = await daemon.connectPeer({ current_scene: null });
    failLoadsOf(peer, [broken]);
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'load', scene_path: other },
        { action: 'load', scene_path: broken },
      ]),
    );
    expect(res.body.rolled_back).toBe(false);
    expect(res.body.rollback.status).toBe('failed');
    expect(res.body.rollback.scene_path).toBeNull();
    expect(res.body.rollback.error.code).toBe('NO_CURRENT_SCENE');
    expect(peer.received).toHaveLength(3);
  });

  test('link dropped mid-batch leaves the rest unrun', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    peer.on('scene.validate', () => {
      setTimeout(() => peer.terminate(), 20);
      return NO_REPLY;
    });
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([
        { action: 'load', scene_path: other },
        { action: 'validate', scene_path: other },
        { action: 'get_info' },
        { action: 'reload' },
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ successful: 1, failed: 1, skipped: 2, rolled_back: false });
    const statuses = res.body.operations.map((r: { status: string }) => r.status);
    expect(statuses).toEqual(['succeeded', 'failed', 'skipped', 'skipped']);
    expect(res.body.operations[1].error.code).toBe('GODOT_DISCONNECTED');
    expect(res.body.operations[0].rolled_back).toBe(false);
    expect(res.body.rollback.status).toBe('failed');
    expect(res.body.rollback.error.code).toBe('GODOT_DISCONNECTED');
    expect(peer.received.map((message) => message.method)).toEqual([
      'scene.info',
      'scene.load',
      'scene.validate',
    ]);
  });

  test('unreadable current scene stops the batch with 504', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    peer.on('scene.info', () => NO_REPLY);
    const res = await daemon.request(
      'POST',
      '/batch',
      transactional([{ action: 'load', scene_path: other }]),
    );
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('GODOT_TIMEOUT');
    expect(res.body.error.message).toContain('did not start');
    expect(peer.received.map((message) => message.method)).toEqual(['scene.info']);
  });
});
