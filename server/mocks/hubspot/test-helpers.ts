import { Client } from '@hubspot/api-client';
import { expect } from 'vitest';
import type { Clock } from '../../clock';
import type { HubSpotMockHandle } from './index';

/** Shared by the HubSpot mock's contract tests: a settable clock, SDK clients, error capture. */

/** Typed stand-ins for expect.any(), which returns `any`. */
export const anyString: unknown = expect.any(String);
export const anyNumber: unknown = expect.any(Number);

export interface TestClock {
  clock: Clock;
  advance(milliseconds: number): void;
  nowMs(): number;
}

export function testClock(startIso = '2026-01-15T09:00:00.000Z'): TestClock {
  let now = Date.parse(startIso);
  return {
    clock: () => new Date(now),
    advance: (milliseconds) => {
      now += milliseconds;
    },
    nowMs: () => now,
  };
}

/** The official SDK, configured only with the token and the mock's URL (no retries in tests). */
export function sdk(mock: HubSpotMockHandle, accessToken?: string): Client {
  return new Client({
    ...(accessToken === undefined ? {} : { accessToken }),
    basePath: mock.url,
    numberOfApiCallRetries: 0,
  });
}

export interface CapturedError {
  code: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Awaits a call that must fail and returns the SDK's ApiException fields. */
export async function failure(call: Promise<unknown>): Promise<CapturedError> {
  try {
    await call;
  } catch (error) {
    const candidate = error as Partial<CapturedError>;
    if (typeof candidate.code === 'number') {
      return {
        code: candidate.code,
        body: candidate.body ?? {},
        headers: candidate.headers ?? {},
      };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

export async function control(
  mock: HubSpotMockHandle,
  path: string,
  body: unknown = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${mock.url}/__mock${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A plain HTTP call to the API (to see headers and bodies the SDK hides). */
export async function api(
  mock: HubSpotMockHandle,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method,
    headers: {
      ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match?.[1]) throw new Error(`no hidden field ${name}`);
  return match[1];
}

async function postForm(
  mock: HubSpotMockHandle,
  path: string,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/**
 * The browser's part of the code grant on a mock seeded with the demo world: log in as
 * the demo admin, choose the portal, and return the code the redirect carries.
 */
export async function authorizationCode(
  mock: HubSpotMockHandle,
  input: { hubId: number; clientId: string; redirectUri: string; login: Record<string, string> },
): Promise<string> {
  const params = {
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: 'oauth crm.objects.contacts.read',
  };
  const login = await postForm(mock, '/oauth/authorize', { ...params, ...input.login });
  const choose = await login.text();
  const redirect = await postForm(mock, '/oauth/authorize/choose', {
    session: hiddenField(choose, 'session'),
    hub_id: String(input.hubId),
  });
  const code = new URL(redirect.headers.get('location') ?? 'http://invalid').searchParams.get(
    'code',
  );
  if (!code) throw new Error(`no code in the redirect (${redirect.status})`);
  return code;
}
