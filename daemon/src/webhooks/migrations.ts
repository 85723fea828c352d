import type { Migration } from '../store/database.js';

/**
 * Tables of registered webhooks, their deliveries (the outbox and the
 * history in one table) and one row per attempt. Times are Unix
 * milliseconds.
 */
export const webhookMigrations: Migration[] = [
  {
    id: 'webhooks-001-create',
    sql: `
      CREATE TABLE webhooks (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        events TEXT NOT NULL,
        secret TEXT NOT NULL,
        previous_secret TEXT,
        previous_secret_expires_at INTEGER,
        description TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        disabled_reason TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE webhook_deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempt INTEGER NOT NULL DEFAULT 0,
        round_attempts INTEGER NOT NULL DEFAULT 0,
        redelivery_count INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        status_code INTEGER,
        duration_ms INTEGER,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        completed_at INTEGER
      );
      CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE status = 'pending';
      CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, seq);
      CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (webhook_id, seq)
        WHERE status IN ('succeeded', 'failed');

      CREATE TABLE webhook_attempts (
        delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        status_code INTEGER,
        success INTEGER NOT NULL,
        error TEXT,
        PRIMARY KEY (delivery_id, attempt)
      );
    `,
  },
];
