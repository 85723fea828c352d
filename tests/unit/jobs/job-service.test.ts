import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventBus, type BridgeEvent } from '../../../daemon/src/events/event-bus.js';
import type { JobContext } from '../../../daemon/src/jobs/job-definition.js';
import { JobService } from '../../../daemon/src/jobs/job-service.js';
import { createSilentLogger } from '../../../daemon/src/logging/logger.js';
import { openDatabase, type Database } from '../../../daemon/src/store/database.js';
import { jobMigrations, JobStore, type JobStatus } from '../../../daemon/src/store/job-store.js';
import { waitFor } from '../../support/test-daemon.js';

const jobsConfig = {
  concurrency: 2,
  retentionMs: 60_000,
  cleanupIntervalMs: 3600_000,
  instanceWaitMs: 0,
};

describe('JobService', () => {
  let dir: string;
  let db: Database;
  let clock: number;
  let events: BridgeEvent[];
  const services: JobService[] = [];

  function createService(config: Partial<typeof jobsConfig> = {}): JobService {
    const bus = new EventBus(() => clock);
    bus.subscribe((event) => events.push(event));
    const service = new JobService({
      store: new JobStore(db),
      config: { ...jobsConfig, ...config },
      events: bus,
      log: createSilentLogger(),
      now: () => clock,
    });
    services.push(service);
    return service;
  }

  /** Registers a `wait` type whose runs finish when the test opens their gate. */
  function registerWaitType(service: JobService) {
    const gates = new Map<string, () => void>();
    let running = 0;
    let maxRunning = 0;
    service.register({
      type: 'wait',
      pollIntervalSeconds: 1,
      async run(_parameters, context: JobContext) {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        try {
          await new Promise<void>((resolve, reject) => {
            gates.set(context.id, resolve);
            context.signal.addEventListener('abort', () => reject(context.signal.reason));
          });
          return { waited: context.id };
        } finally {
          running -= 1;
        }
      },
    });
    return {
      gates,
      get running() {
        return running;
      },
      get maxRunning() {
        return maxRunning;
      },
    };
  }

  function statusOf(service: JobService, id: string): JobStatus {
    return service.get(id).status;
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-jobs-'));
    db = openDatabase(path.join(dir, 'state.db'), jobMigrations);
    clock = Date.parse('2026-03-01T12:00:00Z');
    events = [];
  });
  afterEach(async () => {
    for (const service of services.splice(0)) await service.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs at most the configured number of jobs', async () => {
    const service = createService({ concurrency: 2 });
    const wait = registerWaitType(service);
    service.start();
    const ids = [1, 2, 3, 4, 5].map(
      (n) => service.submit({ type: 'wait', parameters: { n } }).job.id,
    );
    await waitFor(() => wait.running === 2);
    expect(ids.map((id) => statusOf(service, id))).toEqual([
      'running',
      'running',
      'queued',
      'queued',
      'queued',
    ]);
    while (wait.gates.size > 0 || service.runningCount > 0) {
      const [id, open] = [...wait.gates.entries()][0] ?? [];
      if (open) {
        wait.gates.delete(id!);
        open();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await service.onIdle();
    expect(ids.map((id) => statusOf(service, id))).toEqual(Array(5).fill('completed'));
    expect(wait.maxRunning).toBe(2);
  });

  test('ignores progress that goes back', async () => {
    const service = createService();
    const seen: number[] = [];
    service.on('progress', (update: { progress: number }) => seen.push(update.progress));
    service.register({
      type: 'jumpy',
      pollIntervalSeconds: 1,
      async run(_parameters, context) {
        for (const value of [0.2, 0.1, 0.6, 0.6, 0.4, Number.NaN, 0.9]) {
          context.reportProgress(value);
        }
        return null;
      },
    });
    service.start();
    const { job } = service.submit({ type: 'jumpy', parameters: {} });
    await service.onIdle();
    expect(seen).toEqual([0.2, 0.6, 0.9]);
    expect(service.get(job.id).progress).toBe(1);
  });

  test('stop interrupts running jobs and keeps queued ones', async () => {
    const first = createService({ concurrency: 1 });
    const wait = registerWaitType(first);
    first.start();
    const running = first.submit({ type: 'wait', parameters: { n: 1 } }).job.id;
    const queued = first.submit({ type: 'wait', parameters: { n: 2 } }).job.id;
    await waitFor(() => wait.running === 1);
    await first.stop();

    const stored = new JobStore(db);
    expect(stored.get(running)!.status).toBe('failed');
    expect(stored.get(running)!.error!.code).toBe('JOB_INTERRUPTED');
    expect(stored.get(running)!.error!.message).toContain('daemon stopped while this job');
    expect(stored.get(queued)!.status).toBe('queued');

    const second = createService({ concurrency: 1 });
    second.register({ type: 'wait', pollIntervalSeconds: 1, run: async () => 'done' });
    second.start();
    await waitFor(() => statusOf(second, queued) === 'completed');
    expect(second.get(queued).result).toBe('done');
    expect(statusOf(second, running)).toBe('failed');
  });

  test('start fails jobs a crashed daemon left running', () => {
    const store = new JobStore(db);
    store.insert({
      id: 'left',
      type: 'wait',
      parameters: {},
      idempotencyKey: null,
      requestHash: null,
      createdAt: clock,
    });
    store.markRunning('left', clock);
    store.raiseProgress('left', 0.4);

    const service = createService();
    service.register({ type: 'wait', pollIntervalSeconds: 1, run: async () => null });
    service.start();
    const job = service.get('left');
    expect(job.status).toBe('failed');
    expect(job.progress).toBe(0.4);
    expect(job.error!.code).toBe('JOB_INTERRUPTED');
    expect(events.map((event) => [event.event, event.data.id])).toEqual([['job.failed', 'left']]);
  });

  test('stored job of an unknown type fails', async () => {
    new JobStore(db).insert({
      id: 'gone',
      type: 'retired_type',
      parameters: {},
      idempotencyKey: null,
      requestHash: null,
      createdAt: clock,
    });
    const service = createService();
    service.start();
    await waitFor(() => statusOf(service, 'gone') === 'failed');
    expect(service.get('gone').error!.message).toContain('retired_type is not known');
  });

  test('cleanup follows the injected clock', async () => {
    const service = createService({ retentionMs: 60_000 });
    service.register({ type: 'noop', pollIntervalSeconds: 1, run: async () => null });
    service.start();
    const { job } = service.submit({ type: 'noop', parameters: {} });
    await service.onIdle();
    clock += 60_000;
    expect(service.removeExpired()).toBe(0);
    clock += 1;
    expect(service.removeExpired()).toBe(1);
    expect(() => service.get(job.id)).toThrow(/No job has id/);
  });

  test('unexpected runner error is stored as INTERNAL_ERROR', async () => {
    const service = createService();
    service.register({
      type: 'broken',
      pollIntervalSeconds: 1,
      run: async () => {
        throw new TypeError('cannot read x of undefined');
      },
    });
    service.start();
    const { job } = service.submit({ type: 'broken', parameters: {} });
    await service.onIdle();
    expect(service.get(job.id).error).toEqual({
      code: 'INTERNAL_ERROR',
      message: 'The job failed unexpectedly: cannot read x of undefined',
    });
  });

  test('registering a type twice raises', () => {
    const service = createService();
    service.register({ type: 'noop', pollIntervalSeconds: 1, run: async () => null });
    expect(() =>
      service.register({ type: 'noop', pollIntervalSeconds: 1, run: async () => null }),
    ).toThrow('job type noop is registered twice');
  });
});
