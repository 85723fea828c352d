import { performance } from 'node:perf_hooks';
import type { BridgeConfig } from '../config/defaults.js';
import type { Logger } from '../logging/logger.js';
import { daemonVersion } from '../version.js';
import { AddressRejectedError, type DeliveryResponse, type HttpSender } from './http-sender.js';
import { parseRetryAfter } from './retry-after.js';
import { signatureHeaders } from './signing.js';
import type { DeliveryRecord, WebhookRecord, WebhookStore } from './webhook-store.js';

export type WebhookSettings = BridgeConfig['webhooks'];

/** Outcome of one attempt, before the retry policy is applied. */
type AttemptResult =
  | { kind: 'success'; statusCode: number }
  | { kind: 'gone'; statusCode: number }
  | { kind: 'rejected'; error: string }
  | { kind: 'failed'; statusCode: number | null; error: string; retryAfterMs?: number };

/** Due rows read per query; one query per row would cost more than the HTTP request. */
const readyBatchSize = 100;

// Timers above this overflow setTimeout's 32-bit delay and would fire at once.
const maxTimerMs = 2 ** 31 - 1;

/** Outcome of one delivery attempt: delivered, to be retried, or failed for good. */
export type AttemptOutcome = 'success' | 'retry' | 'failure';

/**
 * Sends queued deliveries. The outbox rows in SQLite are the queue: the
 * worker claims due rows (`next_attempt_at <= now`) up to the concurrency
 * limit, sends them, and stores each outcome with the next attempt time. A
 * timer wakes it for the earliest future attempt.
 */
export class DeliveryWorker {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly waiters = new Map<string, Array<(delivery?: DeliveryRecord) => void>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private pollScheduled = false;
  private pendingWrites: Array<() => void> = [];
  /** Due rows fetched in one query and not yet sent, oldest due first. */
  private ready: DeliveryRecord[] = [];
  private running = false;

  constructor(
    private readonly options: {
      store: WebhookStore;
      sender: HttpSender;
      settings: Readonly<WebhookSettings>;
      log: Logger;
      now: () => number;
      onAttempt?: (outcome: AttemptOutcome) => void;
    },
  ) {}

  /** Starts polling; deliveries queued before a crash or stop are due at once. */
  start(): void {
    const pending = this.options.store.pendingCount();
    this.options.log.info({ pending }, 'webhook delivery worker started');
    this.running = true;
    this.kick();
  }

  /** Stops polling and aborts requests in flight; their rows stay queued for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled(this.inFlight.values());
    for (const [id, list] of this.waiters) {
      for (const wake of list) wake(undefined);
      this.waiters.delete(id);
    }
  }

  /** Looks for due deliveries soon; call after queueing one. */
  kick(): void {
    if (!this.running || this.pollScheduled) return;
    this.pollScheduled = true;
    setImmediate(() => {
      this.pollScheduled = false;
      this.poll();
    });
  }

