/**
 * The time left of a run, from what its progress events showed: the observed pace of the whole
 * run, never faster than the vendors' request limits allow, never shorter than a wait in
 * progress. Pure: the caller passes the current time, so the estimate moves on while nothing
 * arrives (a stalled run's pace drops and its estimate grows).
 */

export type SystemName = 'xentral' | 'hubspot';

/** What one progress event said: work done so far and each system's requests so far. */
export interface ProgressSample {
  atMs: number;
  done: number;
  sent: Partial<Record<SystemName, number>>;
}

export interface SystemLimit {
  system: SystemName;
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface PendingWait {
  system: SystemName;
  reason: 'rate_limit' | 'retry';
  untilMs: number;
}

export interface EstimateInput {
  done: number;
  total: number;
  /** Samples of this run, oldest first. */
  samples: readonly ProgressSample[];
  limits: readonly SystemLimit[];
  waits: readonly PendingWait[];
  nowMs: number;
}

export type Estimate =
  | { remainingMs: null }
  | {
      remainingMs: number;
      /** rate: the pace so far; limit: a system's request limit; wait: a wait under way. */
      basis: 'rate' | 'limit' | 'wait';
      /** The system that bounds it (limit, wait); null for the pace. */
      system: SystemName | null;
      /** The bounding limit in requests per minute (limit only). */
      perMinute: number | null;
    };

/** How far back the pace is taken from: one full window of Xentral's per-minute limit. */
export const PACE_WINDOW_MS = 60_000;

export function estimateTimeLeft(input: EstimateInput): Estimate {
  const { done, total, samples, limits, waits, nowMs } = input;
  const first = samples[0];
  const last = samples.at(-1);
  const remaining = Math.max(0, total - done);
  let best: Estimate = { remainingMs: null };
  const consider = (
    ms: number,
    basis: 'rate' | 'limit' | 'wait',
    system: SystemName | null,
    perMinute: number | null,
  ) => {
    if (!Number.isFinite(ms) || ms <= 0) return;
    if (best.remainingMs === null || ms > best.remainingMs) {
      best = { remainingMs: Math.round(ms), basis, system, perMinute };
    }
  };

  if (first && last && remaining > 0) {
    const progressed = last.done - first.done;
    const span = Math.max(nowMs, last.atMs) - first.atMs;
    if (progressed > 0 && span > 0) {
      consider((remaining * span) / progressed, 'rate', null, null);
      // The requests still to send, at the rate each took so far, against what its limit lets
      // through: a burst under the limit says nothing about the minute that follows. All of
      // them since the first sample take that many windows less the first one (a full window
      // goes out at once), counted from the first sample, so the bound runs down as time passes.
      for (const { system, limit, windowMs } of limits) {
        const sent = (last.sent[system] ?? 0) - (first.sent[system] ?? 0);
        if (sent <= 0 || limit <= 0 || windowMs <= 0) continue;
        const requestsLeft = (remaining * sent) / progressed;
        const windows = Math.max(0, (sent + requestsLeft) / limit - 1);
        consider(
          windows * windowMs - (nowMs - first.atMs),
          'limit',
          system,
          Math.round((limit * 60_000) / windowMs),
        );
      }
    }
  }
  for (const wait of waits) {
    if (wait.untilMs > nowMs) consider(wait.untilMs - nowMs, 'wait', wait.system, null);
  }
  return best;
}

/** Adds a sample, keeping those of the last PACE_WINDOW_MS (and always the two newest). */
export function addSample(
  samples: readonly ProgressSample[],
  sample: ProgressSample,
): ProgressSample[] {
  const next = [...samples, sample];
  const cutoff = sample.atMs - PACE_WINDOW_MS;
  let drop = 0;
  while (drop < next.length - 2 && next[drop + 1]!.atMs <= cutoff) drop++;
  return drop > 0 ? next.slice(drop) : next;
}
