import { canonicalOf, patchFor, type CanonContext } from './canonical';
import { RunAbortedError } from './errors';
import { PlanExecutor } from './executor';
import { IndexRefresher } from './index-refresh';
import type {
  DealDraft,
  DealPipeline,
  ExchangeSettings,
  HubSpotRecordByType,
  XentralCustomerRecord,
  XentralOrderRecord,
  XentralRecordByType,
} from './model';
import type { Plan } from './plan';
import { labelOf, matchKeyOf, planExchange } from './planner';
import type { CrmType } from './ports';
import {
  executeRun,
  RunContext,
  type IndexRowInput,
  type RunDeps,
  type RunLog,
  type RunOutcome,
} from './run-context';
import { assemblePlanInput } from './snapshot';

/**
 * Deal synchronisation (RULES.md, rule 17): every Xentral sales order released after activation
 * becomes exactly one won deal in HubSpot, associated with its buyer. Exactly once because the deal
 * is upserted on the unique xentral_order_id property and the order ↔ deal link is committed with
 * the run item right after HubSpot confirmed it: a repeat after a crash finds the same deal.
 */

export interface DealSyncRequest {
  trigger: 'manual' | 'process_starter';
  settings: ExchangeSettings;
  /** When deal synchronisation was switched on: orders released before never become deals. */
  activatedAt: string;
  runId?: number;
}

export interface DealSyncDeps extends RunDeps {
  runLog: RunLog;
}

const BASELINE_FACT = 'deal_baseline';
const ORDERS_STREAM = 'xentral:orders';
const DEALS_PER_BATCH = 100;

export type DealSkip =
  'no_customer' | 'customer_unknown' | 'buyer_unresolved' | 'amount_invalid' | 'currency_invalid';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The deal for an order, or why there cannot be one. Pure: tested on its own. */
export function dealDraft(
  order: XentralOrderRecord,
  buyerName: string,
  pipeline: DealPipeline,
  ownerId: string,
): { ok: true; deal: DealDraft } | { ok: false; reason: DealSkip; detail: string; value: string } {
  const amount = order.gross.trim();
  if (!DECIMAL.test(amount)) {
    return {
      ok: false,
      reason: 'amount_invalid',
      detail: `The order total "${order.gross}" is not a number.`,
      value: order.gross,
    };
  }
  const currency = order.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    return {
      ok: false,
      reason: 'currency_invalid',
      detail: `The currency "${order.currency}" is not an ISO 4217 code.`,
      value: order.currency,
    };
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(order.date) ? order.date : order.updatedAt.slice(0, 10);
  return {
    ok: true,
    deal: {
      orderId: order.id,
      name: `${order.number || order.id} – ${buyerName.trim() || `#${order.customerId}`}`,
      // Money travels as the decimal string Xentral gave: no float ever touches it.
      amount,
      currency,
      closeDate: `${date}T00:00:00.000Z`,
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.stageId,
      ownerId,
    },
  };
}

export function orderIndexRow(order: XentralOrderRecord): IndexRowInput {
  return {
    system: 'xentral',
    type: 'order',
    id: order.id,
    matchKey: '',
    xentralRef: '',
    updatedMs: Date.parse(order.updatedAt),
    data: order,
  };
}

function buyerType(customer: XentralCustomerRecord): CrmType | undefined {
  if (customer.type === 'company') return 'company';
  if (customer.type === 'mr' || customer.type === 'mrs') return 'contact';
  return undefined;
}

interface Pending {
  order: XentralOrderRecord;
  buyer: XentralCustomerRecord;
  type: CrmType;
}

class DealRun {
  private readonly executor: PlanExecutor;
  private readonly refresher: IndexRefresher;

  constructor(
    private readonly ctx: RunContext,
    private readonly request: DealSyncRequest,
  ) {
    this.executor = new PlanExecutor(ctx);
    this.refresher = new IndexRefresher(ctx);
  }

  private get store() {
    return this.ctx.store;
  }

  async execute(): Promise<void> {
    try {
      await this.refresher.ensureProperties();
      const pipeline = await this.ctx.deps.hubspot.dealPipeline();
      await this.refresher.refreshAll();
      await this.takeBaseline();
      await this.refresher.refreshStream({
        stream: ORDERS_STREAM,
        lagMs: this.ctx.options.xentralLagMs,
        resolutionMs: this.ctx.deps.xentral.timestampResolutionMs,
        read: (window) => this.ctx.deps.xentral.readChangedOrders(window),
        toRow: orderIndexRow,
        progressType: 'contact',
      });
      await this.makeDeals(pipeline);
    } catch (error) {
      await this.executor.settle();
      throw error;
    }
  }

