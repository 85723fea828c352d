import type { BridgeEvent } from '../../daemon/src/events/event-bus.js';
import type { JobStatus } from '../../daemon/src/store/job-store.js';
import { RpcFailure, type ProtocolPeer } from '../support/protocol-peer.js';
import { TestDaemon, waitFor, type HttpResponse } from '../support/test-daemon.js';

const mainScene = 'res://scenes/main.tscn';
const otherScene = 'res://scenes/other.tscn';
const arenaScene = 'res://scenes/arena.tscn';
const lobbyScene = 'res://scenes/lobby.tscn';

const projectWithMainScene =
  'config_version=5\n\n[application]\n\nconfig/name="Test Project"\n' +
  `run/main_scene="${mainScene}"\n`;

/** Creates a promise that a test resolves by hand, to delay a peer's reply until then. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function preloadsOf(peer: ProtocolPeer): string[] {
  return peer.received
    .filter((message) => message.method === 'scene.preload')
    .map((message) => message.params.scene_path as string);
}

describe('jobs API', () => {
  let daemon: TestDaemon;
  let events: BridgeEvent[];

  async function start(options: Parameters<typeof TestDaemon.start>[0] = {}): Promise<void> {
    daemon = await TestDaemon.start({
      files: { 'project.godot': projectWithMainScene },
      ...options,
      // Jobs fail at once without Godot here; the wait has its own tests.
      config: { ...options.config, jobs: { instanceWaitMs: 0, ...options.config?.jobs } },
    });
    events = [];
    daemon.daemon.context.events.subscribe((event) => events.push(event));
  }

  function submit(
    type: unknown,
    parameters: unknown,
    options: { headers?: Record<string, string>; query?: string } = {},
  ): Promise<HttpResponse> {
    const body: Record<string, unknown> = {};
    if (type !== undefined) body.type = type;
    if (parameters !== undefined) body.parameters = parameters;
    return daemon.request('POST', `/jobs${options.query ?? ''}`, {
      body,
      headers: options.headers,
    });
  }

  async function waitForStatus(id: string, status: JobStatus): Promise<HttpResponse> {
    await waitFor(() => daemon.daemon.context.jobs.get(id).status === status);
    return daemon.request('GET', `/jobs/${id}`);
  }

  afterEach(async () => {
    await daemon.stop();
  });

  describe('submission', () => {
    beforeEach(() => start());

    test('scene_preload is queued and completes', async () => {
      const peer = await daemon.connectPeer();
      const res = await submit('scene_preload', { scene_paths: [mainScene, otherScene] });
      expect(res.status).toBe(202);
      expect(res.body.success).toBe(true);
      const job = res.body.job;
      expect(job.type).toBe('scene_preload');
      expect(['queued', 'running', 'completed']).toContain(job.status);
      expect(job.parameters).toEqual({ scene_paths: [mainScene, otherScene] });
      expect(res.headers.location).toBe(`/jobs/${job.id}`);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);

      const done = await waitForStatus(job.id, 'completed');
      expect(done.body.job.progress).toBe(1);
      expect(done.body.job.error).toBeNull();
      expect(done.body.job.result).toEqual({
        instance: peer.instanceId,
        scenes: [
          { scene_path: mainScene, load_ms: 1 },
          { scene_path: otherScene, load_ms: 1 },
        ],
        total_load_ms: 2,
      });
      expect(preloadsOf(peer)).toEqual([mainScene, otherScene]);
    });

    test('job timestamps are Unix seconds', async () => {
      await daemon.connectPeer();
      const before = Math.floor(Date.now() / 1000);
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      const done = await waitForStatus(res.body.job.id, 'completed');
      const after = Math.ceil(Date.now() / 1000);
      const job = done.body.job;
      for (const field of ['created_at', 'started_at', 'completed_at']) {
        expect(Number.isInteger(job[field])).toBe(true);
        expect(job[field]).toBeGreaterThanOrEqual(before);
        expect(job[field]).toBeLessThanOrEqual(after);
      }
    });

    test('queued job has null start and end times', async () => {
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      // With no instance connected the job fails at once, so read the acknowledgement.
      expect(res.body.job.status).toBe('queued');
      expect(res.body.job.started_at).toBeNull();
      expect(res.body.job.completed_at).toBeNull();
      expect(res.body.job.result).toBeNull();
      expect(res.body.job.progress).toBe(0);
    });

    test('cache_warming preloads the main scene on each instance', async () => {
      const editor = await daemon.connectPeer({ role: 'editor' });
      const game = await daemon.connectPeer({ role: 'game' });
      const res = await submit('cache_warming', {});
      expect(res.status).toBe(202);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      const done = await waitForStatus(res.body.job.id, 'completed');
      const result = done.body.job.result;
      expect(result.main_scene).toBe(mainScene);
      expect(result.static).toEqual({
        available: true,
        scenes: [
          { scene_path: mainScene, valid: true, error_count: 0, warning_count: 0 },
          { scene_path: otherScene, valid: true, error_count: 0, warning_count: 0 },
        ],
      });
      expect(result.preloads).toHaveLength(2);
      expect(result.preloads).toContainEqual({
        instance: editor.instanceId,
        scene_path: mainScene,
        load_ms: 1,
      });
      expect(result.preloads).toContainEqual({
        instance: game.instanceId,
        scene_path: mainScene,
        load_ms: 1,
      });
      expect(preloadsOf(editor)).toEqual([mainScene]);
      expect(preloadsOf(game)).toEqual([mainScene]);
      expect(done.body.job.progress).toBe(1);
    });

    test('cache_warming records a failed preload and completes', async () => {
      const peer = await daemon.connectPeer();
      peer.on('scene.preload', () => {
        throw new RpcFailure(-32010, 'File not found');
      });
      const res = await submit('cache_warming', {});
      const done = await waitForStatus(res.body.job.id, 'completed');
      expect(done.body.job.result.preloads).toEqual([
        {
          instance: peer.instanceId,
          scene_path: mainScene,
          error: { code: 'SCENE_NOT_FOUND', message: expect.any(String) },
        },
      ]);
    });

    test('cache_warming without instances notes it', async () => {
      const res = await submit('cache_warming', {});
      const done = await waitForStatus(res.body.job.id, 'completed');
      expect(done.body.job.result.preloads).toEqual([]);
      expect(done.body.job.result.notes.join(' ')).toContain('No Godot instance is connected');
    });

    test('batch_operations runs a batch and stores its response', async () => {
      const peer = await daemon.connectPeer();
      const seen: number[] = [];
      daemon.daemon.context.jobs.on('progress', (update: { progress: number }) =>
        seen.push(update.progress),
      );
      const res = await submit('batch_operations', {
        mode: 'continue',
        operations: [
          { action: 'load', scene_path: otherScene },
          { action: 'get_info' },
          { action: 'load', scene_path: 'res://../bad.tscn' },
          { action: 'get_info' },
        ],
      });
      expect(res.status).toBe(202);
      const done = await waitForStatus(res.body.job.id, 'completed');
      const result = done.body.job.result;
      expect(result.success).toBe(true);
      expect(result.mode).toBe('continue');
      expect(result.instance).toBe(peer.instanceId);
      expect(result.total).toBe(4);
      expect(result.successful).toBe(3);
      expect(result.failed).toBe(1);
      expect(result.operations[1].result.scene.path).toBe(otherScene);
      expect(result.operations[2].error.code).toBe('INVALID_SCENE_PATH');
      expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
      expect(done.body.job.progress).toBe(1);
    });

    test('batch_operations over the operation limit gets 400', async () => {
      const operations = Array.from({ length: 51 }, () => ({ action: 'get_info' }));
      const res = await submit('batch_operations', { operations });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain('batch.maxOperations');
      const list = await daemon.request('GET', '/jobs');
      expect(list.body.total).toBe(0);
    });

    test('batch_operations rejects an unknown mode', async () => {
      const res = await submit('batch_operations', {
        mode: 'parallel',
        operations: [{ action: 'get_info' }],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('parameters.mode must be one of');
    });

    test('missing type gets 400', async () => {
      const res = await submit(undefined, { scene_paths: [mainScene] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain('type is required');
    });

    test('missing parameters gets 400', async () => {
      const res = await submit('scene_preload', undefined);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('parameters is required');
    });

    test('unknown type gets 400 listing the types', async () => {
      const res = await submit('render_video', {});
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain('"render_video" is not a job type');
      expect(res.body.error.details).toEqual({
        field: 'type',
        allowed: ['batch_operations', 'cache_warming', 'scene_preload'],
      });
    });

    test.each([
      [{}, 'parameters.scene_paths is required'],
      [{ scene_paths: 'res://scenes/main.tscn' }, 'parameters.scene_paths must be array'],
      [{ scene_paths: [] }, 'parameters.scene_paths must NOT have fewer than 1 items'],
      [{ scene_paths: [mainScene], extra: 1 }, 'parameters has unknown field "extra"'],
    ])('wrong scene_preload parameters %j get 400', async (parameters, message) => {
      const res = await submit('scene_preload', parameters);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toContain(message);
    });

    test('cache_warming rejects unknown parameters', async () => {
      const res = await submit('cache_warming', { scenes: [] });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('parameters has unknown field "scenes"');
    });

    test('batch_operations requires operations', async () => {
      const res = await submit('batch_operations', { mode: 'transactional' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('parameters.operations is required');
    });

    test('bad scene path names its index', async () => {
      const res = await submit('scene_preload', { scene_paths: [mainScene, 'res://../x.tscn'] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_SCENE_PATH');
      expect(res.body.error.message).toContain('parameters.scene_paths[1]');
      expect(res.body.error.details.field).toBe('parameters.scene_paths[1]');
    });

    test('rejected submission stores no job', async () => {
      await submit('scene_preload', { scene_paths: ['scenes/main.tscn'] });
      await submit('nope', {});
      const list = await daemon.request('GET', '/jobs');
      expect(list.body.total).toBe(0);
    });

    test('instance query is added to the parameters', async () => {
      await daemon.connectPeer({ role: 'editor' });
      const game = await daemon.connectPeer({ role: 'game' });
      const res = await submit(
        'scene_preload',
        { scene_paths: [mainScene] },
        { query: '?instance=game' },
      );
      expect(res.body.job.parameters).toEqual({ scene_paths: [mainScene], instance: 'game' });
      const done = await waitForStatus(res.body.job.id, 'completed');
      expect(done.body.job.result.instance).toBe(game.instanceId);
      expect(preloadsOf(game)).toEqual([mainScene]);
    });

    test('instance in query and parameters must agree', async () => {
      const res = await submit(
        'scene_preload',
        { scene_paths: [mainScene], instance: 'editor' },
        { query: '?instance=game' },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.details.field).toBe('instance');
    });
  });

  describe('cache warming', () => {
    test('checks allowed scenes and counts their problems', async () => {
      await start({
        config: { sceneAllowList: ['res://scenes/**'] },
        files: {
          'project.godot': projectWithMainScene,
          'scenes/broken.tscn':
            '[gd_scene format=3]\n\n[node name="Root" type="Node3D"]\n\n' +
            '[node name="Child" type="Node3D" parent="Missing"]\n',
          'levels/hidden.tscn': '[gd_scene format=3]\n\n[node name="Hidden" type="Node"]\n',
        },
      });
      const res = await submit('cache_warming', {});
      const done = await waitForStatus(res.body.job.id, 'completed');
      const checked = done.body.job.result.static.scenes as Array<Record<string, unknown>>;
      expect(checked.map((scene) => scene.scene_path)).toEqual([
        'res://scenes/broken.tscn',
        mainScene,
        otherScene,
      ]);
      expect(checked[0]!.valid).toBe(false);
      expect(checked[0]!.error_count).toBeGreaterThan(0);
      expect(done.body.job.progress).toBe(1);
    });
  });

  describe('status and results', () => {
    beforeEach(() => start());

    test('unknown id gets 404', async () => {
      const res = await daemon.request('GET', '/jobs/no-such-job');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('JOB_NOT_FOUND');
      expect(res.body.error.message).toContain('no-such-job');
    });

    test('job status is not cached by clients', async () => {
      await daemon.connectPeer();
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      const got = await daemon.request('GET', `/jobs/${res.body.job.id}`);
      expect(got.headers['cache-control']).toBe('private, no-cache');
    });

    test('progress only moves forward and ends at 1', async () => {
      await daemon.connectPeer();
      const seen: number[] = [];
      daemon.daemon.context.jobs.on('progress', (update: { progress: number }) =>
        seen.push(update.progress),
      );
      const scenes = [mainScene, otherScene, arenaScene, lobbyScene];
      const res = await submit('scene_preload', { scene_paths: scenes });
      const done = await waitForStatus(res.body.job.id, 'completed');
      expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
      expect(done.body.job.progress).toBe(1);
    });

    test('result is stored in SQLite', async () => {
      await daemon.connectPeer();
      const res = await submit('scene_preload', { scene_paths: [otherScene] });
      await waitForStatus(res.body.job.id, 'completed');
      const row = daemon.daemon.db
        .prepare('SELECT status, progress, result FROM jobs WHERE id = ?')
        .get(res.body.job.id) as { status: string; progress: number; result: string };
      expect(row.status).toBe('completed');
      expect(row.progress).toBe(1);
      expect(JSON.parse(row.result).scenes).toEqual([{ scene_path: otherScene, load_ms: 1 }]);
    });

    test('failed job carries the error', async () => {
      const peer = await daemon.connectPeer();
      peer.on('scene.preload', (params) => {
        if (params.scene_path === otherScene) throw new RpcFailure(-32010, 'File not found');
        return { scene_path: params.scene_path, load_ms: 3, cached: true };
      });
      const res = await submit('scene_preload', {
        scene_paths: [mainScene, otherScene, arenaScene],
      });
      const failed = await waitForStatus(res.body.job.id, 'failed');
      const job = failed.body.job;
      expect(job.error.code).toBe('SCENE_NOT_FOUND');
      expect(job.error.message).toContain(`Preloading ${otherScene} failed`);
      expect(job.error.details.scene_path).toBe(otherScene);
      expect(job.error.details.preloaded).toEqual([{ scene_path: mainScene, load_ms: 3 }]);
      expect(job.result).toBeNull();
      expect(job.progress).toBe(1 / 3);
      expect(job.completed_at).not.toBeNull();
      expect(preloadsOf(peer)).toEqual([mainScene, otherScene]);
    });

    test('job waits for an instance that connects later', async () => {
      await daemon.stop();
      await start({ config: { jobs: { instanceWaitMs: 5000 } } });
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const waiting = await daemon.request('GET', `/jobs/${res.body.job.id}`);
      expect(waiting.body.job.status).toBe('running');
      await daemon.connectPeer();
      const done = await waitForStatus(res.body.job.id, 'completed');
      expect(done.body.job.result.scenes).toHaveLength(1);
    });

    test('wait for an instance ends with NO_INSTANCE', async () => {
      await daemon.stop();
      await start({ config: { jobs: { instanceWaitMs: 300 } } });
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      const failed = await waitForStatus(res.body.job.id, 'failed');
      expect(failed.body.job.error.code).toBe('NO_INSTANCE');
      expect(failed.body.job.error.message).toContain('waited 300 ms');
    });

    test('job without an instance fails with NO_INSTANCE', async () => {
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      const failed = await waitForStatus(res.body.job.id, 'failed');
      expect(failed.body.job.error.code).toBe('NO_INSTANCE');
    });

    test('status changes are published as events', async () => {
      await daemon.connectPeer();
      const ok = await submit('scene_preload', { scene_paths: [mainScene] });
      await waitForStatus(ok.body.job.id, 'completed');
      const bad = await submit('batch_operations', {
        operations: [{ action: 'get_info' }],
        instance: 'no-such-instance',
      });
      await waitForStatus(bad.body.job.id, 'failed');

      const jobEvents = events.filter((event) => event.event.startsWith('job.'));
      expect(jobEvents.map((event) => [event.event, event.data.id])).toEqual([
        ['job.started', ok.body.job.id],
        ['job.completed', ok.body.job.id],
        ['job.started', bad.body.job.id],
        ['job.failed', bad.body.job.id],
      ]);
      const completed = jobEvents[1]!.data;
      expect(completed.status).toBe('completed');
      expect(completed.progress).toBe(1);
      expect(completed.result).toEqual(expect.objectContaining({ total_load_ms: 1 }));
      expect(completed).not.toHaveProperty('parameters');
      const failed = jobEvents[3]!.data;
      expect((failed.error as { code: string }).code).toBe('INSTANCE_NOT_FOUND');
      expect(failed).not.toHaveProperty('result');
    });
  });

  describe('listing', () => {
    beforeEach(() => start());

    async function seed(): Promise<string[]> {
      await daemon.connectPeer();
      const ids: string[] = [];
      for (const type of ['scene_preload', 'cache_warming', 'scene_preload', 'batch_operations']) {
        const parameters =
          type === 'scene_preload'
            ? { scene_paths: [mainScene] }
            : type === 'batch_operations'
              ? { operations: [{ action: 'get_info' }], instance: 'no-such-instance' }
              : {};
        const res = await submit(type, parameters);
        ids.push(res.body.job.id as string);
      }
      await daemon.daemon.context.jobs.onIdle();
      return ids;
    }

    test('lists every job newest first', async () => {
      const ids = await seed();
      const res = await daemon.request('GET', '/jobs');
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(4);
      expect(res.body.limit).toBe(20);
      expect(res.body.offset).toBe(0);
      expect(res.body.jobs.map((job: { id: string }) => job.id)).toEqual([...ids].reverse());
    });

    test('filters by status and type', async () => {
      const ids = await seed();
      const failed = await daemon.request('GET', '/jobs?status=failed');
      expect(failed.body.total).toBe(1);
      expect(failed.body.jobs[0].id).toBe(ids[3]);

      const preloads = await daemon.request('GET', '/jobs?type=scene_preload');
      expect(preloads.body.total).toBe(2);
      expect(preloads.body.jobs.map((job: { id: string }) => job.id)).toEqual([ids[2], ids[0]]);

      const both = await daemon.request('GET', '/jobs?type=cache_warming&status=completed');
      expect(both.body.total).toBe(1);
      expect(both.body.jobs[0].id).toBe(ids[1]);

      const none = await daemon.request('GET', '/jobs?status=queued');
      expect(none.body.total).toBe(0);
      expect(none.body.jobs).toEqual([]);
    });

    test('pages with limit and offset', async () => {
      const ids = await seed();
      const first = await daemon.request('GET', '/jobs?limit=3');
      expect(first.body.jobs.map((job: { id: string }) => job.id)).toEqual([
        ids[3],
        ids[2],
        ids[1],
      ]);
      expect(first.body.total).toBe(4);
      const second = await daemon.request('GET', '/jobs?limit=3&offset=3');
      expect(second.body.jobs.map((job: { id: string }) => job.id)).toEqual([ids[0]]);
      expect(second.body.limit).toBe(3);
      expect(second.body.offset).toBe(3);
      const past = await daemon.request('GET', '/jobs?offset=10');
      expect(past.body.jobs).toEqual([]);
      expect(past.body.total).toBe(4);
    });

    test.each([
      ['status=done', 'status'],
      ['type=render_video', 'type'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
      ['status=queued&status=failed', 'status'],
    ])('bad query %s gets 400', async (query, field) => {
      const res = await daemon.request('GET', `/jobs?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.field).toBe(field);
      expect(res.body.error.message).toContain(`Query parameter ${field}=`);
    });
  });

  describe('cancellation', () => {
    test('cancels a queued job', async () => {
      await start({ config: { jobs: { concurrency: 1 } } });
      const peer = await daemon.connectPeer();
      const release = gate();
      peer.on('scene.preload', async (params) => {
        if (params.scene_path === mainScene) await release.promise;
        return { scene_path: params.scene_path, load_ms: 1, cached: true };
      });
      const first = await submit('scene_preload', { scene_paths: [mainScene] });
      const second = await submit('scene_preload', { scene_paths: [otherScene] });
      await waitFor(() => preloadsOf(peer).length === 1);
      expect(daemon.daemon.context.jobs.get(second.body.job.id).status).toBe('queued');

      const res = await daemon.request('DELETE', `/jobs/${second.body.job.id}`);
      expect(res.status).toBe(200);
      expect(res.body.job.status).toBe('cancelled');
      expect(res.body.job.completed_at).not.toBeNull();
      expect(res.body.job.started_at).toBeNull();

      release.open();
      await waitForStatus(first.body.job.id, 'completed');
      await daemon.daemon.context.jobs.onIdle();
      expect(preloadsOf(peer)).toEqual([mainScene]);
      expect(events.map((event) => [event.event, event.data.id])).toContainEqual([
        'job.cancelled',
        second.body.job.id,
      ]);
    });

    test('cancels a running job between scenes', async () => {
      await start();
      const peer = await daemon.connectPeer();
      const release = gate();
      peer.on('scene.preload', async (params) => {
        if (params.scene_path === otherScene) await release.promise;
        return { scene_path: params.scene_path, load_ms: 1, cached: true };
      });
      const res = await submit('scene_preload', {
        scene_paths: [mainScene, otherScene, arenaScene],
      });
      const id = res.body.job.id as string;
      await waitFor(() => preloadsOf(peer).includes(otherScene));

      const cancel = await daemon.request('DELETE', `/jobs/${id}`);
      expect([200, 202]).toContain(cancel.status);
      const cancelled = await waitForStatus(id, 'cancelled');
      expect(cancelled.body.job.progress).toBe(1 / 3);
      expect(cancelled.body.job.result).toBeNull();
      release.open();

      // The instance is free again, and the cancelled job sent nothing more.
      const next = await submit('scene_preload', { scene_paths: [lobbyScene] });
      await waitForStatus(next.body.job.id, 'completed');
      expect(preloadsOf(peer)).toEqual([mainScene, otherScene, lobbyScene]);
      expect(daemon.daemon.context.jobs.get(id).status).toBe('cancelled');
    });

    test('cancels a running batch and keeps its report', async () => {
      await start();
      const peer = await daemon.connectPeer();
      const release = gate();
      peer.on('scene.load', async (params) => {
        await release.promise;
        return { scene: peer.sceneInfo(params.scene_path as string), load_ms: 1 };
      });
      const res = await submit('batch_operations', {
        operations: [
          { action: 'load', scene_path: otherScene },
          { action: 'load', scene_path: arenaScene },
        ],
      });
      const id = res.body.job.id as string;
      await waitFor(() => peer.received.some((message) => message.method === 'scene.load'));

      // The batch stops between operations, so the load in flight holds it: 202 at first.
      const cancel = await daemon.request('DELETE', `/jobs/${id}`);
      expect(cancel.status).toBe(202);
      expect(cancel.body.job.status).toBe('running');
      expect(cancel.headers['retry-after']).toBe('1');
      release.open();
      const cancelled = await waitForStatus(id, 'cancelled');
      const report = cancelled.body.job.result;
      expect(report.total).toBe(2);
      expect(report.operations[0].status).toBe('succeeded');
      expect(report.operations[1].status).toBe('cancelled');
      const loads = peer.received.filter((message) => message.method === 'scene.load');
      expect(loads.map((message) => message.params.scene_path)).toEqual([otherScene]);
    });

    test('cancel of a finished job gets 409', async () => {
      await start();
      await daemon.connectPeer();
      const res = await submit('scene_preload', { scene_paths: [mainScene] });
      await waitForStatus(res.body.job.id, 'completed');
      const cancel = await daemon.request('DELETE', `/jobs/${res.body.job.id}`);
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.code).toBe('JOB_NOT_CANCELLABLE');
      expect(cancel.body.error.details.status).toBe('completed');
      expect(cancel.body.error.message).toContain('already completed');
    });

    test('cancel of an unknown job gets 404', async () => {
      await start();
      const cancel = await daemon.request('DELETE', '/jobs/no-such-job');
      expect(cancel.status).toBe(404);
      expect(cancel.body.error.code).toBe('JOB_NOT_FOUND');
    });
  });

  describe('concurrency', () => {
    test('never runs more jobs than the limit', async () => {
      await start({ config: { jobs: { concurrency: 3 } } });
      const peers: ProtocolPeer[] = [];
      for (let i = 0; i < 6; i++)
        peers.push(await daemon.connectPeer({ instance_name: `vr-${i}` }));
      let inFlight = 0;
      let maxInFlight = 0;
      const release = gate();
      for (const peer of peers) {
        peer.on('scene.preload', async (params) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await release.promise;
          inFlight -= 1;
          return { scene_path: params.scene_path, load_ms: 1, cached: true };
        });
      }
      let running = 0;
      let maxRunning = 0;
      daemon.daemon.context.events.subscribe((event) => {
        if (event.event === 'job.started') running += 1;
        if (event.event === 'job.completed' || event.event === 'job.failed') running -= 1;
        maxRunning = Math.max(maxRunning, running);
      });

      const ids: string[] = [];
      for (const peer of peers) {
        const res = await submit(
          'scene_preload',
          { scene_paths: [mainScene] },
          {
            query: `?instance=${peer.instanceId}`,
          },
        );
        ids.push(res.body.job.id as string);
      }
      await waitFor(() => inFlight === 3);
      const queued = await daemon.request('GET', '/jobs?status=queued');
      expect(queued.body.total).toBe(3);
      expect(daemon.daemon.context.jobs.runningCount).toBe(3);

      release.open();
      for (const id of ids) await waitForStatus(id, 'completed');
      expect(maxInFlight).toBe(3);
      expect(maxRunning).toBeLessThanOrEqual(3);
    });

    test('jobs on one instance do not interleave', async () => {
      await start({ config: { jobs: { concurrency: 3 } } });
      const peer = await daemon.connectPeer();
      let inFlight = 0;
      let maxInFlight = 0;
      peer.on('scene.preload', async (params) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return { scene_path: params.scene_path, load_ms: 1, cached: true };
      });
      const a = await submit('scene_preload', { scene_paths: [mainScene, otherScene] });
      const b = await submit('scene_preload', { scene_paths: [arenaScene, lobbyScene] });
      await waitForStatus(a.body.job.id, 'completed');
      await waitForStatus(b.body.job.id, 'completed');
      expect(maxInFlight).toBe(1);
      expect(preloadsOf(peer)).toEqual([mainScene, otherScene, arenaScene, lobbyScene]);
    });
  });

  describe('idempotency keys', () => {
    beforeEach(() => start());

    test('a retried submission returns the first job', async () => {
      await daemon.connectPeer();
      const headers = { 'idempotency-key': 'warm-2026-12-04' };
      const first = await submit(
        'scene_preload',
        { scene_paths: [mainScene, otherScene] },
        { headers },
      );
      expect(first.status).toBe(202);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const again = await submit(
        'scene_preload',
        { scene_paths: [mainScene, otherScene] },
        { headers },
      );
      expect(again.status).toBe(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(`/jobs/${first.body.job.id}`);
      expect(again.body.job.id).toBe(first.body.job.id);
      const list = await daemon.request('GET', '/jobs');
      expect(list.body.total).toBe(1);
    });

    test('key order of parameters does not matter', async () => {
      const headers = { 'idempotency-key': 'order' };
      const first = await submit(
        'scene_preload',
        { scene_paths: [mainScene], instance: 'game' },
        {
          headers,
        },
      );
      const again = await submit(
        'scene_preload',
        { instance: 'game', scene_paths: [mainScene] },
        {
          headers,
        },
      );
      expect(again.status).toBe(200);
      expect(again.body.job.id).toBe(first.body.job.id);
    });

    test('same key with other parameters gets 422', async () => {
      const headers = { 'idempotency-key': 'warm-1' };
      const first = await submit('scene_preload', { scene_paths: [mainScene] }, { headers });
      const other = await submit('scene_preload', { scene_paths: [otherScene] }, { headers });
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_CONFLICT');
      expect(other.body.error.message).toContain('"warm-1"');
      expect(other.body.error.details).toEqual({
        idempotency_key: 'warm-1',
        job_id: first.body.job.id,
      });
      const otherType = await submit('cache_warming', {}, { headers });
      expect(otherType.status).toBe(422);
    });

    test('invalid key gets 400', async () => {
      const res = await submit(
        'cache_warming',
        {},
        { headers: { 'idempotency-key': 'has space' } },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.details.field).toBe('Idempotency-Key');
    });
  });

  describe('retention', () => {
    test('removes finished jobs after the retention time', async () => {
      let clock = Date.parse('2026-01-01T00:00:00Z');
      const retentionMs = 24 * 3600_000;
      await start({
        now: () => clock,
        config: { jobs: { retentionMs, cleanupIntervalMs: 20 } },
      });
      await daemon.connectPeer();
      const headers = { 'idempotency-key': 'nightly' };
      const old = await submit('scene_preload', { scene_paths: [mainScene] }, { headers });
      await waitForStatus(old.body.job.id, 'completed');

      clock += retentionMs - 1000;
      const recent = await submit('scene_preload', { scene_paths: [otherScene] });
      await waitForStatus(recent.body.job.id, 'completed');
      expect(daemon.daemon.context.jobs.removeExpired()).toBe(0);
      expect((await daemon.request('GET', `/jobs/${old.body.job.id}`)).status).toBe(200);

      clock += 2000;
      await waitFor(
        () =>
          daemon.daemon.db.prepare('SELECT 1 FROM jobs WHERE id = ?').get(old.body.job.id) ===
          undefined,
      );
      expect((await daemon.request('GET', `/jobs/${old.body.job.id}`)).status).toBe(404);
      expect((await daemon.request('GET', `/jobs/${recent.body.job.id}`)).status).toBe(200);

      // The key went with its job, so it can name a new request.
      const reused = await submit('cache_warming', {}, { headers });
      expect(reused.status).toBe(202);
      expect(reused.body.job.id).not.toBe(old.body.job.id);
    });
  });
});
