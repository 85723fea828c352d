import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import PQueue from 'p-queue';
import { stringify as stableStringify } from 'safe-stable-stringify';
import type { BridgeConfig } from '../config/defaults.js';
import { BridgeError } from '../errors/catalogue.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logging/logger.js';
import { describeSchemaErrors, type SchemaRegistry } from '../schemas/registry.js';
import {
  finishedStatuses,
  type JobError,
  type JobListFilter,
  type JobRecord,
  type JobStore,
} from '../store/job-store.js';
import type { JobContext, JobDefinition } from './job-definition.js';
import { jobEventData } from './job-view.js';

export interface JobServiceOptions {
  store: JobStore;
  config: Readonly<BridgeConfig['jobs']>;
  events: EventBus;
  log: Logger;
  /** Validates parameters against each type's schema; without it only `check` runs. */
  schemas?: SchemaRegistry;
  /** Clock in Unix milliseconds; tests pass their own to move time. */
  now?: () => number;
}

export interface SubmitRequest {
  type: string;
  parameters: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface SubmitResult {
  job: JobRecord;
  /** True when the idempotency key matched an earlier submission and no job was added. */
  replayed: boolean;
  pollIntervalSeconds: number;
}

export interface CancelResult {
  job: JobRecord;
  /** False while a running job is still winding down after the cancel. */
  finished: boolean;
}

/** Why a job's AbortSignal fired: a caller cancelled it or the daemon is stopping. */
class AbortReason extends Error {
  constructor(readonly kind: 'cancel' | 'stop') {
    super(kind === 'cancel' ? 'the job was cancelled' : 'the daemon is stopping');
    this.name = 'AbortError';
  }
}

const interruptedError: JobError = {
  code: 'JOB_INTERRUPTED',
  message:
    'The daemon stopped while this job was running (it was stopped, killed or crashed). ' +
    'Submit the job again.',
};

/** Maximum time `stop()` waits for running jobs to wind down after aborting them. */
const stopGraceMs = 5000;

/**
 * The job queue: stores each submitted job in SQLite before acknowledging
 * it, runs at most `jobs.concurrency` at once through p-queue, and records
 * progress, results and errors. Emits `progress` with `{id, progress}` after
 * each stored progress change.
 */
export class JobService extends EventEmitter {
  private readonly definitions = new Map<string, JobDefinition<never>>();
  private readonly queue: PQueue;
  /** Controllers of the jobs queued in p-queue or running. */
  private readonly controllers = new Map<string, AbortController>();
  /** Settles when a running job has stored its final status. */
  private readonly running = new Map<string, Promise<void>>();
  private readonly store: JobStore;
  private readonly log: Logger;
  private readonly now: () => number;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: JobServiceOptions) {
    super();
    this.store = options.store;
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.queue = new PQueue({ concurrency: options.config.concurrency, autoStart: false });
  }

  /** Adds a job type. Types are registered before `start()`. */
  register<P>(definition: JobDefinition<P>): void {
    if (this.definitions.has(definition.type)) {
      throw new Error(`job type ${definition.type} is registered twice`);
    }
    this.definitions.set(definition.type, definition as unknown as JobDefinition<never>);
  }

  get types(): string[] {
    return [...this.definitions.keys()].sort();
  }

  /** Number of jobs running now. */
  get runningCount(): number {
    return this.running.size;
  }

  /**
   * Fails the jobs a previous run left running, queues the stored queued jobs
   * in their original order, and starts the hourly cleanup.
   */
  start(): void {
    for (const job of this.store.listByStatus('running')) {
      if (!this.store.markFailed(job.id, interruptedError, this.now())) continue;
      this.log.warn({ jobId: job.id, type: job.type }, 'job interrupted by a daemon stop');
      this.publish('job.failed', job.id);
    }
    const queued = this.store.listByStatus('queued');
    for (const job of queued) this.enqueue(job);
    if (queued.length > 0) this.log.info({ count: queued.length }, 'resuming queued jobs');

    this.removeExpired();
    this.cleanupTimer = setInterval(
      () => this.removeExpired(),
      this.options.config.cleanupIntervalMs,
    );
    this.cleanupTimer.unref();
    this.queue.start();
  }

