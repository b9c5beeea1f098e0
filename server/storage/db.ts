import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StartupError } from './data-dir';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** The database, its write-ahead log and shared memory: customer data, the owner's alone. */
const PRIVATE_FILE_MODE = 0o600;

/** The one SQLite file of the app, under DATA_DIR, migrated to the newest schema on open. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Created private, not with the umask's 0644. SQLite creates the -wal and -shm files with
    // the mode of the database file, so they follow.
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
    privateFiles(file);
  }
  const db = new Database(file);
  try {
    // WAL lets the API read while a run writes; NORMAL is durable across process crashes
    // (only an OS crash may lose the last commits, never corrupt the file).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Checkpoint the log at 64 MB instead of 4 MB: a page a run changes many times is copied
    // into the database file once per checkpoint, so fewer checkpoints write less.
    db.pragma('wal_autocheckpoint = 16384');
    migrate(db);
  } catch (error) {
    db.close();
    throw unreadable(file, error);
  }
  if (file !== ':memory:') privateFiles(file);
  return db;
}

/** A database SQLite cannot read: say which file and what the admin can do, not a stack. */
function unreadable(file: string, error: unknown): unknown {
  const code = error instanceof Database.SqliteError ? error.code : '';
  if (!code.startsWith('SQLITE_NOTADB') && !code.startsWith('SQLITE_CORRUPT')) return error;
  return new StartupError(
    `${file} is not a readable SQLite database (${(error as Error).message}). ` +
      'Stop the app, then restore the file from a backup, or move it (with its -wal and -shm ' +
      'files) aside to start with an empty database: the HubSpot connection must then be made ' +
      'again, and the run history and links start empty.',
  );
}

/** Makes the database files that exist private: those of an install from before this rule too. */
function privateFiles(file: string): void {
  for (const name of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(name, PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

export function migrate(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version),
  );
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        migration.version,
        new Date().toISOString(),
      );
    })();
  }
}
