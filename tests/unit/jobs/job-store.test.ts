import { openDatabase, type Database } from '../../../daemon/src/store/database.js';
import { jobMigrations, JobStore } from '../../../daemon/src/store/job-store.js';

describe('JobStore', () => {
  let db: Database;
  let store: JobStore;

  function add(id: string, type = 'scene_preload', createdAt = 1000) {
    return store.insert({
      id,
      type,
      parameters: { n: id },
      idempotencyKey: null,
      requestHash: null,
      createdAt,
    });
  }

  beforeEach(() => {
    db = openDatabase(':memory:', jobMigrations);
    store = new JobStore(db);
  });
  afterEach(() => db.close());

  test('insert stores a queued job', () => {
    const job = add('a');
    expect(job).toEqual({
      id: 'a',
      type: 'scene_preload',
      status: 'queued',
      progress: 0,
      parameters: { n: 'a' },
      result: null,
      error: null,
      idempotencyKey: null,
      requestHash: null,
      createdAt: 1000,
      startedAt: null,
      completedAt: null,
    });
  });

  test('progress ignores lower values', () => {
    add('a');
    store.markRunning('a', 2000);
    expect(store.raiseProgress('a', 0.5)).toBe(true);
    expect(store.raiseProgress('a', 0.25)).toBe(false);
    expect(store.raiseProgress('a', 0.5)).toBe(false);
    expect(store.get('a')!.progress).toBe(0.5);
    expect(store.raiseProgress('a', 7)).toBe(true);
    expect(store.get('a')!.progress).toBe(1);
  });

  test('progress of a job not running stays', () => {
    add('a');
    expect(store.raiseProgress('a', 0.5)).toBe(false);
    expect(store.get('a')!.progress).toBe(0);
  });

  test('database trigger rejects a lower progress', () => {
    add('a');
    store.markRunning('a', 2000);
    store.raiseProgress('a', 0.75);
    expect(() => db.prepare("UPDATE jobs SET progress = 0.1 WHERE id = 'a'").run()).toThrow(
      'job progress must not decrease',
    );
  });

  test('status changes need the expected status', () => {
    add('a');
    expect(store.markCompleted('a', { ok: true }, 3000)).toBe(false);
    expect(store.markRunning('a', 2000)).toBe(true);
    expect(store.markRunning('a', 2000)).toBe(false);
    expect(store.markCompleted('a', { ok: true }, 3000)).toBe(true);
    expect(store.markCancelled('a', 4000)).toBe(false);
    expect(store.markFailed('a', { code: 'X', message: 'x' }, 4000)).toBe(false);
    const job = store.get('a')!;
    expect(job.status).toBe('completed');
    expect(job.progress).toBe(1);
    expect(job.result).toEqual({ ok: true });
    expect(job.startedAt).toBe(2000);
    expect(job.completedAt).toBe(3000);
  });

  test('cancelled job cannot start', () => {
    add('a');
    expect(store.markCancelled('a', 1500)).toBe(true);
    expect(store.markRunning('a', 2000)).toBe(false);
    expect(store.get('a')!.status).toBe('cancelled');
  });

  test('failed job keeps its error', () => {
    add('a');
    store.markRunning('a', 2000);
    store.markFailed('a', { code: 'NO_INSTANCE', message: 'none', details: { n: 1 } }, 3000);
    expect(store.get('a')!.error).toEqual({
      code: 'NO_INSTANCE',
      message: 'none',
      details: { n: 1 },
    });
  });

  test('list filters and pages newest first', () => {
    add('a', 'scene_preload');
    add('b', 'cache_warming');
    add('c', 'scene_preload');
    store.markRunning('c', 2000);
    expect(store.list({ limit: 10, offset: 0 }).jobs.map((job) => job.id)).toEqual(['c', 'b', 'a']);
    const preloads = store.list({ type: 'scene_preload', limit: 1, offset: 1 });
    expect(preloads.total).toBe(2);
    expect(preloads.jobs.map((job) => job.id)).toEqual(['a']);
    const running = store.list({ status: 'running', type: 'scene_preload', limit: 10, offset: 0 });
    expect(running.jobs.map((job) => job.id)).toEqual(['c']);
  });

  test('cleanup removes only old finished jobs', () => {
    for (const id of ['old-done', 'new-done', 'old-running', 'old-queued']) add(id);
    store.markRunning('old-done', 1000);
    store.markCompleted('old-done', null, 5000);
    store.markRunning('new-done', 1000);
    store.markCompleted('new-done', null, 9000);
    store.markRunning('old-running', 1000);
    expect(store.removeFinishedBefore(8000)).toBe(1);
    expect(store.get('old-done')).toBeUndefined();
    expect(store.get('new-done')).toBeDefined();
    expect(store.get('old-running')).toBeDefined();
    expect(store.get('old-queued')).toBeDefined();
  });

  test('idempotency key is unique', () => {
    const job = { type: 't', parameters: {}, idempotencyKey: 'k', requestHash: 'h', createdAt: 1 };
    store.insert({ id: 'a', ...job });
    expect(store.findByIdempotencyKey('k')!.id).toBe('a');
    expect(() => store.insert({ id: 'b', ...job })).toThrow(/UNIQUE/);
  });
});
