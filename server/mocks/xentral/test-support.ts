import { startXentralMock, type XentralMockHandle, type XentralMockOptions } from './index';

/** Helpers shared by the mock's integration tests. */

export const TEST_TOKEN = 'xentral-test-token-1111111111111111';

/** A clock the test moves by hand, so timestamps and rate-limit windows are exact. */
export class TestClock {
  private ms: number;

  constructor(iso = '2026-03-02T09:00:00.000Z') {
    this.ms = Date.parse(iso);
  }

  readonly now = (): Date => new Date(this.ms);

  advance(ms: number): void {
    this.ms += ms;
  }
}

export async function startTestMock(
  options: Partial<Omit<XentralMockOptions, 'clock'>> & { clock?: TestClock } = {},
): Promise<XentralMockHandle & { clock: TestClock }> {
  const clock = options.clock ?? new TestClock();
  const handle = await startXentralMock({
    host: '127.0.0.1',
    port: 0,
    token: TEST_TOKEN,
    ...options,
    clock: clock.now,
  });
  return Object.assign(handle, { clock });
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch against the mock: JSON in and out, the test token unless `token` says otherwise. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = options.token === undefined ? TEST_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    redirect: 'manual',
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let body: unknown = text;
  if (text !== '' && /json/.test(response.headers.get('content-type') ?? '')) {
    body = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

/** `filter[i][key|op|value]` query string from triples (array values become `value[]`). */
export function filterQuery(
  ...filters: [key: string, op: string, value?: string | string[]][]
): string {
  const params = new URLSearchParams();
  filters.forEach(([key, op, value], i) => {
    params.set(`filter[${i}][key]`, key);
    params.set(`filter[${i}][op]`, op);
    if (Array.isArray(value)) for (const v of value) params.append(`filter[${i}][value][]`, v);
    else if (value !== undefined) params.set(`filter[${i}][value]`, value);
  });
  return params.toString();
}

/** A valid create body for `POST /api/v3/customers`. */
export function customerBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    primaryAddress: {
      type: 'mrs',
      name: 'Jülide Öztürk',
      street: 'Fuggerstraße 11',
      zipCode: '86150',
      city: 'Augsburg',
      country: 'DE',
      email: 'juelide.oeztuerk@example.com',
      phone: '+49 821 123456',
      mobile: '+49 170 1234567',
      department: 'Einkauf',
    },
    ...overrides,
  };
}
