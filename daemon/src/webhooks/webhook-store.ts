import type { Statement } from 'better-sqlite3';
import type { Database } from '../store/database.js';

/** A registered webhook as stored. Times are Unix milliseconds. */
export interface WebhookRecord {
  id: string;
  url: string;
  /** Event names, or `*` for every event. */
  events: string[];
  secret: string;
  /** The secret before the last rotation; signs deliveries until it expires. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  description: string | null;
  active: boolean;
  /** Reason the daemon disabled the webhook, or null when it is active or was deactivated by a caller. */
  disabledReason: string | null;
  /** Deliveries in a row that failed after their last retry. */
  consecutiveFailures: number;
  createdAt: number;
  updatedAt: number;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One outbox row: a payload for one webhook and the state of its sending. */
export interface DeliveryRecord {
  id: string;
  webhookId: string;
  event: string;
  /** The exact JSON body sent on every attempt. */
  body: string;
  status: DeliveryStatus;
  /** Attempts made so far, counting those of earlier redeliveries. */
  attempt: number;
  /** Attempts made since the delivery was queued or last redelivered. */
  roundAttempts: number;
  redeliveryCount: number;
  nextAttemptAt: number | null;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
  lastAttemptAt: number | null;
  completedAt: number | null;
}

/** One HTTP attempt of a delivery. */
export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  success: boolean;
  error: string | null;
}

type Row = Record<string, unknown>;

/** SQLite access for webhooks, deliveries and attempts; no policy lives here. */
export class WebhookStore {
  private readonly statements = new Map<string, Statement>();
  /** Active webhooks, read once per change instead of once per event; any write clears it. */
  private activeCache: WebhookRecord[] | undefined;

  constructor(private readonly db: Database) {}

  // Each SQL text is compiled once: deliveries run these statements thousands of times.
  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  insertWebhook(webhook: WebhookRecord): void {
    this.activeCache = undefined;
    this.statement(
      `INSERT INTO webhooks (id, url, events, secret, previous_secret,
           previous_secret_expires_at, description, active, disabled_reason,
           consecutive_failures, created_at, updated_at)
         VALUES (@id, @url, @events, @secret, @previousSecret, @previousSecretExpiresAt,
           @description, @active, @disabledReason, @consecutiveFailures, @createdAt, @updatedAt)`,
    ).run(webhookParams(webhook));
  }

  saveWebhook(webhook: WebhookRecord): void {
    this.activeCache = undefined;
    this.statement(
      `UPDATE webhooks SET url = @url, events = @events, secret = @secret,
           previous_secret = @previousSecret,
           previous_secret_expires_at = @previousSecretExpiresAt,
           description = @description, active = @active, disabled_reason = @disabledReason,
           consecutive_failures = @consecutiveFailures, updated_at = @updatedAt
         WHERE id = @id`,
    ).run(webhookParams(webhook));
  }

  getWebhook(id: string): WebhookRecord | undefined {
    const row = this.statement('SELECT * FROM webhooks WHERE id = ?').get(id) as Row | undefined;
    return row ? toWebhook(row) : undefined;
  }

  listWebhooks(): WebhookRecord[] {
    const rows = this.statement('SELECT * FROM webhooks ORDER BY created_at, id').all() as Row[];
    return rows.map(toWebhook);
  }

  activeWebhooks(): WebhookRecord[] {
    this.activeCache ??= (
      this.statement('SELECT * FROM webhooks WHERE active = 1').all() as Row[]
    ).map(toWebhook);
    return this.activeCache;
  }

