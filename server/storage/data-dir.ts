import fs from 'node:fs';
import path from 'node:path';

/**
 * The data folder: private to the app's user, and written by one process at a time. Two processes
 * on one DATA_DIR would both run exchanges and make duplicates in Xentral, so a second one refuses
 * to start and names the first.
 */

/** A start-up problem an admin fixes: printed as it is, without a stack. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export const LOCK_FILE = 'app.lock';

/** Locks this process holds, so a second app in the same process is refused too. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Creates the folder (0700) and makes an existing one private to the app's user. */
export function preparePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode only applies to a folder it creates, and only within the umask.
  fs.chmodSync(dir, 0o700);
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes DATA_DIR/app.lock: created exclusively (O_EXCL), holding the pid. A lock whose process
 * no longer runs is left over from a crash (SIGKILL, power loss) and is taken over; a pid equal
 * to ours but not held by this process is a previous run of the app in a fresh container.
 */
export function lockDataDir(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  if (held.has(file)) {
    throw new StartupError(
      `${dir} is in use by this process already (pid ${process.pid}); one app per DATA_DIR.`,
    );
  }
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
    const pid = holderOf(file);
    if (pid !== null && pid !== process.pid && isAlive(pid)) {
      throw new StartupError(
        `DATA_DIR ${dir} is in use by another process of the app (pid ${pid}). ` +
          'Only one process may use a data folder: stop that one first, or give this one another ' +
          `DATA_DIR. If no process ${pid} of the app runs, delete ${file}.`,
      );
    }
    // Left over (or half-written by a process that died while taking it): take it over.
    fs.rmSync(file, { force: true });
  }
  held.add(file);
  const release = () => {
    if (!held.delete(file)) return;
    process.removeListener('exit', release);
    if (holderOf(file) === process.pid) fs.rmSync(file, { force: true });
  };
  // A process that ends without closing the app (process.exit) still gives the folder back.
  process.once('exit', release);
  return { file, release };
}
