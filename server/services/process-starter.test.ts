import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/api/settings';
import { createLogger } from '../logger';
import { AppStore } from '../storage/app-store';
import { openDatabase, type Db } from '../storage/db';
import { ProcessStarter } from './process-starter';
import type { RunService } from './run-service';

/** A run service that only records starts; `finish` ends the active run. */
class FakeRuns {
  started: string[] = [];
  activeRunId: number | undefined;
  private release: (() => void) | undefined;

  start(kind: string): number {
    this.started.push(kind);
    this.activeRunId = this.started.length;
    return this.activeRunId;
  }

  wait(): Promise<void> {
    if (this.activeRunId === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.release = () => {
        this.activeRunId = undefined;
        resolve();
      };
    });
  }

  finish(): void {
    this.release?.();
  }
}

let dir: string;
let db: Db;
let store: AppStore;
let runs: FakeRuns;
const T0 = new Date('2026-05-01T08:00:00.000Z').getTime();

function starter() {
  return new ProcessStarter({
    store,
    runs: runs as unknown as RunService,
    clock: () => new Date(Date.now()),
    logger: createLogger({ level: 'silent' }),
    waitForRun: () => runs.wait(),
  });
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-starter-'));
  db = openDatabase(path.join(dir, 'app.sqlite'));
  store = new AppStore(db);
  runs = new FakeRuns();
  store.saveSettings({
    ...DEFAULT_SETTINGS,
    automatic: true,
    intervalMinutes: 10,
    dealSyncActivatedAt: null,
    updatedAt: null,
  });
});
afterEach(() => {
  vi.useRealTimers();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Hubspot Data Sync process starter', () => {
  it('runs the saved mode once per interval, and deal sync after it when active', async () => {
    store.saveSettings({ ...store.settings(), mode: 'import', dealSync: true });
    const process = starter();
    process.schedule();
    expect(process.status().nextRunAt).toBe(new Date(T0 + 10 * 60_000).toISOString());
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.started).toEqual(['import']);
    runs.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.started).toEqual(['import', 'deals']);
    runs.finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(process.status()).toMatchObject({
      lastRunId: 2,
      lastRunAt: new Date(T0 + 10 * 60_000).toISOString(),
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000 - 1);
    expect(runs.started).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs.started).toHaveLength(3);
    process.stop();
  });

  it('skips a tick while a run is active instead of queueing it', async () => {
    runs.activeRunId = 99;
    const process = starter();
    process.schedule();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs.started).toEqual([]);
    expect(process.status().nextRunAt).toBe(new Date(T0 + 20 * 60_000).toISOString());
    process.stop();
  });

  it('survives a restart: the next run is kept, a missed one runs once', async () => {
    const first = starter();
    first.schedule();
    first.stop();
    // the app is down for 35 minutes: three ticks were missed
    vi.setSystemTime(T0 + 35 * 60_000);
    const second = starter();
    second.schedule();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs.started).toEqual(['sync']);
    runs.finish();
    await vi.advanceTimersByTimeAsync(9 * 60_000);
    expect(runs.started).toEqual(['sync']);
    second.stop();
  });

  it('does nothing while automatic runs are off', async () => {
    store.saveSettings({ ...store.settings(), automatic: false });
    const process = starter();
    process.schedule();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(runs.started).toEqual([]);
    expect(process.status()).toMatchObject({ active: false, nextRunAt: null });
  });
});
