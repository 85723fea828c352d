import type { BatchService } from '../../daemon/src/batch/batch-service.js';
import type { CommandHandler } from '../support/protocol-peer.js';
import { TestDaemon, waitFor } from '../support/test-daemon.js';

const main = 'res://scenes/main.tscn';
const other = 'res://scenes/other.tscn';

/** A scene.validate handler that replies only when the test releases it. */
function gatedValidate(): { handler: CommandHandler; release: () => void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const handler: CommandHandler = async () => {
    await gate;
    return { valid: true, errors: [], warnings: [] };
  };
  return { handler, release: () => open() };
}

describe('BatchService without HTTP', () => {
  let daemon: TestDaemon;
  let batch: BatchService;

  beforeEach(async () => {
    daemon = await TestDaemon.start();
    batch = daemon.daemon.context.batch;
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('run returns the same response as the route', async () => {
    await daemon.connectPeer({ current_scene: main });
    const response = await batch.run({ operations: [{ action: 'get_info' }] });
    expect(response.success).toBe(true);
    expect(response.mode).toBe('continue');
    expect(response.operations[0]!.result).toEqual({
      scene: { path: main, root_name: 'main', root_type: 'Node3D', node_count: 3 },
    });
  });

  test('run rejects a bad envelope with VALIDATION_FAILED', async () => {
    await expect(batch.run({ operations: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
    });
    await expect(batch.run(undefined)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  test('progress is reported after each operation', async () => {
    await daemon.connectPeer();
    const progress: Array<[number, number]> = [];
    await batch.run(
      {
        operations: [
          { action: 'validate', scene_path: main },
          { action: 'nope' },
          { action: 'validate', scene_path: other },
        ],
      },
      { onProgress: (done, total) => progress.push([done, total]) },
    );
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  test('abort stops before the next operation', async () => {
    const peer = await daemon.connectPeer();
    const { handler, release } = gatedValidate();
    peer.on('scene.validate', handler);
    const controller = new AbortController();
    const operations = [main, other, main].map((scenePath) => ({
      action: 'validate',
      scene_path: scenePath,
    }));
    const running = batch.run({ operations }, { signal: controller.signal });
    await waitFor(() => peer.received.length === 1);
    controller.abort();
    release();
    const response = await running;
    expect(response.operations.map((report) => report.status)).toEqual([
      'succeeded',
      'cancelled',
      'cancelled',
    ]);
    expect(response.operations[1]!.error!.code).toBe('OPERATION_CANCELLED');
    expect(response).toMatchObject({ successful: 1, failed: 0, skipped: 2 });
    expect(response.message).toBe(
      'The batch was cancelled before operation 1. 1 of 3 operations succeeded and 2 were not run.',
    );
    expect(peer.received).toHaveLength(1);
  });

  test('abort of a transactional batch rolls it back', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    const { handler, release } = gatedValidate();
    peer.on('scene.validate', handler);
    const controller = new AbortController();
    const running = batch.run(
      {
        mode: 'transactional',
        operations: [
          { action: 'load', scene_path: other },
          { action: 'validate', scene_path: other },
          { action: 'get_info' },
        ],
      },
      { signal: controller.signal },
    );
    await waitFor(() => peer.received.length === 3);
    controller.abort();
    release();
    const response = await running;
    expect(response.operations.map((report) => report.status)).toEqual([
      'succeeded',
      'succeeded',
      'cancelled',
    ]);
    expect(response.rolled_back).toBe(true);
    expect(response.operations[0]!.rolled_back).toBe(true);
    expect(peer.received.at(-1)).toEqual({ method: 'scene.load', params: { scene_path: main } });
  });

  test('abort while waiting for the instance runs nothing', async () => {
    const peer = await daemon.connectPeer({ current_scene: main });
    const { handler, release } = gatedValidate();
    peer.on('scene.validate', handler);
    const first = batch.run({ operations: [{ action: 'validate', scene_path: main }] });
    await waitFor(() => peer.received.length === 1);

    const controller = new AbortController();
    const waiting = batch.run(
      { mode: 'transactional', operations: [{ action: 'load', scene_path: other }] },
      { signal: controller.signal },
    );
    controller.abort();
    const cancelled = await waiting;
    expect(cancelled.operations[0]!.status).toBe('cancelled');
    expect(cancelled.rollback!.status).toBe('not_needed');
    expect(peer.received).toHaveLength(1);

    release();
    expect((await first).successful).toBe(1);
    expect(peer.received).toHaveLength(1);
  });
});

describe('BatchService with a static validator', () => {
  let daemon: TestDaemon;
  const checked: string[] = [];

  beforeEach(async () => {
    checked.length = 0;
    // The static pass is not part of the daemon yet. This validator records its calls and
    // reports an error for other.tscn, which shows that the batch uses the default mode.
    daemon = await TestDaemon.start({
      staticValidator: {
        validate: async (scenePath) => {
          checked.push(scenePath);
          const errors =
            scenePath === other
              ? [{ code: 'MISSING_RESOURCE', message: 'missing', file: other, line: 2, column: 1 }]
              : [];
          return { valid: errors.length === 0, errors, warnings: [] };
        },
      },
    });
  });
  afterEach(async () => {
    await daemon.stop();
  });

  test('validate runs the static pass with no instance', async () => {
    const response = await daemon.daemon.context.batch.run({
      operations: [
        { action: 'validate', scene_path: main },
        { action: 'validate', scene_path: other },
        { action: 'load', scene_path: main },
      ],
    });
    const [valid, invalid, load] = response.operations;
    expect(valid!.success).toBe(true);
    expect((valid!.result as { passes_run: string[] }).passes_run).toEqual(['static']);
    expect(invalid!.error!.code).toBe('SCENE_INVALID');
    expect(invalid!.error!.message).toContain('line 2');
    expect(load!.error!.code).toBe('NO_INSTANCE');
    expect(checked).toEqual([main, other]);
  });

  test('validate runs both passes with an instance', async () => {
    const peer = await daemon.connectPeer();
    const response = await daemon.daemon.context.batch.run({
      operations: [{ action: 'validate', scene_path: main }],
    });
    const result = response.operations[0]!.result as { passes_run: string[] };
    expect(result.passes_run).toEqual(['static', 'live']);
    expect(peer.received.map((message) => message.method)).toEqual(['scene.validate']);
  });
});
