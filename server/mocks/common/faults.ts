import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { SeededRandom } from './random';

/**
 * What a mock does wrong on purpose. Random faults use a seeded generator, so a failing test
 * run can be replayed; scripted faults ("the next 3 searches answer 429") make single cases exact.
 */
export const ScriptedFault = z
  .object({
    /** HTTP status to answer with, or "reset" to destroy the connection without an answer. */
    status: z.union([z.number().int().min(400).max(599), z.literal('reset'), z.literal('timeout')]),
    /** How many matching requests get this fault. */
    count: z.number().int().min(1).default(1),
    /** Only requests whose "METHOD /path" contains this text. */
    match: z.string().optional(),
    /** Retry-After header value in seconds (429 and 503). */
    retryAfter: z.number().min(0).optional(),
    /** Vendor-specific detail, e.g. HubSpot's 429 policyName. */
    policyName: z.string().optional(),
    message: z.string().optional(),
  })
  .strict();
export type ScriptedFault = z.infer<typeof ScriptedFault>;

export const FaultSettings = z
  .object({
    /** Enforce the vendor's rate limits. Off by default so tests run at full speed. */
    rateLimits: z.boolean().default(false),
    /** Rate-limit windows are divided by this factor (10 → HubSpot's 10 s window lasts 1 s). */
    timeScale: z.number().positive().max(1000).default(1),
    /** Added to every API response. */
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    /** Random extra latency in [0, latencyJitterMs]. */
    latencyJitterMs: z.number().int().min(0).max(120_000).default(0),
    /** Probability that a request answers with one of errorStatuses. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatuses: z.array(z.number().int().min(500).max(599)).min(1).default([500, 502, 503]),
    /** Probability that a request's connection is destroyed before an answer. */
    resetRate: z.number().min(0).max(1).default(0),
    seed: z.number().int().default(1),
    scripted: z.array(ScriptedFault).default([]),
  })
  .strict();
export type FaultSettings = z.infer<typeof FaultSettings>;

export interface InjectedFault {
  status: number;
  retryAfter?: number | undefined;
  policyName?: string | undefined;
  message?: string | undefined;
}

/** Each mock writes its own vendor's error body for an injected fault. */
export type FaultRenderer = (req: Request, res: Response, fault: InjectedFault) => void;

export class FaultInjector {
  private settings: FaultSettings = FaultSettings.parse({});
  private random = new SeededRandom(1);
  private scriptedLeft: ScriptedFault[] = [];

  constructor(private readonly render: FaultRenderer) {}

  get current(): FaultSettings {
    return { ...this.settings, scripted: this.scriptedLeft.map((fault) => ({ ...fault })) };
  }

  /** Replaces the settings; fields not given fall back to their defaults (off). */
  configure(input: unknown): FaultSettings {
    this.settings = FaultSettings.parse(input);
    this.random = new SeededRandom(this.settings.seed);
    this.scriptedLeft = this.settings.scripted.map((fault) => ({ ...fault }));
    return this.current;
  }

  reset(): void {
    this.configure({});
  }

  private takeScripted(req: Request): ScriptedFault | undefined {
    const endpoint = `${req.method} ${req.path}`;
    const index = this.scriptedLeft.findIndex(
      (fault) => fault.match === undefined || endpoint.includes(fault.match),
    );
    if (index < 0) return undefined;
    const fault = this.scriptedLeft[index] as ScriptedFault;
    if (fault.count <= 1) this.scriptedLeft.splice(index, 1);
    else this.scriptedLeft[index] = { ...fault, count: fault.count - 1 };
    return fault;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const { latencyMs, latencyJitterMs } = this.settings;
      const delay =
        latencyMs + (latencyJitterMs > 0 ? Math.floor(this.random.next() * latencyJitterMs) : 0);
      const act = () => {
        const scripted = this.takeScripted(req);
        if (scripted) {
          if (scripted.status === 'reset') {
            req.socket.destroy();
            return;
          }
          if (scripted.status === 'timeout') {
            // Never answer: the client's timeout has to fire. The socket closes with the server.
            return;
          }
          this.render(req, res, {
            status: scripted.status,
            retryAfter: scripted.retryAfter,
            policyName: scripted.policyName,
            message: scripted.message,
          });
          return;
        }
        if (this.settings.resetRate > 0 && this.random.chance(this.settings.resetRate)) {
          req.socket.destroy();
          return;
        }
        if (this.settings.errorRate > 0 && this.random.chance(this.settings.errorRate)) {
          this.render(req, res, { status: this.random.pick(this.settings.errorStatuses) });
          return;
        }
        next();
      };
      if (delay > 0) setTimeout(act, delay);
      else act();
    };
  }
}
