import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, apiFetch, apiSend, configureCsrf, fieldProblems, withQuery } from './api';

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

describe('withQuery', () => {
  it('appends the values that are set', () => {
    expect(withQuery('/api/runs', { limit: 20, before: null, search: '' })).toBe(
      '/api/runs?limit=20',
    );
    expect(withQuery('/api/projects', { search: 'Groß & Co' })).toBe(
      '/api/projects?search=Gro%C3%9F+%26+Co',
    );
    expect(withQuery('/api/runs', {})).toBe('/api/runs');
  });
});

describe('apiFetch', () => {
  it('parses the answer with its schema and refuses a shape that does not fit', async () => {
    fakeFetch([
      { status: 200, body: { id: 3 } },
      { status: 200, body: { id: 'three' } },
    ]);
    const schema = z.object({ id: z.number() });
    await expect(apiFetch('/api/x', schema)).resolves.toEqual({ id: 3 });
    await expect(apiFetch('/api/x', schema)).rejects.toBeInstanceOf(z.ZodError);
  });

  it('turns the error envelope into an ApiError with status, code and details', async () => {
    const details = [{ path: 'intervalMinutes', message: 'must be at least 5 minutes' }];
    fakeFetch([
      { status: 400, body: { error: { code: 'validation_failed', message: 'no', details } } },
    ]);
    const error: unknown = await apiFetch('/api/settings', z.unknown()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(fieldProblems(error)).toEqual(details);
  });
});

describe('apiSend', () => {
  it('sends JSON with the CSRF token of the session', async () => {
    configureCsrf({ token: () => Promise.resolve('t-1'), renew: () => Promise.resolve('t-2') });
    const calls = fakeFetch([{ status: 202, body: { id: 4 } }]);
    await expect(
      apiSend('POST', '/api/runs', z.object({ id: z.number() }), { kind: 'import' }),
    ).resolves.toEqual({ id: 4 });
    expect(calls[0]?.init).toMatchObject({ method: 'POST', body: '{"kind":"import"}' });
    expect(header(calls[0], 'x-csrf-token')).toBe('t-1');
    expect(header(calls[0], 'Content-Type')).toBe('application/json');
  });

  it('fetches the token again once when the server says it does not fit', async () => {
    configureCsrf({ token: () => Promise.resolve('old'), renew: () => Promise.resolve('new') });
    const calls = fakeFetch([
      { status: 403, body: { error: { code: 'csrf_failed', message: 'reload' } } },
      { status: 200, body: { ok: true } },
    ]);
    await expect(
      apiSend('DELETE', '/api/connection', z.object({ ok: z.boolean() })),
    ).resolves.toEqual({ ok: true });
    expect(calls.map((call) => header(call, 'x-csrf-token'))).toEqual(['old', 'new']);
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('does not retry other refusals', async () => {
    configureCsrf({ token: () => Promise.resolve('t'), renew: () => Promise.resolve('t') });
    const calls = fakeFetch([
      { status: 409, body: { error: { code: 'run_active', message: 'Run 3 is still active' } } },
    ]);
    await expect(apiSend('POST', '/api/runs', z.unknown(), { kind: 'sync' })).rejects.toMatchObject(
      {
        status: 409,
        code: 'run_active',
      },
    );
    expect(calls).toHaveLength(1);
  });
});
