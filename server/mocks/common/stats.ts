import type { Request, RequestHandler } from 'express';

export interface EndpointStats {
  count: number;
  statuses: Record<string, number>;
}

export interface StatsSnapshot {
  since: string;
  total: number;
  /** Responses with status 429, across all endpoints. */
  rateLimited: number;
  endpoints: Record<string, EndpointStats>;
}

/** Path segments that are ids or tokens become ":id", so the table has one row per endpoint. */
export function endpointTemplate(path: string): string {
  return path
    .split('/')
    .map((segment) =>
      /^\d+$/.test(segment) || (segment.length >= 20 && /\d/.test(segment)) ? ':id' : segment,
    )
    .join('/');
}

function endpointOf(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  const path =
    route && typeof route.path === 'string'
      ? `${req.baseUrl}${route.path}`
      : endpointTemplate(req.path);
  return `${req.method} ${path}`;
}

/** Counts requests per endpoint and status, as the benchmark and tests read them. */
export class RequestStats {
  private endpoints = new Map<string, EndpointStats>();
  private total = 0;
  private rateLimited = 0;
  private since: Date;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  record(endpoint: string, status: number): void {
    this.total++;
    if (status === 429) this.rateLimited++;
    let entry = this.endpoints.get(endpoint);
    if (!entry) {
      entry = { count: 0, statuses: {} };
      this.endpoints.set(endpoint, entry);
    }
    entry.count++;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    return {
      since: this.since.toISOString(),
      total: this.total,
      rateLimited: this.rateLimited,
      endpoints: Object.fromEntries(
        [...this.endpoints.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, value]) => [key, { count: value.count, statuses: { ...value.statuses } }]),
      ),
    };
  }

  reset(): void {
    this.endpoints.clear();
    this.total = 0;
    this.rateLimited = 0;
    this.since = this.now();
  }

  /** Records each response when it finishes (or when the socket is destroyed by a fault). */
  middleware(): RequestHandler {
    return (req, res, next) => {
      let done = false;
      const finish = (status: number) => {
        if (done) return;
        done = true;
        this.record(endpointOf(req), status);
      };
      res.once('finish', () => finish(res.statusCode));
      res.once('close', () => finish(res.writableFinished ? res.statusCode : 0));
      next();
    };
  }
}
