/**
 * The one retry policy of both vendor wrappers: rate limits wait as long as the server says,
 * transient failures (5xx, resets, timeouts) back off exponentially with jitter, everything
 * else fails at once.
 */
export type Verdict =
  { kind: 'done' } | { kind: 'retry-at'; at: number } | { kind: 'backoff' } | { kind: 'fail' };

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Full jitter: a random delay up to base·2^attempt, so retrying clients do not march in step. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.max(policy.baseDelayMs / 2, Math.floor(random() * ceiling));
}

/** Seconds or an HTTP date, as RFC 9110 allows for Retry-After; undefined when absent or bad. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
