import type { Database, Migration } from './database.js';

export const jobStatuses = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

export type JobStatus = (typeof jobStatuses)[number];

/** Statuses a job never leaves. */
export const finishedStatuses: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

/** The error a failed job stores, in the shape of an HTTP error body. */
export interface JobError {
  code: string;
  message: string;
  details?: unknown;
}

/** One job as the store keeps it. Times are Unix milliseconds. */
export interface JobRecord {
  id: string;
  type: string;
  status: JobStatus;
  /** Fraction of the work done, from 0 to 1; it never decreases. */
  progress: number;
  parameters: Record<string, unknown>;
  result: unknown;
  error: JobError | null;
  idempotencyKey: string | null;
  /** Hash of the type and parameters, compared when an idempotency key is reused. */
  requestHash: string | null;
  createdAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

export interface JobListFilter {
  status?: JobStatus;
  type?: string;
  limit: number;
  offset: number;
}

interface JobRow {
  id: string;
  type: string;
  status: JobStatus;
  progress: number;
  parameters: string;
  result: string | null;
  error: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
}

/** Schema changes of the jobs table, applied by the daemon at start-up. */
export const jobMigrations: Migration[] = [
  {
    id: 'jobs-001-create',
    sql: `
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
        parameters TEXT NOT NULL,
        result TEXT,
        error TEXT,
        idempotency_key TEXT UNIQUE,
        request_hash TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER
      );
      CREATE INDEX jobs_status_seq ON jobs (status, seq);
      CREATE INDEX jobs_type_seq ON jobs (type, seq);
      CREATE INDEX jobs_completed_at ON jobs (completed_at) WHERE completed_at IS NOT NULL;
      CREATE TRIGGER jobs_progress_forward BEFORE UPDATE OF progress ON jobs
        WHEN NEW.progress < OLD.progress
        BEGIN SELECT RAISE(ABORT, 'job progress must not decrease'); END;
    `,
  },
];

/**
 * The jobs table. Every write is its own committed transaction, so a job the
 * store has accepted survives a kill -9 of the daemon. Status changes are
 * guarded by the expected current status, so a cancelled job can never be
 * marked running or completed afterwards.
 */
export class JobStore {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO jobs (id, type, status, progress, parameters, idempotency_key, request_hash,
           created_at) VALUES (@id, @type, 'queued', 0, @parameters, @idempotencyKey,
           @requestHash, @createdAt)`,
      ),
      get: db.prepare('SELECT * FROM jobs WHERE id = ?'),
      byKey: db.prepare('SELECT * FROM jobs WHERE idempotency_key = ?'),
      byStatus: db.prepare('SELECT * FROM jobs WHERE status = ? ORDER BY seq'),
      start: db.prepare(
        "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'",
      ),
      progress: db.prepare(
        "UPDATE jobs SET progress = ? WHERE id = ? AND status = 'running' AND progress < ?",
      ),
      complete: db.prepare(
        `UPDATE jobs SET status = 'completed', progress = 1, result = ?, completed_at = ?
           WHERE id = ? AND status = 'running'`,
      ),
      fail: db.prepare(
        `UPDATE jobs SET status = 'failed', error = ?, completed_at = ?
           WHERE id = ? AND status = 'running'`,
      ),
      cancel: db.prepare(
        `UPDATE jobs SET status = 'cancelled', result = ?, completed_at = ?
           WHERE id = ? AND status IN ('queued', 'running')`,
      ),
      removeFinishedBefore: db.prepare(
        `DELETE FROM jobs WHERE completed_at IS NOT NULL AND completed_at < ?
           AND status IN ('completed', 'failed', 'cancelled')`,
      ),
    };
  }

  /** Inserts a new queued job and returns it as stored. */
  insert(job: {
    id: string;
    type: string;
    parameters: Record<string, unknown>;
    idempotencyKey: string | null;
    requestHash: string | null;
    createdAt: number;
  }): JobRecord {
    this.statements.insert.run({ ...job, parameters: JSON.stringify(job.parameters) });
    return this.get(job.id)!;
  }

  get(id: string): JobRecord | undefined {
    const row = this.statements.get.get(id) as JobRow | undefined;
    return row && toRecord(row);
  }

  findByIdempotencyKey(key: string): JobRecord | undefined {
    const row = this.statements.byKey.get(key) as JobRow | undefined;
    return row && toRecord(row);
  }

  /** Lists the jobs with a status, oldest first, which for queued jobs is their run order. */
  listByStatus(status: JobStatus): JobRecord[] {
    return (this.statements.byStatus.all(status) as JobRow[]).map(toRecord);
  }

  /** Returns one page of jobs, newest first, and the number of jobs the filter matches. */
  list(filter: JobListFilter): { jobs: JobRecord[]; total: number } {
    const conditions: string[] = [];
    const values: Array<string | number> = [];
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      values.push(filter.status);
    }
    if (filter.type !== undefined) {
      conditions.push('type = ?');
      values.push(filter.type);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const total = (
      this.db.prepare(`SELECT COUNT(*) AS n FROM jobs ${where}`).get(...values) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`SELECT * FROM jobs ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .all(...values, filter.limit, filter.offset) as JobRow[];
    return { jobs: rows.map(toRecord), total };
  }

  /** Moves a queued job to running; false when it is no longer queued. */
  markRunning(id: string, now: number): boolean {
    return this.statements.start.run(now, id).changes === 1;
  }

  /**
   * Raises the progress of a running job to `progress`, clamped to 0..1.
   * A lower value than the stored one is ignored, so progress never goes
   * back; returns whether the stored value changed.
   */
  raiseProgress(id: string, progress: number): boolean {
    const clamped = Math.min(1, Math.max(0, progress));
    return this.statements.progress.run(clamped, id, clamped).changes === 1;
  }

  markCompleted(id: string, result: unknown, now: number): boolean {
    const json = result === undefined ? null : JSON.stringify(result);
    return this.statements.complete.run(json, now, id).changes === 1;
  }

  markFailed(id: string, error: JobError, now: number): boolean {
    return this.statements.fail.run(JSON.stringify(error), now, id).changes === 1;
  }

  /**
   * Cancels a queued or running job, keeping the partial result a runner
   * returned, if any; false when the job had already finished.
   */
  markCancelled(id: string, now: number, partialResult?: unknown): boolean {
    const json = partialResult === undefined ? null : JSON.stringify(partialResult);
    return this.statements.cancel.run(json, now, id).changes === 1;
  }

  /** Deletes finished jobs that finished before `cutoff` and returns how many. */
  removeFinishedBefore(cutoff: number): number {
    return this.statements.removeFinishedBefore.run(cutoff).changes;
  }
}

function toRecord(row: JobRow): JobRecord {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    progress: row.progress,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error === null ? null : (JSON.parse(row.error) as JobError),
    idempotencyKey: row.idempotency_key,
    requestHash: row.request_hash,
    createdAt: row.created_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  };
}
