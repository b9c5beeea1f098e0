import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionResponse } from '../../shared/api/connection';
import { APP_SECRET } from '../testing/app-env';
import { AppChild, systemsOf } from './child';
import { startMocks, type Mocks } from './mocks';

/**
 * APP_SECRET changed between restarts, which once went unnoticed: the header said "connected" while
 * every run failed with "unable to authenticate data" and the lifecycle refresh answered 500. The
 * real server as a child process, restarted with another secret, then with the old one as
 * APP_SECRET_PREVIOUS, then with the new one alone.
 */

const NEW_SECRET = 'a-new-app-secret-after-rotation-000000000';

let mocks: Mocks;
let app: AppChild;
beforeAll(async () => {
  mocks = await startMocks();
  app = await AppChild.create({ systems: systemsOf(mocks) });
});
afterAll(async () => {
  await app?.dispose();
  await mocks?.close();
});

const storedTokens = () => {
  const db = new Database(path.join(app.dataDir, 'app.sqlite'), { readonly: true });
  try {
    return db
      .prepare<[], { access_token: string; refresh_token: string }>(
        'SELECT access_token, refresh_token FROM connection WHERE id = 1',
      )
      .get();
  } finally {
    db.close();
  }
};

async function restart(env: Record<string, string>): Promise<void> {
  await app.stop();
  app.nextEnv = env;
  await app.start();
}

describe('APP_SECRET changed between restarts', () => {
  it('says so and needs a reconnect; with the old key as APP_SECRET_PREVIOUS it re-seals the tokens', async () => {
    await app.start();
    await app.connect();
    expect((await app.api<ConnectionResponse>('GET', '/api/connection')).body.status).toBe(
      'connected',
    );
    const sealedWithOld = storedTokens();

    // Another secret, the old one forgotten.
    await restart({ APP_SECRET: NEW_SECRET });
    const changed = (await app.api<ConnectionResponse>('GET', '/api/connection')).body;
    expect(changed.status).toBe('needs_reconnect');
    expect(changed.reason).toBe('secret_changed');
    expect(changed.message).toMatch(/APP_SECRET changed/);
    expect(app.output).toMatch(/APP_SECRET cannot open the stored HubSpot tokens/);
    // A run and the lifecycle refresh say what is wrong, neither a crypto error nor a 500.
    const run = await app.api<{ error: { code: string } }>('POST', '/api/runs', {
      kind: 'export',
    });
    expect(run.status).toBe(409);
    expect(run.body.error.code).toBe('needs_reconnect');
    const refresh = await app.api('POST', '/api/lifecycle-stages/refresh');
    expect(refresh.status).toBe(409);
    expect(app.output).not.toMatch(/unable to authenticate data/);
    expect(storedTokens()).toEqual(sealedWithOld);

    // The old key kept for decryption: the tokens are re-sealed under the new one.
    await restart({ APP_SECRET: NEW_SECRET, APP_SECRET_PREVIOUS: APP_SECRET });
    const rotated = (await app.api<ConnectionResponse>('GET', '/api/connection')).body;
    expect(rotated.status).toBe('connected');
    expect(rotated.reason).toBeNull();
    expect(app.output).toMatch(/re-sealed with the new APP_SECRET/);
    const resealed = storedTokens();
    expect(resealed?.access_token).not.toBe(sealedWithOld?.access_token);
    expect(resealed?.refresh_token).not.toBe(sealedWithOld?.refresh_token);

    // The new key alone opens them now, and a run goes through.
    await restart({ APP_SECRET: NEW_SECRET });
    expect((await app.api<ConnectionResponse>('GET', '/api/connection')).body.status).toBe(
      'connected',
    );
    const started = await app.api<{ id: number }>('POST', '/api/runs', {
      kind: 'export',
    });
    expect(started.status).toBe(202);
    expect((await app.finishedRun(started.body.id)).status).toBe('succeeded');
  });
});
