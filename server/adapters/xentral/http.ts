import { z } from 'zod';
import { RunAbortedError } from '../../engine/errors';
import {
  gateActivity,
  RateGate,
  realClock,
  RetryWatch,
  type GateClock,
  type RequestActivity,
} from '../rate-gate';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryAfterMs, type RetryPolicy } from '../retry';

/**
 * The one HTTP wrapper for Xentral: Bearer token, its 100-requests-per-minute limit paced on
 * our side, problem+json errors parsed, and retries where they are safe.
 * https://developer.xentral.com/reference/rate-limiting
 */

export const XENTRAL_REQUESTS_PER_MINUTE = 100;

/** application/problem+json (RFC 9457) as Xentral sends it. */
export const XentralProblem = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().nullish(),
  violations: z.record(z.string(), z.array(z.string())).optional(),
  message: z.string().optional(),
});
export type XentralProblem = z.infer<typeof XentralProblem>;

/** A record-level refusal (validation, conflict, not found): the run reports it and goes on. */
export class XentralRequestError extends Error {
  constructor(
    readonly status: number,
    readonly problem: XentralProblem,
  ) {
    super(describeProblem(status, problem));
    this.name = 'XentralRequestError';
  }
}

function describeProblem(status: number, problem: XentralProblem): string {
  const violations = Object.entries(problem.violations ?? {})
    .map(([path, messages]) => `${path}: ${messages.join(' ')}`)
    .join('; ');
  const head = problem.title ?? problem.message ?? `HTTP ${status}`;
  const detail = problem.detail ? ` ${problem.detail}` : '';
  return `Xentral refused (${status}): ${head}${detail}${violations ? ` (${violations})` : ''}`;
}

export interface XentralHttpOptions {
  baseUrl: string;
  token: string;
  /** Requests per window we allow ourselves; a little under the limit leaves room for others. */
  requestsPerWindow?: number;
  windowMs?: number;
  timeoutMs?: number;
  retry?: RetryPolicy;
  clock?: GateClock;
  fetch?: typeof fetch;
}

export interface XentralResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

type Method = 'GET' | 'POST' | 'PATCH';

export class XentralHttp {
  private readonly gate: RateGate;
  private readonly retry: RetryPolicy;
  private readonly clock: GateClock;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  /** The instance's address, without a trailing slash: what the app remembers facts of it by. */
  readonly baseUrl: string;
  private readonly retries = new RetryWatch();

  constructor(private readonly options: XentralHttpOptions) {
    this.clock = options.clock ?? realClock;
    this.gate = new RateGate(
      options.requestsPerWindow ?? XENTRAL_REQUESTS_PER_MINUTE - 2,
      options.windowMs ?? 60_000,
      this.clock,
    );
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchFn = options.fetch ?? fetch;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** Requests so far, the limit, and what is being waited for (for the live progress). */
  activity(): RequestActivity {
    return gateActivity(this.gate, this.retries);
  }

  /**
   * Sends one request. GET and PATCH (idempotent) are retried after 5xx, resets and timeouts;
   * a POST is not, because Xentral's create is not idempotent: its failure comes back as
   * `uncertain` for the caller to look up. 429 is retried for every method: it was not carried out.
   */
  async request<S extends z.ZodType>(
    method: Method,
    path: string,
    schema: S,
    init: { query?: URLSearchParams; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<XentralResponse<z.infer<S>>> {
    const url = `${this.baseUrl}${path}${init.query && [...init.query].length > 0 ? `?${init.query.toString()}` : ''}`;
    const idempotent = method !== 'POST';
    for (let attempt = 0; ; attempt++) {
      await this.gate.acquire();
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method,
          headers: {
            Authorization: `Bearer ${this.options.token}`,
            Accept: 'application/json',
            ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...init.headers,
          },
          ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        const reason = describeFetchError(error);
        if (!idempotent) throw new XentralUncertainError(`No answer from Xentral: ${reason}`);
        if (attempt + 1 >= this.retry.maxAttempts) {
          throw new RunAbortedError(
            'xentral_unavailable',
            `Xentral did not answer after ${attempt + 1} attempts (${reason}).`,
          );
        }
        await this.retries.sleep(this.clock, backoffDelay(attempt, this.retry), null);
        continue;
      }

      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after'), this.clock.now());
        await response.body?.cancel();
        this.gate.pause(wait !== undefined ? this.clock.now() + wait : this.gate.nextFreeAt());
        if (attempt + 1 >= this.retry.maxAttempts * 3) {
          throw new RunAbortedError(
            'xentral_rate_limit',
            'Xentral kept answering "Too Many Requests"; the run stopped and will continue next time.',
          );
        }
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        if (!idempotent) {
          throw new XentralUncertainError(`Xentral answered ${response.status} to a create.`);
        }
        if (attempt + 1 >= this.retry.maxAttempts) {
          throw new RunAbortedError(
            'xentral_unavailable',
            `Xentral answered ${response.status} ${attempt + 1} times in a row.`,
          );
        }
        await this.retries.sleep(this.clock, backoffDelay(attempt, this.retry), response.status);
        continue;
      }

      const text = await response.text();
      let json: unknown = undefined;
      if (text !== '') {
        try {
          json = JSON.parse(text);
        } catch {
          throw new RunAbortedError(
            'xentral_unavailable',
            `Xentral answered ${response.status} with a body that is not JSON.`,
          );
        }
      }
      if (response.status === 401 || response.status === 403) {
        throw new RunAbortedError(
          'xentral_auth',
          'Xentral refused the personal access token: check XENTRAL_TOKEN and its scopes.',
        );
      }
      if (response.status >= 400) {
        const problem = XentralProblem.safeParse(json ?? {});
        throw new XentralRequestError(response.status, problem.success ? problem.data : {});
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        throw new RunAbortedError(
          'xentral_unavailable',
          `Xentral's answer to ${method} ${path} has an unexpected shape: ${parsed.error.issues
            .slice(0, 3)
            .map((issue) => `${issue.path.join('.')} ${issue.message}`)
            .join('; ')}`,
        );
      }
      return {
        status: response.status,
        body: parsed.data,
        headers: response.headers,
      };
    }
  }
}

/** fetch says only "fetch failed"; the cause says what happened (reset, refused, timeout). */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (!(cause instanceof Error)) return error.message;
  const code = (cause as { code?: unknown }).code;
  return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
}

/** The request may or may not have been carried out (no answer, or a 5xx to a create). */
export class XentralUncertainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XentralUncertainError';
  }
}