  /**
   * Once per activation: the orders already released by then are set aside, and the order
   * cursor starts at the activation, so only orders released afterwards are considered.
   */
  private async takeBaseline(): Promise<void> {
    const { activatedAt } = this.request;
    if (this.store.getFact(BASELINE_FACT) === activatedAt) return;
    // An order changed in the very clock tick of the activation (a whole second in Xentral)
    // counts as after it: better one deal too many at the edge than a released order missed.
    const resolution = this.ctx.deps.xentral.timestampResolutionMs;
    const untilMs = Math.floor(Date.parse(activatedAt) / resolution) * resolution - 1;
    if (Number.isNaN(untilMs)) {
      throw new RunAbortedError(
        'configuration',
        'Deal synchronisation has no activation time; save the settings again.',
      );
    }
    for await (const page of this.ctx.deps.xentral.readChangedOrders({ sinceMs: null, untilMs })) {
      this.store.addDealBaseline(
        page
          .filter((order) => order.status === 'released' || order.status === 'completed')
          .map((order) => order.id),
        activatedAt,
      );
    }
    this.store.setCursor(ORDERS_STREAM, JSON.stringify({ ms: untilMs }), this.ctx.at());
    this.store.setFact(BASELINE_FACT, activatedAt);
  }

  private customer(id: string): XentralCustomerRecord | undefined {
    for (const type of ['contact', 'company', 'other'] as const) {
      const record = this.store.getRecord('xentral', type === 'other' ? 'other' : type, id);
      if (record !== undefined) return record as XentralCustomerRecord;
    }
    return undefined;
  }

  private skip(
    order: XentralOrderRecord,
    reason: DealSkip,
    detail: string,
    known: Map<string, string>,
    params: Record<string, string> = {},
  ): void {
    const signature = `${reason}@${order.updatedAt}`;
    const key = `xentral:${order.id}`;
    if (known.get(key) === signature) return;
    known.set(key, signature);
    const at = this.ctx.at();
    this.store.transaction(() => {
      this.store.rememberSkip('deal', 'xentral', order.id, signature);
      this.store.addItem(
        this.ctx.runId,
        {
          type: 'deal',
          direction: 'xentral_to_hubspot',
          action: 'skipped',
          xentralId: order.id,
          hubspotId: null,
          label: order.number || `#${order.id}`,
          reason: detail,
          reasonCode: reason,
          reasonParams: params,
        },
        at,
      );
    });
  }

  private async makeDeals(pipeline: DealPipeline): Promise<void> {
    const knownSkips = this.store.knownSkips('deal');
    let done = 0;
    for (let afterId = ''; ;) {
      const orders = this.store.ordersWithoutDeal(afterId, DEALS_PER_BATCH) as XentralOrderRecord[];
      if (orders.length === 0) break;
      afterId = orders[orders.length - 1]!.id;
      const pending: Pending[] = [];
      for (const order of orders) {
        // Cancelled after release, or never released: no deal (and none while it stays so).
        if (order.status !== 'released' && order.status !== 'completed') continue;
        if (order.customerId === '') {
          this.skip(order, 'no_customer', 'The order has no customer.', knownSkips);
          continue;
        }
        const buyer = this.customer(order.customerId);
        const type = buyer ? buyerType(buyer) : undefined;
        if (!buyer || !type) {
          this.skip(
            order,
            'customer_unknown',
            `The customer ${order.customerId} is not a person or company customer in Xentral.`,
            knownSkips,
            { customer: order.customerId },
          );
          continue;
        }
        pending.push({ order, buyer, type });
      }
      await this.resolveBuyers(pending);
      await this.createDeals(pending, pipeline, knownSkips);
      done += orders.length;
      this.ctx.progress({ phase: 'writing', type: 'contact', done, total: null });
    }
  }

