import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../storage/data-dir';
import { AppChild, systemsOf } from './child';
import { startMocks, type Mocks } from './mocks';

/**
 * The data folder (one process at a time, private to its owner, broken files named), with the real
 * server as a child process. Two processes on one DATA_DIR both accepted runs and made duplicates
 * in Xentral: the second now refuses to start, names the first one's pid, and leaves the first
 * untouched; a lock left by a killed process does not keep the next start out. The folder and the
 * database files are the owner's alone. A broken secrets.json or app.sqlite stops the start with
 * the file's name and what to do.
 */

let mocks: Mocks;
const children: AppChild[] = [];
beforeAll(async () => {
  mocks = await startMocks();
});
afterAll(async () => {
  for (const child of children.reverse()) await child.dispose();
  await mocks?.close();
});

async function child(dataDir?: string): Promise<AppChild> {
  const app = await AppChild.create({
    systems: systemsOf(mocks),
    ...(dataDir ? { dataDir } : {}),
  });
  children.push(app);
  return app;
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

async function failedStart(app: AppChild): Promise<string> {
  await expect(app.start()).rejects.toThrow(/exited during start/);
  expect(app.exitCode).toBe(1);
  expect(app.output).not.toMatch(/\n\s+at /); // words, not a stack
  return app.output;
}

const lockHolder = (dataDir: string) =>
  fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim();

describe('one process per DATA_DIR', () => {
  it('a second process on the same folder refuses to start and names the first one', async () => {
    const first = await child();
    await first.start();
    expect(lockHolder(first.dataDir)).toBe(String(first.pid));

    const second = await child(first.dataDir);
    expect(await failedStart(second)).toContain(
      `in use by another process of the app (pid ${first.pid})`,
    );

    // The first is untouched: it still answers and holds the lock.
    expect(lockHolder(first.dataDir)).toBe(String(first.pid));
    const health = await first.api('GET', '/api/health');
    expect(health.status).toBe(200);

    // Stopped properly, the first gives the folder back and the second starts.
    await first.stop();
    expect(fs.existsSync(path.join(first.dataDir, LOCK_FILE))).toBe(false);
    await second.start();
    expect(lockHolder(first.dataDir)).toBe(String(second.pid));
    await second.stop();
  });

  it('a lock left by a killed process is taken over', async () => {
    const first = await child();
    await first.start();
    const killedPid = first.pid;
    await first.killed();
    // SIGKILL leaves the lock file behind, naming a process that no longer runs.
    expect(lockHolder(first.dataDir)).toBe(String(killedPid));

    const next = await child(first.dataDir);
    await next.start();
    expect(lockHolder(first.dataDir)).toBe(String(next.pid));
    await next.stop();
  });
});

describe('the data folder on disk', () => {
  it('is private to the owner: the folder 0700, the database and its -wal and -shm 0600', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-modes-'));
    fs.chmodSync(dataDir, 0o755); // as an admin's mkdir left it
    const app = await child(dataDir);
    await app.start();
    expect(modeOf(dataDir)).toBe(0o700);
    // The -wal and -shm files exist while the database is open.
    for (const name of ['app.sqlite', 'app.sqlite-wal', 'app.sqlite-shm', 'app.lock']) {
      expect(modeOf(path.join(dataDir, name)), name).toBe(0o600);
    }
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a broken secrets.json stops the start, naming the file and what to do', async () => {
    const app = await child();
    fs.writeFileSync(path.join(app.dataDir, 'secrets.json'), '{"appSecret": "abc",');
    const output = await failedStart(app);
    expect(output).toContain(`The secrets file ${path.join(app.dataDir, 'secrets.json')}`);
    expect(output).toMatch(/not valid JSON/);
    expect(output).toMatch(/Restore it from a backup or fix it/);
  });

  it('a corrupt app.sqlite stops the start, naming the file and what to do', async () => {
    const app = await child();
    fs.writeFileSync(path.join(app.dataDir, 'app.sqlite'), 'this is not a database '.repeat(100));
    const output = await failedStart(app);
    expect(output).toContain(`${path.join(app.dataDir, 'app.sqlite')} is not a readable SQLite`);
    expect(output).toMatch(/restore the file from a backup/);
  });
});
