import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

export type Database = BetterSqlite3.Database;

/** File name of the daemon's SQLite state inside the state folder. */
export const stateFileName = 'state.db';

/** One schema change, applied once and recorded in `schema_migrations`. */
export interface Migration {
  /** Unique and stable, such as `jobs-001-create`; applied in the order given. */
  id: string;
  sql: string;
}

/** Raised when another connection has the exclusive lock of a state database. */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

/**
 * Opens the state database in WAL mode, so a kill -9 loses no committed
 * write, and applies the migrations that have not run yet.
 *
 * With `exclusive`, the connection takes SQLite's exclusive lock on the file
 * and keeps it until it closes, so no other process or connection can open
 * the database meanwhile. The operating system drops the lock when the
 * process dies, even after a kill -9. A second opener gets
 * DatabaseLockedError at once.
 */
export function openDatabase(
  file: string,
  migrations: readonly Migration[] = [],
  options: { exclusive?: boolean } = {},
): Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const db = new BetterSqlite3(file);
  if (options.exclusive) {
    // Set before the first read: in WAL mode the lock is taken on first access.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('busy_timeout = 0');
    try {
      db.pragma('journal_mode = WAL');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new DatabaseLockedError(`${file} is locked by another connection`);
      }
      throw error;
    }
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/** Applies each migration not yet recorded, each in its own transaction. */
export function migrate(db: Database, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as Array<{ id: string }>).map(
      (row) => row.id,
    ),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, Math.floor(Date.now() / 1000));
    })();
  }
}
