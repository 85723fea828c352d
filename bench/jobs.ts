/**
 * Throughput of the job queue: jobs per second through submit, run and
 * complete with SQLite persistence on (a WAL database file in a temporary
 * folder), against p-queue alone in memory, measured in the same run. The
 * job type is a no-op registered only here, so the figures are the queue's
 * own cost: validation, the id, four committed writes and the events.
 *
 *   npm run bench:jobs -- [jobs]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PQueue from 'p-queue';
import { EventBus } from '../daemon/src/events/event-bus.js';
import { JobService } from '../daemon/src/jobs/job-service.js';
import { createSilentLogger } from '../daemon/src/logging/logger.js';
import { openDatabase } from '../daemon/src/store/database.js';
import { jobMigrations, JobStore } from '../daemon/src/store/job-store.js';

const jobCount = Number(process.argv[2] ?? 5000);
const concurrency = 3;
const rounds = 3;

/** Submits `jobCount` no-op jobs to a persistent JobService and waits for all to complete. */
async function persistedRun(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'godot-bridge-bench-jobs-'));
  const db = openDatabase(path.join(dir, 'state.db'), jobMigrations);
  const service = new JobService({
    store: new JobStore(db),
    config: {
      concurrency,
      retentionMs: 24 * 3600_000,
      cleanupIntervalMs: 3600_000,
      instanceWaitMs: 0,
    },
    events: new EventBus(),
    log: createSilentLogger(),
  });
  service.register({
    type: 'noop',
    pollIntervalSeconds: 1,
    run: async (_parameters, context) => {
      context.reportProgress(1);
      return { ok: true };
    },
  });
  service.start();

  const started = performance.now();
  for (let i = 0; i < jobCount; i++) service.submit({ type: 'noop', parameters: { i } });
  await service.onIdle();
  const seconds = (performance.now() - started) / 1000;

  const completed = service.list({ status: 'completed', limit: 1, offset: 0 }).total;
  if (completed !== jobCount) throw new Error(`${completed} of ${jobCount} jobs completed`);
  await service.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return jobCount / seconds;
}

/** Runs the same number of no-op tasks through p-queue alone, storing nothing. */
async function inMemoryRun(): Promise<number> {
  const queue = new PQueue({ concurrency });
  const started = performance.now();
  for (let i = 0; i < jobCount; i++) void queue.add(async () => ({ ok: true, i }));
  await queue.onIdle();
  return jobCount / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  await persistedRun();
  await inMemoryRun();
  // Alternate the two so that machine noise hits both alike; report the best round of each.
  const persisted: number[] = [];
  const memory: number[] = [];
  for (let round = 0; round < rounds; round++) {
    persisted.push(await persistedRun());
    memory.push(await inMemoryRun());
  }
  const bestPersisted = Math.max(...persisted);
  const bestMemory = Math.max(...memory);
  const format = (value: number) => `${Math.round(value).toLocaleString('en-US')} jobs/s`;
  console.log(`jobs per run: ${jobCount}, concurrency ${concurrency}, best of ${rounds} runs`);
  console.log(`p-queue alone, in memory:      ${format(bestMemory)}`);
  console.log(`JobService, SQLite WAL file:   ${format(bestPersisted)}  (target >= 1,000)`);
  console.log(`ratio (in memory / persisted): ${(bestMemory / bestPersisted).toFixed(1)}`);
}

await main();
