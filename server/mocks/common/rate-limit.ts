/**
 * A sliding-window counter per key (portal, instance): at most `limit` requests in any window
 * of `windowMs`. Both vendors document rolling windows, so a fixed bucket would be too lenient.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests still allowed in the current window after this one. */
  remaining: number;
  /** Milliseconds until the oldest request in the window leaves it. */
  resetMs: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  take(key: string, limit: number, windowMs: number, nowMs: number): RateDecision {
    let times = this.hits.get(key);
    if (!times) {
      times = [];
      this.hits.set(key, times);
    }
    const cutoff = nowMs - windowMs;
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= cutoff) expired++;
    if (expired > 0) times.splice(0, expired);
    const oldest = times[0];
    const resetMs = oldest === undefined ? windowMs : Math.max(0, oldest + windowMs - nowMs);
    if (times.length >= limit) {
      return { allowed: false, limit, remaining: 0, resetMs };
    }
    times.push(nowMs);
    return { allowed: true, limit, remaining: limit - times.length, resetMs };
  }

  clear(): void {
    this.hits.clear();
  }
}
