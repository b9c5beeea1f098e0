/**
 * Client-side pacing for one vendor limit: at most `limit` requests in any sliding window of
 * `windowMs`. Staying just under the limit keeps the API busy without tripping it; a 429 still
 * pauses everyone until the server says the window has room again.
 */
export interface GateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateGate {
  private sent: number[] = [];
  private pausedUntil = 0;
  private sentCount = 0;
  private sleepers = 0;
  private sleepingUntil = 0;

  constructor(
    private limit: number,
    private windowMs: number,
    private readonly clock: GateClock = realClock,
  ) {}

  get settings(): { limit: number; windowMs: number } {
    return { limit: this.limit, windowMs: this.windowMs };
  }

  /** Adopts a limit the server announced (e.g. X-HubSpot-RateLimit-Max and its interval). */
  adjust(limit: number, windowMs: number): void {
    if (limit > 0) this.limit = limit;
    if (windowMs > 0) this.windowMs = windowMs;
  }

  /** Nobody sends before `until` (epoch ms): the answer to a 429. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /** Requests let through since the gate was made. */
  get sentTotal(): number {
    return this.sentCount;
  }

  /** When a request held back by the limit (or a 429 pause) may go, or undefined if none waits. */
  waitingUntil(): number | undefined {
    return this.sleepers > 0 ? this.sleepingUntil : undefined;
  }

  /** Resolves when a request may be sent, and counts it as sent. */
  async acquire(): Promise<void> {
    // Without a limit (a mock with its limits off) there is nothing to count.
    if (this.limit === Number.POSITIVE_INFINITY && this.pausedUntil <= this.clock.now()) {
      this.sentCount++;
      return;
    }
    for (;;) {
      const now = this.clock.now();
      const cutoff = now - this.windowMs;
      let expired = 0;
      while (expired < this.sent.length && (this.sent[expired] as number) <= cutoff) expired++;
      if (expired > 0) this.sent.splice(0, expired);
      if (now >= this.pausedUntil && this.sent.length < this.limit) {
        this.sent.push(now);
        this.sentCount++;
        return;
      }
      const freeAt =
        this.sent.length < this.limit
          ? this.pausedUntil
          : Math.max(this.pausedUntil, (this.sent[0] as number) + this.windowMs + 1);
      this.sleepers++;
      this.sleepingUntil = this.sleepers === 1 ? freeAt : Math.min(this.sleepingUntil, freeAt);
      try {
        await this.clock.sleep(Math.max(1, freeAt - now));
      } finally {
        this.sleepers--;
      }
    }
  }

  /**
   * When a full window next has room, or undefined while it has room or counts nothing (no
   * limit). A refusal that comes while the gate still has room means the server counted more
   * than we did (other clients share the limit), so our count cannot say when to ask again.
   */
  fullUntil(): number | undefined {
    if (this.limit === Number.POSITIVE_INFINITY) return undefined;
    const cutoff = this.clock.now() - this.windowMs;
    const inWindow = this.sent.filter((at) => at > cutoff);
    if (inWindow.length < this.limit) return undefined;
    return (inWindow[inWindow.length - this.limit] as number) + this.windowMs + 1;
  }

  /** When the window will next have room (for a 429 without Retry-After). */
  nextFreeAt(): number {
    const oldest = this.sent[0];
    return oldest === undefined ? this.clock.now() : oldest + this.windowMs + 1;
  }
}

/** Why a system's requests are not going out right now, for the live progress. */
export interface SystemWait {
  reason: 'rate_limit' | 'retry';
  /** The HTTP status of the answer being retried; null for a reset or timeout. */
  status: number | null;
  untilMs: number;
}

/** What a vendor wrapper tells the live progress: requests so far, its limit, its waits. */
export interface RequestActivity {
  sent: number;
  /** null when no limit is known (a mock with its limits off). */
  limit: number | null;
  windowMs: number;
  waits: SystemWait[];
}

/** The back-off sleeps in flight after transient failures; the soonest one is reported. */
export class RetryWatch {
  private readonly pending = new Set<{ status: number | null; untilMs: number }>();

  async sleep(clock: GateClock, ms: number, status: number | null): Promise<void> {
    const entry = { status, untilMs: clock.now() + ms };
    this.pending.add(entry);
    try {
      await clock.sleep(ms);
    } finally {
      this.pending.delete(entry);
    }
  }

  current(): SystemWait | undefined {
    let soonest: SystemWait | undefined;
    for (const { status, untilMs } of this.pending) {
      if (!soonest || untilMs < soonest.untilMs) soonest = { reason: 'retry', status, untilMs };
    }
    return soonest;
  }
}

/** The activity of one gate plus the retries of its wrapper. */
export function gateActivity(gate: RateGate, retries: RetryWatch): RequestActivity {
  const { limit, windowMs } = gate.settings;
  const waits: SystemWait[] = [];
  const held = gate.waitingUntil();
  if (held !== undefined) waits.push({ reason: 'rate_limit', status: null, untilMs: held });
  const retry = retries.current();
  if (retry) waits.push(retry);
  return {
    sent: gate.sentTotal,
    limit: limit === Number.POSITIVE_INFINITY ? null : limit,
    windowMs,
    waits,
  };
}