  deleteWebhook(id: string): boolean {
    this.activeCache = undefined;
    return this.statement('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
  }

  insertDelivery(delivery: DeliveryRecord): void {
    this.statement(
      `INSERT INTO webhook_deliveries (id, webhook_id, event, body, status, attempt,
           round_attempts, redelivery_count, next_attempt_at, created_at, updated_at)
         VALUES (@id, @webhookId, @event, @body, @status, @attempt, @roundAttempts,
           @redeliveryCount, @nextAttemptAt, @createdAt, @updatedAt)`,
    ).run(delivery);
  }

  getDelivery(id: string): DeliveryRecord | undefined {
    const row = this.statement('SELECT * FROM webhook_deliveries WHERE id = ?').get(id) as
      Row | undefined;
    return row ? toDelivery(row) : undefined;
  }

  /**
   * Up to `limit` pending deliveries due at `now`, oldest due first, leaving
   * out the ids being sent. Rows stay `pending` while in flight, so a killed
   * daemon finds them due again after a restart.
   */
  dueDeliveries(now: number, limit: number, sending: Iterable<string>): DeliveryRecord[] {
    const rows = this.statement(
      `SELECT * FROM webhook_deliveries
       WHERE status = 'pending' AND next_attempt_at <= ?
         AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at, seq LIMIT ?`,
    ).all(now, JSON.stringify([...sending]), limit) as Row[];
    return rows.map(toDelivery);
  }

  /** Earliest `next_attempt_at` of a pending delivery not being sent, or null. */
  nextDueAt(sending: Iterable<string> = []): number | null {
    const row = this.statement(
      `SELECT next_attempt_at AS due FROM webhook_deliveries
       WHERE status = 'pending' AND id NOT IN (SELECT value FROM json_each(?))
       ORDER BY next_attempt_at LIMIT 1`,
    ).get(JSON.stringify([...sending])) as { due: number } | undefined;
    return row?.due ?? null;
  }

  /** Number of deliveries waiting to be sent. */
  pendingCount(): number {
    const row = this.statement(
      `SELECT COUNT(*) AS count FROM webhook_deliveries WHERE status = 'pending'`,
    ).get() as { count: number };
    return row.count;
  }

  /** Stores the outcome of one attempt: the attempt row and the delivery's new state. */
  recordAttempt(attempt: AttemptRecord, delivery: DeliveryRecord): void {
    this.statement(
      `INSERT OR REPLACE INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms,
           status_code, success, error)
         VALUES (@deliveryId, @attempt, @startedAt, @durationMs, @statusCode, @success, @error)`,
    ).run({ ...attempt, success: attempt.success ? 1 : 0 });
    this.saveDelivery(delivery);
  }

  saveDelivery(delivery: DeliveryRecord): void {
    this.statement(
      `UPDATE webhook_deliveries SET status = @status, attempt = @attempt,
           round_attempts = @roundAttempts, redelivery_count = @redeliveryCount,
           next_attempt_at = @nextAttemptAt, status_code = @statusCode,
           duration_ms = @durationMs, error = @error, updated_at = @updatedAt,
           last_attempt_at = @lastAttemptAt, completed_at = @completedAt
         WHERE id = @id`,
    ).run(delivery);
  }

  /** Fails every pending delivery of a webhook with `error`; returns how many. */
  cancelPending(webhookId: string, error: string, now: number): number {
    return this.statement(
      `UPDATE webhook_deliveries SET status = 'failed', error = ?, next_attempt_at = NULL,
           completed_at = ?, updated_at = ?
         WHERE webhook_id = ? AND status = 'pending'`,
    ).run(error, now, now, webhookId).changes;
  }

  /** Deletes a webhook's finished deliveries beyond the newest `keep`; queued ones stay. */
  prune(webhookId: string, keep: number): number {
    // The partial index on finished rows keeps this at `keep` index steps however many
    // deliveries are still queued.
    return this.statement(
      `DELETE FROM webhook_deliveries WHERE seq IN (
         SELECT seq FROM webhook_deliveries INDEXED BY webhook_deliveries_finished
         WHERE webhook_id = ? AND status IN ('succeeded', 'failed')
         ORDER BY seq DESC LIMIT -1 OFFSET ?)`,
    ).run(webhookId, keep).changes;
  }

  /** A page of a webhook's deliveries, newest first, with the total count. */
  listDeliveries(
    webhookId: string,
    limit: number,
    offset: number,
  ): { total: number; deliveries: DeliveryRecord[] } {
    const { total } = this.statement(
      'SELECT COUNT(*) AS total FROM webhook_deliveries WHERE webhook_id = ?',
    ).get(webhookId) as { total: number };
    const rows = this.statement(
      `SELECT * FROM webhook_deliveries WHERE webhook_id = ?
         ORDER BY seq DESC LIMIT ? OFFSET ?`,
    ).all(webhookId, limit, offset) as Row[];
    return { total, deliveries: rows.map(toDelivery) };
  }

  /** Lists the newest deliveries across every webhook. */
  recentDeliveries(limit: number): DeliveryRecord[] {
    const rows = this.statement('SELECT * FROM webhook_deliveries ORDER BY seq DESC LIMIT ?').all(
      limit,
    ) as Row[];
    return rows.map(toDelivery);
  }

  /** Attempts of the given deliveries, grouped by delivery id, oldest first. */
  attemptsOf(deliveryIds: string[]): Map<string, AttemptRecord[]> {
    const grouped = new Map<string, AttemptRecord[]>();
    if (deliveryIds.length === 0) return grouped;
    const rows = this.statement(
      `SELECT * FROM webhook_attempts
         WHERE delivery_id IN (SELECT value FROM json_each(?))
         ORDER BY delivery_id, attempt`,
    ).all(JSON.stringify(deliveryIds)) as Row[];
    for (const row of rows) {
      const attempt = toAttempt(row);
      const list = grouped.get(attempt.deliveryId) ?? [];
      list.push(attempt);
      grouped.set(attempt.deliveryId, list);
    }
    return grouped;
  }
}

function webhookParams(webhook: WebhookRecord): Record<string, unknown> {
  return { ...webhook, events: JSON.stringify(webhook.events), active: webhook.active ? 1 : 0 };
}

function toWebhook(row: Row): WebhookRecord {
  return {
    id: row.id as string,
    url: row.url as string,
    events: JSON.parse(row.events as string) as string[],
    secret: row.secret as string,
    previousSecret: row.previous_secret as string | null,
    previousSecretExpiresAt: row.previous_secret_expires_at as number | null,
    description: row.description as string | null,
    active: row.active === 1,
    disabledReason: row.disabled_reason as string | null,
    consecutiveFailures: row.consecutive_failures as number,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
  };
}

function toDelivery(row: Row): DeliveryRecord {
  return {
    id: row.id as string,
    webhookId: row.webhook_id as string,
    event: row.event as string,
    body: row.body as string,
    status: row.status as DeliveryStatus,
    attempt: row.attempt as number,
    roundAttempts: row.round_attempts as number,
    redeliveryCount: row.redelivery_count as number,
    nextAttemptAt: row.next_attempt_at as number | null,
    statusCode: row.status_code as number | null,
    durationMs: row.duration_ms as number | null,
    error: row.error as string | null,
    createdAt: row.created_at as number,
    updatedAt: row.updated_at as number,
    lastAttemptAt: row.last_attempt_at as number | null,
    completedAt: row.completed_at as number | null,
  };
}

function toAttempt(row: Row): AttemptRecord {
  return {
    deliveryId: row.delivery_id as string,
    attempt: row.attempt as number,
    startedAt: row.started_at as number,
    durationMs: row.duration_ms as number,
    statusCode: row.status_code as number | null,
    success: row.success === 1,
    error: row.error as string | null,
  };
}
