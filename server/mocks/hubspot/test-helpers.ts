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