  /**
   * Buyers not linked yet are matched by their match keys (RULES.md, M1), or created in HubSpot,
   * exactly as an export would; nothing else about them is written here.
   */
  private async resolveBuyers(pending: Pending[]): Promise<void> {
    for (const type of ['contact', 'company'] as const) {
      const buyers = new Map<string, XentralCustomerRecord>();
      for (const item of pending) {
        if (item.type !== type) continue;
        if (this.store.findLinkBySide(type, 'xentral', item.buyer.id)) continue;
        buyers.set(item.buyer.id, item.buyer);
      }
      if (buyers.size === 0) continue;
      const keys = [...new Set([...buyers.values()].map((buyer) => matchKeyOf(type, buyer)))];
      const records = [
        ...this.store.recordsForKeys(
          type,
          keys.filter((key) => key !== ''),
        ),
        ...[...buyers.values()]
          .filter((buyer) => matchKeyOf(type, buyer) === '')
          .map((buyer) => ({
            system: 'xentral' as const,
            id: buyer.id,
            data: buyer,
            linked: false,
            xentralRef: '',
          })),
      ];
      const xentral = records.filter((r) => r.system === 'xentral');
      const hubspot = records.filter((r) => r.system === 'hubspot');
      const plan: Plan<typeof type> = planExchange(
        assemblePlanInput({
          type,
          settings: { ...this.request.settings, mode: 'export' },
          owners: this.store.ownerLinks(),
          xentral: xentral.map((r) => r.data as XentralRecordByType[typeof type]),
          hubspot: hubspot.map((r) => r.data as HubSpotRecordByType[typeof type]),
          pairs: [],
          linkedXentral: new Set(xentral.filter((r) => r.linked).map((r) => r.id)),
          linkedHubSpot: new Set(hubspot.filter((r) => r.linked).map((r) => r.id)),
          subjects: { xentral: new Set(buyers.keys()), hubspot: new Set() },
          knownConflicts: this.store.knownConflictKeys(type),
          knownSkips: this.store.knownSkips(type),
        }),
      );
      const isBuyer = (id: string) => buyers.has(id);
      await this.executor.apply(
        type,
        {
          ...plan,
          links: plan.links.filter((link) => isBuyer(link.xentralId)),
          creates: plan.creates.filter((create) => isBuyer(create.sourceId)),
          conflicts: plan.conflicts.filter(
            (conflict) => conflict.kind === 'ambiguous' && conflict.xentralIds.some(isBuyer),
          ),
          skips: plan.skips.filter((skip) => skip.system === 'xentral' && isBuyer(skip.id)),
          writes: [],
          marks: [],
        },
        null,
      );
    }
    await this.executor.finish();
  }

  private async createDeals(
    pending: Pending[],
    pipeline: DealPipeline,
    knownSkips: Map<string, string>,
  ): Promise<void> {
    const ctx: CanonContext = {
      defaultSalutation: this.request.settings.defaultSalutation,
      owners: this.store.ownerLinks(),
    };
    const ready: { item: Pending; deal: DealDraft; buyerId: string }[] = [];
    for (const item of pending) {
      const link = this.store.findLinkBySide(item.type, 'xentral', item.buyer.id);
      if (!link) {
        const noEmail = item.type === 'contact' && item.buyer.email.trim() === '';
        const why = noEmail
          ? 'has no e-mail address'
          : 'matches several HubSpot records or could not be created there (see the conflicts and failures of this run)';
        this.skip(
          item.order,
          'buyer_unresolved',
          `The customer "${labelOf(item.buyer)}" ${why}, so the deal has no buyer in HubSpot yet.`,
          knownSkips,
          { customer: labelOf(item.buyer), why: noEmail ? 'no_email' : 'unresolved' },
        );
        continue;
      }
      // The owner is the customer's Back office, when that employee is linked to a HubSpot user.
      const owner = canonicalOf('xentral', item.type, 'owner', item.buyer, ctx);
      const patch =
        owner && owner.value !== ''
          ? patchFor('hubspot', item.type, 'owner', owner.value, ctx)
          : null;
      const ownerId = (patch as { ownerId?: string } | null)?.ownerId ?? '';
      const draft = dealDraft(item.order, item.buyer.name, pipeline, ownerId);
      if (!draft.ok) {
        this.skip(item.order, draft.reason, draft.detail, knownSkips, { value: draft.value });
        continue;
      }
      ready.push({ item, deal: draft.deal, buyerId: link.hubspotId });
    }
    if (ready.length === 0) return;

    // Deals are created with their buyer associated inline, one request per 100. A deal
    // HubSpot already holds for the order (a run stopped between HubSpot's answer and our
    // commit) is refused by the unique xentral_order_id; those, and any other refusal, take
    // the slower way: upsert by the order id, then associate.
    const { hubspot } = this.ctx.deps;
    const created = await hubspot.createDeals(
      ready.map((entry) => ({
        deal: entry.deal,
        buyerType: entry.item.type,
        buyerId: entry.buyerId,
      })),
    );
    const retry: typeof ready = [];
    for (const [index, entry] of ready.entries()) {
      const result = created[index];
      if (result?.ok) {
        // Between HubSpot's answer and our commit: where a crash must not cost a second deal.
        this.ctx.deps.options?.afterConfirmedWrite?.(index + 1);
        this.commit(entry.item.order, entry.deal, result.record.id, entry.buyerId);
      } else {
        retry.push(entry);
      }
    }
    if (retry.length > 0) await this.upsertAndAssociate(retry);
  }