  /**
   * Stops taking work: queued jobs stay queued in the store for the next
   * start, and running jobs are aborted and stored as failed with
   * JOB_INTERRUPTED.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.cleanupTimer);
    this.queue.pause();
    for (const controller of this.controllers.values()) controller.abort(new AbortReason('stop'));
    const winding = Promise.allSettled([...this.running.values()]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, stopGraceMs);
    });
    await Promise.race([winding, timeout]);
    clearTimeout(timer);
    if (this.running.size > 0) {
      this.log.warn({ jobIds: [...this.running.keys()] }, 'jobs still running at stop');
    }
  }

  /**
   * Validates and stores a job, then queues it. With an idempotency key that
   * was used before, returns the first job instead when the request matches.
   */
  submit(request: SubmitRequest): SubmitResult {
    const definition = this.definition(request.type);
    this.checkParameters(definition, request.parameters);
    const requestHash = hashRequest(request.type, request.parameters);
    const key = request.idempotencyKey ?? null;

    if (key !== null) {
      const existing = this.store.findByIdempotencyKey(key);
      if (existing) return this.replay(existing, key, requestHash, definition);
    }
    const job = this.store.insert({
      id: randomUUID(),
      type: request.type,
      parameters: request.parameters,
      idempotencyKey: key,
      requestHash,
      createdAt: this.now(),
    });
    this.log.info({ jobId: job.id, type: job.type }, 'job queued');
    if (!this.stopped) this.enqueue(job);
    return { job, replayed: false, pollIntervalSeconds: definition.pollIntervalSeconds };
  }

  /** Returns a job, or raises JOB_NOT_FOUND. */
  get(id: string): JobRecord {
    const job = this.store.get(id);
    if (!job) {
      throw new BridgeError(
        'JOB_NOT_FOUND',
        `No job has id "${id}". Finished jobs are kept for ${formatDuration(this.options.config.retentionMs)}; ` +
          'GET /jobs lists the jobs that exist.',
        { details: { id } },
      );
    }
    return job;
  }

  list(filter: JobListFilter): { jobs: JobRecord[]; total: number } {
    return this.store.list(filter);
  }

  /**
   * Cancels a queued or running job. A running job is aborted and given up
   * to `waitMs` to reach its next step, and `finished` reports whether it did.
   */
  async cancel(id: string, waitMs = 1000): Promise<CancelResult> {
    const job = this.get(id);
    if (finishedStatuses.includes(job.status)) {
      throw new BridgeError(
        'JOB_NOT_CANCELLABLE',
        `Job ${id} is already ${job.status}, so it cannot be cancelled.`,
        { details: { id, status: job.status } },
      );
    }
    if (job.status === 'queued' && this.store.markCancelled(id, this.now())) {
      this.controllers.get(id)?.abort(new AbortReason('cancel'));
      this.controllers.delete(id);
      this.log.info({ jobId: id, type: job.type }, 'job cancelled while queued');
      this.publish('job.cancelled', id);
      return { job: this.get(id), finished: true };
    }
    // The job is running (or started between the read and the update).
    this.controllers.get(id)?.abort(new AbortReason('cancel'));
    const settled = this.running.get(id);
    if (settled) await waitAtMost(settled, waitMs);
    const current = this.get(id);
    return { job: current, finished: finishedStatuses.includes(current.status) };
  }

  /** Deletes finished jobs older than `jobs.retentionMs`, with their idempotency keys. */
  removeExpired(): number {
    const removed = this.store.removeFinishedBefore(this.now() - this.options.config.retentionMs);
    if (removed > 0) this.log.info({ removed }, 'removed expired jobs');
    return removed;
  }

