import type { Request, Response, Router } from 'express';
import { z, ZodError } from 'zod';
import { mockControlRouter } from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { RequestStats } from '../common/stats';
import { parseId } from './http';
import { XentralProblem } from './problems';
import { auftragToSalesOrder, decimalToCents } from './serializer';
import { SeedInput, seedStore } from './seed';
import type { XentralStore } from './store';

const amount = z.union([
  z.string().regex(/^-?\d+(\.\d{1,2})?$/, 'a decimal amount with at most two places'),
  z.number().refine((n) => Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
    message: 'a number with at most two decimal places',
  }),
]);

function toCents(value: string | number): number {
  return typeof value === 'number' ? Math.round(value * 100) : decimalToCents(value);
}

const numericId = z.union([z.string().regex(/^\d+$/), z.number().int().positive()]);

/** `POST /__mock/orders`: a draft order as the Xentral UI or a shop import would create it. */
export const CreateOrderInput = z
  .object({
    /** The customer's address id; leave out for a draft without customer. */
    customerId: numericId.optional(),
    /** Gross total, e.g. "119.00" or 119. */
    total: amount,
    /** Net total; defaults to the gross total without 19 % VAT. */
    net: amount.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('EUR'),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    projectId: numericId.optional(),
    /** Create it released right away (draft → release in one step). */
    status: z.enum(['draft', 'released']).default('draft'),
  })
  .strict();

function controlError(res: Response, error: unknown): void {
  if (error instanceof XentralProblem) {
    const code = error.body.type.split('/').pop()?.replace(/-/g, '_') ?? 'error';
    res.status(error.status).json({ error: code, message: error.message });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  res.status(400).json({
    error: 'invalid_request',
    message,
    ...(error instanceof ZodError ? { issues: error.issues } : {}),
  });
}

const guarded =
  (handler: (req: Request, res: Response) => void) => (req: Request, res: Response) => {
    try {
      handler(req, res);
    } catch (error) {
      controlError(res, error);
    }
  };

/**
 * How this mock differs from a stock Xentral; by default it is one. `extensions: true` adds the
 * routes the public API lacks under `/api/v1/employees` (reading employees with their e-mail,
 * creating and changing one); off, they answer 404 as on a stock Xentral.
 * `refuseEmptyAddress: true` refuses empty required address parts on create, as Laravel's
 * `required` rule does on instances that apply it (the published schema has no minLength).
 */
export const MockSettingsInput = z
  .object({ extensions: z.boolean().optional(), refuseEmptyAddress: z.boolean().optional() })
  .strict();
export interface MockSettings {
  extensions: boolean;
  refuseEmptyAddress: boolean;
}
export const DEFAULT_MOCK_SETTINGS: MockSettings = { extensions: false, refuseEmptyAddress: false };

/**
 * `/__mock`: the shared control surface (reset, seed, state, faults, stats) plus what only this
 * mock needs — creating draft sales orders and moving them through their statuses, and soft
 * deleting an address, because the public API offers neither for these objects.
 */
export function xentralControlRouter(
  store: XentralStore,
  faults: FaultInjector,
  stats: RequestStats,
  options: { defaultSeed: number; onReset: () => void; settings: MockSettings },
): Router {
  const router = mockControlRouter(
    {
      reset: () => {
        store.reset();
        options.onReset();
      },
      seed: (body) => seedStore(store, SeedInput.parse(body), options.defaultSeed),
      state: () => store.dump(),
    },
    faults,
    stats,
  );

  router.get('/settings', (_req, res) => {
    res.json(options.settings);
  });
  router.post(
    '/settings',
    guarded((req, res) => {
      Object.assign(options.settings, MockSettingsInput.parse(req.body ?? {}));
      res.json(options.settings);
    }),
  );

  router.post(
    '/orders',
    guarded((req, res) => {
      const input = CreateOrderInput.parse(req.body ?? {});
      const row = store.createOrder({
        customerId: input.customerId === undefined ? undefined : Number(input.customerId),
        grossCents: toCents(input.total),
        netCents: input.net === undefined ? undefined : toCents(input.net),
        currency: input.currency,
        date: input.date,
        projectId: input.projectId === undefined ? undefined : Number(input.projectId),
      });
      const stored = input.status === 'released' ? store.releaseOrder(row.id) : row;
      res.status(201).json({ data: auftragToSalesOrder(stored), row: stored });
    }),
  );

  for (const action of ['release', 'cancel', 'complete'] as const) {
    router.post(
      `/orders/:id/${action}`,
      guarded((req, res) => {
        const id = parseId(req.params.id, 'Sales order');
        const row =
          action === 'release'
            ? store.releaseOrder(id)
            : action === 'cancel'
              ? store.cancelOrder(id)
              : store.completeOrder(id);
        res.json({ data: auftragToSalesOrder(row), row });
      }),
    );
  }

  router.delete(
    '/addresses/:id',
    guarded((req, res) => {
      const row = store.softDeleteAdresse(parseId(req.params.id, 'Address'));
      res.json({ row });
    }),
  );

  return router;
}