  private async upsertAndAssociate(
    ready: { item: Pending; deal: DealDraft; buyerId: string }[],
  ): Promise<void> {
    const { hubspot } = this.ctx.deps;
    const results = await hubspot.upsertDeals(ready.map((entry) => entry.deal));
    const made: { entry: (typeof ready)[number]; dealId: string }[] = [];
    for (const [index, entry] of ready.entries()) {
      const result = results[index];
      if (result?.ok) {
        made.push({ entry, dealId: result.record.id });
        this.ctx.deps.options?.afterConfirmedWrite?.(index + 1);
      } else {
        this.fail(
          entry.item.order,
          entry.deal,
          result?.error ?? 'HubSpot gave no answer for this deal',
        );
      }
    }
    // The association is part of the deal: a deal is linked (done) only once it has its buyer.
    for (const type of ['contact', 'company'] as const) {
      const group = made.filter((m) => m.entry.item.type === type);
      if (group.length === 0) continue;
      const associated = await hubspot.associateDeals(
        type,
        group.map((m) => ({ dealId: m.dealId, buyerId: m.entry.buyerId })),
      );
      for (const [index, m] of group.entries()) {
        const result = associated[index];
        if (result?.ok) this.commit(m.entry.item.order, m.entry.deal, m.dealId, m.entry.buyerId);
        else
          this.fail(
            m.entry.item.order,
            m.entry.deal,
            `The deal was made but not associated: ${result?.error ?? 'no answer'}`,
          );
      }
    }
  }

  private commit(
    order: XentralOrderRecord,
    deal: DealDraft,
    dealId: string,
    buyerId: string,
  ): void {
    const at = this.ctx.at();
    this.store.transaction(() => {
      this.store.insertLink('deal', order.id, dealId, 'created', at, this.ctx.runId);
      this.store.addItem(
        this.ctx.runId,
        {
          type: 'deal',
          direction: 'xentral_to_hubspot',
          action: 'created',
          xentralId: order.id,
          hubspotId: dealId,
          label: deal.name,
          changes: [
            { field: 'amount', before: '', after: deal.amount },
            { field: 'currency', before: '', after: deal.currency },
            { field: 'closedate', before: '', after: deal.closeDate.slice(0, 10) },
            { field: 'dealstage', before: '', after: deal.stageId },
            { field: 'buyer', before: '', after: buyerId },
            ...(deal.ownerId ? [{ field: 'owner', before: '', after: deal.ownerId }] : []),
          ],
        },
        at,
      );
    });
  }

  private fail(order: XentralOrderRecord, deal: DealDraft, reason: string): void {
    this.store.addItem(
      this.ctx.runId,
      {
        type: 'deal',
        direction: 'xentral_to_hubspot',
        action: 'failed',
        xentralId: order.id,
        hubspotId: null,
        label: deal.name,
        reason,
        reasonCode: 'write_refused',
        reasonParams: { message: reason },
      },
      this.ctx.at(),
    );
  }
}

/** Runs one deal synchronisation; never throws for a failed run, it records it. */
export async function runDealSync(
  request: DealSyncRequest,
  deps: DealSyncDeps,
): Promise<RunOutcome> {
  const runId =
    request.runId ??
    deps.runLog.start('deals', request.trigger, deps.store.portalId, deps.now().toISOString());
  const ctx = new RunContext(deps, runId);
  const run = new DealRun(ctx, request);
  return executeRun(ctx, deps.runLog, 'deal synchronisation', 'deals', () => run.execute());
}