  /** Resolves when no job is queued in memory or running. */
  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }

  private definition(type: string): JobDefinition<never> {
    const definition = this.definitions.get(type);
    if (definition) return definition;
    throw new BridgeError(
      'VALIDATION_FAILED',
      `type ${JSON.stringify(type)} is not a job type. Use one of: ${this.types.join(', ')}.`,
      { details: { field: 'type', allowed: this.types } },
    );
  }

  private checkParameters(definition: JobDefinition<never>, parameters: unknown): void {
    const schemaId = definition.schemaId;
    if (schemaId !== undefined && this.options.schemas) {
      const validate = this.options.schemas.validator(schemaId);
      if (!validate(parameters)) {
        const problems = describeSchemaErrors(validate.errors).map((problem) =>
          problem.startsWith('body') ? `parameters${problem.slice(4)}` : `parameters.${problem}`,
        );
        throw new BridgeError(
          'VALIDATION_FAILED',
          `Invalid parameters for a ${definition.type} job: ${problems.join('; ')}.`,
          { details: { problems } },
        );
      }
    }
    definition.check?.(parameters as never);
  }

  private replay(
    existing: JobRecord,
    key: string,
    requestHash: string,
    definition: JobDefinition<never>,
  ): SubmitResult {
    if (existing.requestHash !== requestHash) {
      throw new BridgeError(
        'IDEMPOTENCY_KEY_CONFLICT',
        `Idempotency-Key "${key}" was already used for job ${existing.id} with a different ` +
          'type or parameters. Use a new key for a new request.',
        { details: { idempotency_key: key, job_id: existing.id } },
      );
    }
    this.log.info({ jobId: existing.id, idempotencyKey: key }, 'job submission replayed');
    return { job: existing, replayed: true, pollIntervalSeconds: definition.pollIntervalSeconds };
  }

  private enqueue(job: JobRecord): void {
    const controller = new AbortController();
    this.controllers.set(job.id, controller);
    this.queue
      .add(() => this.execute(job, controller.signal), { signal: controller.signal })
      .catch((error: unknown) => {
        // p-queue rejects the add() of a job aborted before it started; the
        // cancel or the stop that aborted it has already recorded why.
        if (controller.signal.aborted) return;
        this.log.error({ err: error, jobId: job.id }, 'job queue task failed');
      });
  }

  private async execute(job: JobRecord, signal: AbortSignal): Promise<void> {
    if (signal.aborted || !this.store.markRunning(job.id, this.now())) {
      this.controllers.delete(job.id);
      return;
    }
    const log = this.log.child({ jobId: job.id, type: job.type });
    log.info('job started');
    this.publish('job.started', job.id);
    const settled = this.runToEnd(job, signal, log);
    this.running.set(job.id, settled);
    try {
      await settled;
    } finally {
      this.running.delete(job.id);
      this.controllers.delete(job.id);
    }
  }

  private async runToEnd(job: JobRecord, signal: AbortSignal, log: Logger): Promise<void> {
    const context: JobContext = {
      id: job.id,
      signal,
      log,
      reportProgress: (fraction) => this.raiseProgress(job.id, fraction),
    };
    try {
      const definition = this.definitions.get(job.type);
      if (!definition) {
        throw new BridgeError(
          'SERVICE_UNAVAILABLE',
          `Job type ${job.type} is not known to this daemon build, so the job cannot run.`,
        );
      }
      const result = await definition.run(job.parameters as never, context);
      if (signal.reason instanceof AbortReason && signal.reason.kind === 'cancel') {
        // The runner stopped early and returned what it had done, as a batch does.
        this.finishCancelled(job, log, result);
        return;
      }
      this.store.markCompleted(job.id, result, this.now());
      log.info('job completed');
      this.publish('job.completed', job.id);
    } catch (error) {
      this.finishWithError(job, signal, error, log);
    }
  }

  private finishWithError(job: JobRecord, signal: AbortSignal, error: unknown, log: Logger): void {
    const reason = signal.aborted ? signal.reason : undefined;
    if (reason instanceof AbortReason && reason.kind === 'cancel') {
      this.finishCancelled(job, log);
      return;
    }
    const jobError = reason instanceof AbortReason ? interruptedError : toJobError(error);
    this.store.markFailed(job.id, jobError, this.now());
    if (jobError.code === 'INTERNAL_ERROR') log.error({ err: error }, 'job failed');
    else log.warn({ code: jobError.code, message: jobError.message }, 'job failed');
    this.publish('job.failed', job.id);
  }

  private finishCancelled(job: JobRecord, log: Logger, partialResult?: unknown): void {
    if (!this.store.markCancelled(job.id, this.now(), partialResult)) return;
    log.info('job cancelled while running');
    this.publish('job.cancelled', job.id);
  }

  private raiseProgress(id: string, fraction: number): void {
    if (!Number.isFinite(fraction)) return;
    if (this.store.raiseProgress(id, fraction)) {
      this.emit('progress', { id, progress: Math.min(1, Math.max(0, fraction)) });
    }
  }

  private publish(
    name: 'job.started' | 'job.completed' | 'job.failed' | 'job.cancelled',
    id: string,
  ): void {
    const job = this.store.get(id);
    if (job) this.options.events.publish(name, jobEventData(job));
  }
}

/** Hash of a submission, compared when an idempotency key comes back. */
function hashRequest(type: string, parameters: Record<string, unknown>): string {
  // A canonical JSON form, so that the order of keys does not count as a change.
  const canonical = stableStringify({ type, parameters }) ?? '';
  return createHash('sha256').update(canonical).digest('hex');
}

function toJobError(error: unknown): JobError {
  if (error instanceof BridgeError) {
    const body = error.toBody().error;
    return body.details === undefined
      ? { code: body.code, message: body.message }
      : { code: body.code, message: body.message, details: body.details };
  }
  return {
    code: 'INTERNAL_ERROR',
    message: `The job failed unexpectedly: ${(error as Error)?.message ?? String(error)}`,
  };
}

async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
}

function formatDuration(ms: number): string {
  const hours = ms / 3600_000;
  return Number.isInteger(hours) ? `${hours} hours` : `${Math.round(ms / 1000)} seconds`;
}
