import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ENDPOINTS, urlOf } from '../../shared/api/endpoints';
import { ApiError, call, configureCsrf, fieldProblems } from './api';

interface Call {
  url: string;
  init: RequestInit;
}

/** A hand-written fetch that answers from a script and remembers what it was asked. */
function fakeFetch(answers: { status: number; body: unknown }[]) {
  const calls: Call[] = [];
  const fetch = (url: string, init: RequestInit = {}) => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${url}`);
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
  };
  vi.stubGlobal('fetch', fetch);
  return calls;
}

const header = (call: Call | undefined, name: string) =>
  (call?.init.headers as Record<string, string> | undefined)?.[name];

afterEach(() => {
  vi.unstubAllGlobals();
});

const CONNECTED = {
  status: 'connected',
  portal: { hubId: '1', domain: 'a.example', user: 'admin@example.com' },
  connectedAt: '2026-01-01T00:00:00.000Z',
  scopes: [],
  message: null,
  reason: null,
};

describe('urlOf', () => {
  it('fills in the path parameters and appends the query values that are set', () => {
    expect(urlOf(ENDPOINTS.runs, { query: { limit: 20, before: null } })).toBe(
      '/api/runs?limit=20',
    );
    expect(urlOf(ENDPOINTS.projects, { query: { search: 'Groß & Co' } })).toBe(
      '/api/projects?search=Gro%C3%9F+%26+Co',
    );
    expect(urlOf(ENDPOINTS.projects, { query: { search: '' } })).toBe('/api/projects');
    expect(urlOf(ENDPOINTS.run, { params: { id: 7 }, query: { after: 0 } })).toBe(
      '/api/runs/7?after=0',
    );
    expect(() => urlOf(ENDPOINTS.run)).toThrow(/needs its parameter id/);
  });
});

describe('call', () => {
  it('reads through the endpoint: its method, its URL, its response schema', async () => {
    const calls = fakeFetch([
      { status: 200, body: CONNECTED },
      { status: 200, body: { ...CONNECTED, status: 'sideways' } },
    ]);
    await expect(call(ENDPOINTS.connection)).resolves.toEqual(CONNECTED);
    await expect(call(ENDPOINTS.connection)).rejects.toBeInstanceOf(z.ZodError);
    expect(calls[0]).toMatchObject({ url: '/api/connection', init: { method: 'GET' } });
    expect(header(calls[0], 'x-csrf-token')).toBeUndefined();
  });

  it('turns the error envelope into an ApiError with status, code and details', async () => {
    const details = [{ path: 'intervalMinutes', message: 'must be at least 5 minutes' }];
    fakeFetch([
      { status: 400, body: { error: { code: 'validation_failed', message: 'no', details } } },
    ]);
    const error: unknown = await call(ENDPOINTS.settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(fieldProblems(error)).toEqual(details);
  });

  it('sends changes as JSON with the CSRF token of the session', async () => {
    configureCsrf({ token: () => Promise.resolve('t-1'), renew: () => Promise.resolve('t-2') });
    const calls = fakeFetch([{ status: 202, body: { id: 4 } }]);
    await expect(call(ENDPOINTS.startRun, { body: { kind: 'import' } })).resolves.toEqual({
      id: 4,
    });
    expect(calls[0]).toMatchObject({
      url: '/api/runs',
      init: { method: 'POST', body: '{"kind":"import"}' },
    });
    expect(header(calls[0], 'x-csrf-token')).toBe('t-1');
    expect(header(calls[0], 'Content-Type')).toBe('application/json');
  });

  it('fetches the token again once when the server says it does not fit', async () => {
    configureCsrf({ token: () => Promise.resolve('old'), renew: () => Promise.resolve('new') });
    const calls = fakeFetch([
      { status: 403, body: { error: { code: 'csrf_failed', message: 'reload' } } },
      { status: 200, body: CONNECTED },
    ]);
    await expect(call(ENDPOINTS.removeConnection)).resolves.toEqual(CONNECTED);
    expect(calls.map((c) => header(c, 'x-csrf-token'))).toEqual(['old', 'new']);
    expect(calls[0]).toMatchObject({ url: '/api/connection', init: { method: 'DELETE' } });
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('does not retry other refusals', async () => {
    configureCsrf({ token: () => Promise.resolve('t'), renew: () => Promise.resolve('t') });
    const calls = fakeFetch([
      { status: 409, body: { error: { code: 'run_active', message: 'Run 3 is still active' } } },
    ]);
    await expect(call(ENDPOINTS.startRun, { body: { kind: 'sync' } })).rejects.toMatchObject({
      status: 409,
      code: 'run_active',
    });
    expect(calls).toHaveLength(1);
  });

  it('puts the query into the URL', async () => {
    const calls = fakeFetch([{ status: 200, body: { runs: [], nextBefore: null } }]);
    await call(ENDPOINTS.runs, { query: { limit: 5, before: 12 } });
    expect(calls[0]?.url).toBe('/api/runs?limit=5&before=12');
  });
});