  /**
   * Resolves with the delivery after its next attempt is stored, or with
   * undefined when none finishes within `timeoutMs`.
   */
  waitForAttempt(deliveryId: string, timeoutMs: number): Promise<DeliveryRecord | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (delivery?: DeliveryRecord) => {
        clearTimeout(timer);
        const list = this.waiters.get(deliveryId)?.filter((wake) => wake !== finish) ?? [];
        if (list.length > 0) this.waiters.set(deliveryId, list);
        else this.waiters.delete(deliveryId);
        resolve(delivery);
      };
      const list = this.waiters.get(deliveryId) ?? [];
      list.push(finish);
      this.waiters.set(deliveryId, list);
    });
  }

  private poll(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const { store, settings, now } = this.options;

    while (this.inFlight.size < settings.concurrency) {
      if (this.ready.length === 0)
        this.ready = store.dueDeliveries(now(), readyBatchSize, this.inFlight.keys());
      const delivery = this.ready.shift();
      if (!delivery) break;
      this.dispatch(delivery);
    }

    if (this.inFlight.size >= settings.concurrency) return;
    const due = store.nextDueAt(this.inFlight.keys());
    if (due !== null) {
      const delay = Math.min(Math.max(0, due - now()), maxTimerMs);
      this.timer = setTimeout(() => this.poll(), delay);
    }
  }

  private dispatch(delivery: DeliveryRecord): void {
    const work = this.attempt(delivery.id)
      .catch((error: unknown) => {
        this.options.log.error(
          { err: error, delivery_id: delivery.id },
          'webhook attempt failed unexpectedly',
        );
      })
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.poll();
      });
    this.inFlight.set(delivery.id, work);
  }

  private async attempt(deliveryId: string): Promise<void> {
    const { store, now } = this.options;
    // Rows wait in the ready batch for a while, so the current row decides what is sent.
    const delivery = store.getDelivery(deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    const webhook = store.getWebhook(delivery.webhookId);
    if (!webhook) return; // deleted while queued: its rows went with it
    if (!webhook.active) {
      this.finishUnsent(delivery, webhook);
      return;
    }

    const attempt = delivery.attempt + 1;
    const startedAt = now();
    const started = performance.now();
    const result = await this.send(webhook, delivery, attempt, startedAt);
    if (result === undefined) return; // aborted by stop(): the row stays pending
    const durationMs = Math.round(performance.now() - started);

    const updated = await this.commit(() => {
      const current = store.getWebhook(webhook.id);
      if (!current || !store.getDelivery(delivery.id)) return undefined;
      return this.applyResult(current, delivery, result, { attempt, startedAt, durationMs });
    });
    if (updated) this.wake(updated);
  }

  /**
   * Runs `write` in a transaction shared with the other outcomes that finish
   * in the same turn of the event loop. One commit per group instead of one
   * per attempt is what lets loopback receivers reach thousands per second.
   */
  private commit<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pendingWrites.push(() => {
        try {
          resolve(write());
        } catch (error) {
          reject(error);
        }
      });
      if (this.pendingWrites.length > 1) return;
      setImmediate(() => {
        const writes = this.pendingWrites.splice(0);
        this.options.store.transaction(() => {
          for (const run of writes) run();
        });
      });
    });
  }

  private async send(
    webhook: WebhookRecord,
    delivery: DeliveryRecord,
    attempt: number,
    startedAt: number,
  ): Promise<AttemptResult | undefined> {
    const { settings, sender } = this.options;
    const previousSecretValid =
      webhook.previousSecret !== null && (webhook.previousSecretExpiresAt ?? 0) > startedAt;
    const headers = {
      'content-type': 'application/json',
      'user-agent': `godot-bridge/${daemonVersion}`,
      'x-webhook-event': delivery.event,
      'x-webhook-id': webhook.id,
      'x-webhook-delivery': delivery.id,
      'x-webhook-attempt': String(attempt),
      ...signatureHeaders({
        deliveryId: delivery.id,
        timestampSeconds: Math.floor(startedAt / 1000),
        body: delivery.body,
        secret: webhook.secret,
        previousSecret: previousSecretValid ? (webhook.previousSecret ?? undefined) : undefined,
      }),
    };
    let response: DeliveryResponse;
    try {
      response = await sender.send({
        url: webhook.url,
        headers,
        body: delivery.body,
        timeoutMs: settings.timeoutMs,
        signal: this.abort.signal,
      });
    } catch (error) {
      if (this.abort.signal.aborted) return undefined;
      if (error instanceof AddressRejectedError) return { kind: 'rejected', error: error.message };
      return { kind: 'failed', statusCode: null, error: describeNetworkError(error) };
    }
    const { statusCode } = response;
    if (statusCode >= 200 && statusCode < 300) return { kind: 'success', statusCode };
    if (statusCode === 410) return { kind: 'gone', statusCode };
    const retryAfterMs = parseRetryAfter(
      response.headers['retry-after'],
      this.options.now(),
      settings.maxRetryAfterMs,
    );
    return {
      kind: 'failed',
      statusCode,
      error: `receiver answered HTTP ${statusCode}`,
      retryAfterMs,
    };
  }

  /** Stores an attempt and decides what follows it; runs inside a transaction. */
  private applyResult(
    webhook: WebhookRecord,
    delivery: DeliveryRecord,
    result: AttemptResult,
    timing: { attempt: number; startedAt: number; durationMs: number },
  ): DeliveryRecord {
    const { store, settings, log, now } = this.options;
    const finishedAt = now();
    const statusCode = 'statusCode' in result ? result.statusCode : null;
    const error = 'error' in result ? result.error : null;
    const success = result.kind === 'success';
    const roundAttempts = delivery.roundAttempts + 1;
    const ids = { delivery_id: delivery.id, webhook_id: webhook.id, event: delivery.event };

    const next: DeliveryRecord = {
      ...delivery,
      attempt: timing.attempt,
      roundAttempts,
      statusCode,
      durationMs: timing.durationMs,
      error,
      updatedAt: finishedAt,
      lastAttemptAt: timing.startedAt,
    };
    const retryDelay = settings.retryDelaysMs[roundAttempts - 1];
    const retry = result.kind === 'failed' && retryDelay !== undefined;
    if (retry) {
      const delay = result.retryAfterMs ?? retryDelay;
      next.status = 'pending';
      next.nextAttemptAt = finishedAt + delay;
      log.warn(
        { ...ids, attempt: timing.attempt, status_code: statusCode, error, retry_in_ms: delay },
        'webhook delivery failed, retrying',
      );
    } else {
      next.status = success ? 'succeeded' : 'failed';
      next.nextAttemptAt = null;
      next.completedAt = finishedAt;
    }
    store.recordAttempt({ ...timing, deliveryId: delivery.id, statusCode, success, error }, next);
    let outcome: AttemptOutcome = 'failure';
    if (success) outcome = 'success';
    else if (retry) outcome = 'retry';
    this.options.onAttempt?.(outcome);

    if (success) {
      log.info(
        {
          ...ids,
          attempt: timing.attempt,
          status_code: statusCode,
          duration_ms: timing.durationMs,
        },
        'webhook delivered',
      );
      if (webhook.consecutiveFailures > 0) {
        store.saveWebhook({ ...webhook, consecutiveFailures: 0, updatedAt: finishedAt });
      }
    } else if (result.kind === 'gone') {
      this.disable(webhook, `receiver answered 410 Gone to delivery ${delivery.id}`, finishedAt);
    } else if (!retry) {
      log.warn(
        { ...ids, attempt: timing.attempt, status_code: statusCode, error },
        'webhook delivery failed for good',
      );
      this.countFinalFailure(webhook, finishedAt);
    }
    store.prune(webhook.id, settings.historyLimit);
    return next;
  }

  private countFinalFailure(webhook: WebhookRecord, now: number): void {
    const failures = webhook.consecutiveFailures + 1;
    const updated = { ...webhook, consecutiveFailures: failures, updatedAt: now };
    this.options.store.saveWebhook(updated);
    if (failures >= this.options.settings.disableAfterFailures) {
      this.disable(updated, `${failures} deliveries in a row failed after their last retry`, now);
    }
  }

  private disable(webhook: WebhookRecord, reason: string, now: number): void {
    const { store, log } = this.options;
    store.saveWebhook({ ...webhook, active: false, disabledReason: reason, updatedAt: now });
    const cancelled = store.cancelPending(
      webhook.id,
      `not sent: webhook disabled (${reason})`,
      now,
    );
    log.warn({ webhook_id: webhook.id, reason, cancelled }, 'webhook disabled');
  }

  private finishUnsent(delivery: DeliveryRecord, webhook: WebhookRecord): void {
    const now = this.options.now();
    const reason = webhook.disabledReason ?? 'deactivated';
    const finished: DeliveryRecord = {
      ...delivery,
      status: 'failed',
      error: `not sent: webhook disabled (${reason})`,
      nextAttemptAt: null,
      completedAt: now,
      updatedAt: now,
    };
    this.options.store.saveDelivery(finished);
    this.wake(finished);
  }

  private wake(delivery: DeliveryRecord): void {
    const list = this.waiters.get(delivery.id);
    if (!list) return;
    for (const wake of [...list]) wake(delivery);
  }
}

function describeNetworkError(error: unknown): string {
  const typed = error as NodeJS.ErrnoException;
  if (typed.name === 'DeliveryTimeoutError') return `timed out: ${typed.message}`;
  return typed.code ? `${typed.code}: ${typed.message}` : (typed.message ?? String(error));
}
