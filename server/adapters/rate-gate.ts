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

  /** Resolves when a request may be sent, and counts it as sent. */
  async acquire(): Promise<void> {
    // Without a limit (a mock with its limits off) there is nothing to count.
    if (this.limit === Number.POSITIVE_INFINITY && this.pausedUntil <= this.clock.now()) return;
    for (;;) {
      const now = this.clock.now();
      const cutoff = now - this.windowMs;
      let expired = 0;
      while (expired < this.sent.length && (this.sent[expired] as number) <= cutoff) expired++;
      if (expired > 0) this.sent.splice(0, expired);
      if (now >= this.pausedUntil && this.sent.length < this.limit) {
        this.sent.push(now);
        return;
      }
      const freeAt =
        this.sent.length < this.limit
          ? this.pausedUntil
          : Math.max(this.pausedUntil, (this.sent[0] as number) + this.windowMs + 1);
      await this.clock.sleep(Math.max(1, freeAt - now));
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
