import type { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { RunAbortedError } from '../../engine/errors';
import type {
  DealDraft,
  DealPipeline,
  HubSpotCompanyRecord,
  HubSpotContactRecord,
  HubSpotOwnerRecord,
  HubSpotRecordByType,
} from '../../engine/model';
import type { ChangeWindow, CrmType, HubSpotPort, WriteResult } from '../../engine/ports';
import {
  gateActivity,
  RateGate,
  realClock,
  RetryWatch,
  type GateClock,
  type RequestActivity,
} from '../rate-gate';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryAfterMs, type RetryPolicy } from '../retry';
import {
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  HubSpotObject,
  HubSpotOwner,
  HubSpotPipelines,
  HubSpotProperty,
  LAST_MODIFIED,
  toCompanyRecord,
  toContactRecord,
  toOwnerRecord,
  toDealProperties,
  toProperties,
  XENTRAL_ID_PROPERTY,
  XENTRAL_ORDER_ID_PROPERTY,
} from './mapper';

/**
 * The HubSpot port on the official SDK. The client is built outside (one per portal and token)
 * and handed in; this adapter adds what the SDK lacks: pacing under the portal's limits, the
 * retry policy, batch splitting, and the incremental read over the search API.
 */

/** OAuth apps: 110 requests per rolling 10 seconds per portal. https://developers.hubspot.com/docs/api/usage-details */
export const HUBSPOT_REQUESTS_PER_TEN_SECONDS = 110;
/** Search endpoints: 5 requests per second per portal. */
export const HUBSPOT_SEARCHES_PER_SECOND = 5;
const SEARCH_WINDOW_MS = 1_000;
const GENERAL_WINDOW_MS = 10_000;
/** Search pages hold at most 200 results, and paging stops at the 10,000th. */
const SEARCH_PAGE_SIZE = 200;
const SEARCH_RESULT_CAP = 10_000;
const MAX_WINDOW_RESTARTS = 5;
/** The objects list (getPage) returns at most 100 records per page. */
const LIST_PAGE_SIZE = 100;

export interface HubSpotGates {
  general: RateGate;
  search: RateGate;
}

/**
 * Gates a little under HubSpot's limits, shared by every adapter of one portal. `timeScale`
 * shortens the windows for a time-compressed mock; Infinity lifts the limits (a mock with its
 * limits off, where pacing would only measure our own patience).
 */
export function createHubSpotGates(clock: GateClock = realClock, timeScale = 1): HubSpotGates {
  if (timeScale === Number.POSITIVE_INFINITY) {
    return {
      general: new RateGate(Number.POSITIVE_INFINITY, 1, clock),
      search: new RateGate(Number.POSITIVE_INFINITY, 1, clock),
    };
  }
  return {
    general: new RateGate(HUBSPOT_REQUESTS_PER_TEN_SECONDS - 2, 10_000 / timeScale + 50, clock),
    search: new RateGate(HUBSPOT_SEARCHES_PER_SECOND - 1, 1_000 / timeScale + 50, clock),
  };
}

export interface HubSpotAdapterOptions {
  client: Client;
  portalId: string;
  gates: HubSpotGates;
  /** Called when HubSpot says the access token expired; returns a fresh one. */
  refreshAccessToken?: () => Promise<string>;
  /** Called when HubSpot refuses the access outright (revoked, or a scope missing). */
  /** Returns the error to stop with instead, when the refusal has another cause. */
  onAccessRefused?: (message: string) => RunAbortedError | undefined;
  retry?: RetryPolicy;
  timeoutMs?: number;
  clock?: GateClock;
}

/** HubSpot's error body: {status, message, correlationId, category, policyName?, errors?}. */
const HubSpotError = z.looseObject({
  status: z.string().optional(),
  message: z.string().optional(),
  category: z.string().optional(),
  policyName: z.string().optional(),
  errors: z
    .array(z.looseObject({ message: z.string().optional(), context: z.unknown().optional() }))
    .optional(),
});
type HubSpotError = z.infer<typeof HubSpotError>;
const BatchErrors = HubSpotError.shape.errors;
/** HubSpot's default (unlabeled) association types from a deal to its buyer. */
const DEAL_TO_BUYER_TYPE: Record<CrmType, number> = { contact: 3, company: 341 };

/** The SDK's BatchResponsePublicDefaultAssociation: `from` arrives as `_from`. */
const DefaultAssociations = z.looseObject({
  results: z.array(
    z.looseObject({
      _from: z.looseObject({ id: z.string() }),
      to: z.looseObject({ id: z.string() }),
    }),
  ),
  errors: BatchErrors,
});
type DefaultAssociations = z.infer<typeof DefaultAssociations>;

interface HttpInfoLike<T> {
  httpStatusCode: number;
  headers: Record<string, string>;
  data: T;
}

/** A record-level refusal; the run reports it and goes on. */
class HubSpotRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: HubSpotError,
  ) {
    super(`HubSpot refused (${status}): ${body.message ?? body.category ?? 'no reason given'}`);
  }
}

function errorParts(
  error: unknown,
): { status: number; body: HubSpotError; headers: Record<string, string> } | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = error.code;
  if (typeof code !== 'number') return undefined;
  const raw = (error as { body?: unknown }).body;
  let body: unknown = raw;
  if (typeof raw === 'string') {
    try {
      body = JSON.parse(raw);
    } catch {
      body = { message: raw };
    }
  }
  const parsed = HubSpotError.safeParse(body ?? {});
  const headers = (error as { headers?: Record<string, string> }).headers ?? {};
  return { status: code, body: parsed.success ? parsed.data : {}, headers };
}

function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

type CrmApi = Client['crm']['contacts'];

export class HubSpotAdapter implements HubSpotPort {
  readonly portalId: string;
  readonly timestampResolutionMs = 1;
  private readonly client: Client;
  private readonly gates: HubSpotGates;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly clock: GateClock;
  private refreshing: Promise<void> | undefined;
  private readonly retries = new RetryWatch();

  constructor(private readonly options: HubSpotAdapterOptions) {
    this.client = options.client;
    this.portalId = options.portalId;
    this.gates = options.gates;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.clock = options.clock ?? realClock;
  }

  /**
   * Requests so far, the general limit, and what is being waited for (for the live progress).
   * Every call passes the general gate; a search also waits at its own.
   */
  activity(): RequestActivity {
    const general = gateActivity(this.gates.general, this.retries);
    const search = this.gates.search.waitingUntil();
    return {
      ...general,
      waits:
        search === undefined
          ? general.waits
          : [...general.waits, { reason: 'rate_limit', status: null, untilMs: search }],
    };
  }

  private api(type: CrmType): CrmApi {
    return (type === 'contact' ? this.client.crm.contacts : this.client.crm.companies) as CrmApi;
  }

  /**
   * Feeds the general gate from HubSpot's own accounting of this portal's window. Search answers
   * carry no rate-limit headers (API usage guidelines), so only the other calls feed it. Gates
   * made without limits (a mock with its limits off) stay without them until HubSpot refuses a
   * request: every answer announces the window, and following it where nothing is enforced would
   * only slow the caller down. After a refusal they follow what HubSpot announces.
   */
  private observe(headers: Record<string, string>, refused: boolean): void {
    if (this.gates.general.settings.limit === Number.POSITIVE_INFINITY && !refused) return;
    const max = Number(headers['x-hubspot-ratelimit-max']);
    const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
    if (Number.isFinite(max) && max > 0 && Number.isFinite(interval) && interval > 0) {
      // Two below the announced maximum: our clock and theirs never agree to the millisecond.
      this.gates.general.adjust(Math.max(1, max - 2), interval + 50);
    }
    const remaining = Number(headers['x-hubspot-ratelimit-remaining']);
    if (headers['x-hubspot-ratelimit-remaining'] !== undefined && remaining <= 0) {
      this.gates.general.pause(this.gates.general.nextFreeAt());
    }
  }

  /**
   * How long to hold a gate after a 429 that names no Retry-After. Where the gate has counted
   * a full window (headers announced it), it knows when there is room. Search answers announce
   * nothing (API usage guidelines), not even when the ten-second limit refuses them, and a gate
   * without limits has counted nothing: the wait then doubles with every refusal of the same
   * request, up to the refusing policy's whole window, after which HubSpot has room again
   * whatever it counted.
   */
  private unannouncedWait(gate: RateGate, policyName: unknown, refusals: number): number {
    const full = gate.fullUntil();
    if (full !== undefined && full > this.clock.now()) return full - this.clock.now();
    const windowMs = policyName === 'SECONDLY' ? SEARCH_WINDOW_MS : GENERAL_WINDOW_MS;
    return Math.min(windowMs + 50, 10 * 2 ** (refusals - 1));
  }

  /** The connection is marked for renewal, so the admin sees why, not only this run. */
  private refused(message: string): RunAbortedError {
    return this.options.onAccessRefused?.(message) ?? new RunAbortedError('hubspot_auth', message);
  }

  private async refreshToken(): Promise<void> {
    const refresh = this.options.refreshAccessToken;
    if (!refresh) {
      throw new RunAbortedError(
        'hubspot_auth',
        'The HubSpot access token expired and cannot be renewed.',
      );
    }
    // One refresh at a time, however many requests noticed the expiry.
    this.refreshing ??= refresh()
      .then((token) => this.client.setAccessToken(token))
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
  }

  /**
   * One API call under the gates and the retry policy. Record-level 4xx errors are thrown as
   * HubSpotRequestError for the caller; systemic ones stop the run.
   */
  private async call<T>(
    kind: 'general' | 'search',
    send: () => Promise<HttpInfoLike<T>>,
  ): Promise<T> {
    let refreshed = false;
    // Rate-limit answers and transient failures are counted apart: waiting out a 429 is
    // expected under load and must not use up the retries meant for failures.
    let attempt = 0;
    let limited = 0;
    for (;;) {
      if (kind === 'search') await this.gates.search.acquire();
      await this.gates.general.acquire();
      try {
        const response = await timeout(send(), this.timeoutMs);
        this.observe(response.headers, false);
        return response.data;
      } catch (error) {
        const parts = errorParts(error);
        if (!parts) {
          // No HTTP answer at all: reset, timeout, DNS. Every call we make is idempotent.
          if (attempt + 1 >= this.retry.maxAttempts) {
            throw new RunAbortedError(
              'hubspot_unavailable',
              `HubSpot did not answer after ${attempt + 1} attempts (${error instanceof Error ? error.message : String(error)}).`,
            );
          }
          await this.retries.sleep(this.clock, backoffDelay(attempt++, this.retry), null);
          continue;
        }
        const { status, body, headers } = parts;
        this.observe(headers, status === 429);
        if (status === 429) {
          if (body.policyName === 'DAILY') {
            throw new RunAbortedError(
              'hubspot_rate_limit',
              "HubSpot's daily API limit for this portal is used up; the next run continues.",
            );
          }
          const wait = retryAfterMs(headers['retry-after'], this.clock.now());
          limited++;
          const gate = body.policyName === 'SECONDLY' ? this.gates.search : this.gates.general;
          gate.pause(
            this.clock.now() + (wait ?? this.unannouncedWait(gate, body.policyName, limited)),
          );
          if (limited >= this.retry.maxAttempts * 5) {
            throw new RunAbortedError(
              'hubspot_rate_limit',
              'HubSpot kept answering 429 (too many requests); the run stopped and the next run continues.',
            );
          }
          continue;
        }
        if (status === 401) {
          if (body.category === 'EXPIRED_AUTHENTICATION' && !refreshed) {
            refreshed = true;
            await this.refreshToken();
            continue;
          }
          throw this.refused('HubSpot connection needs to be renewed: the access was refused.');
        }
        if (status === 403 && body.category === 'MISSING_SCOPES') {
          throw this.refused(
            'HubSpot connection needs to be renewed: the app lacks a permission (scope).',
          );
        }
        if (status >= 500) {
          if (attempt + 1 >= this.retry.maxAttempts) {
            throw new RunAbortedError(
              'hubspot_unavailable',
              `HubSpot answered ${status} ${attempt + 1} times in a row.`,
            );
          }
          await this.retries.sleep(this.clock, backoffDelay(attempt++, this.retry), status);
          continue;
        }
        throw new HubSpotRequestError(status, body);
      }
    }
  }

  // ---- reads ----------------------------------------------------------------------------------------

  async listOwners(): Promise<HubSpotOwnerRecord[]> {
    const owners: HubSpotOwnerRecord[] = [];
    let after: string | undefined;
    do {
      const page = await this.call('general', () =>
        this.client.crm.owners.ownersApi.getPageWithHttpInfo(undefined, after, 500, false),
      );
      for (const raw of page.results) {
        const owner = toOwnerRecord(HubSpotOwner.parse(raw));
        if (owner) owners.push(owner);
      }
      after = page.paging?.next?.after;
    } while (after);
    return owners;
  }

  private searchRequest(type: CrmType, window: ChangeWindow, after: number, limit: number) {
    const property = LAST_MODIFIED[type];
    const filters: { propertyName: string; operator: 'GT' | 'LTE'; value: string }[] = [
      { propertyName: property, operator: 'LTE', value: String(window.untilMs) },
    ];
    if (window.sinceMs !== null) {
      filters.unshift({ propertyName: property, operator: 'GT', value: String(window.sinceMs) });
    }
    const names = type === 'contact' ? CONTACT_PROPERTIES : COMPANY_PROPERTIES;
    return {
      filterGroups: [{ filters }],
      sorts: [`${property}`],
      properties: [...Object.values(names), property],
      limit,
      after: String(after),
    };
  }

  private toRecord<T extends CrmType>(type: T, raw: unknown): HubSpotRecordByType[T] {
    const object = HubSpotObject.parse(raw);
    return (
      type === 'contact' ? toContactRecord(object) : toCompanyRecord(object)
    ) as HubSpotRecordByType[T];
  }

  /**
   * Changed records in ascending modification order. Search stops at 10,000 results, so a long
   * window is read in parts, each starting where the last left off; when the total moves under
   * us (a record changed while we paged), the part is read again rather than risk a gap.
   */
  async *readChanged<T extends CrmType>(
    type: T,
    window: ChangeWindow,
  ): AsyncIterable<HubSpotRecordByType[T][]> {
    let since = window.sinceMs;
    let restarts = 0;
    // Records yielded by the parts before this one, so the count told covers the window.
    let before = 0;
    for (;;) {
      let total: number | undefined;
      let offset = 0;
      let newest = since ?? Number.NEGATIVE_INFINITY;
      let restart = false;
      for (;;) {
        const request = this.searchRequest(
          type,
          { sinceMs: since, untilMs: window.untilMs },
          offset,
          SEARCH_PAGE_SIZE,
        );
        // The API object is looked up per request: renewing the token (setAccessToken)
        // rebuilds the SDK's API objects, and one kept from before would send the dead token.
        const page = await this.call('search', () =>
          this.api(type).searchApi.doSearchWithHttpInfo(
            request as Parameters<CrmApi['searchApi']['doSearch']>[0],
          ),
        );
        if (total !== undefined && page.total !== total) {
          if (++restarts > MAX_WINDOW_RESTARTS) {
            throw new RunAbortedError(
              'hubspot_unavailable',
              'HubSpot data kept changing while it was being read; the next run reads it again.',
            );
          }
          restart = true;
          break;
        }
        if (total === undefined) window.onTotal?.(before + page.total);
        total = page.total;
        const records = page.results.map((raw) => this.toRecord(type, raw));
        if (records.length > 0) yield records;
        for (const record of records) newest = Math.max(newest, Date.parse(record.updatedAt));
        offset += page.results.length;
        const next = page.paging?.next?.after;
        if (!next || page.results.length === 0) return;
        if (offset + SEARCH_PAGE_SIZE > SEARCH_RESULT_CAP) break;
      }
      if (restart) continue;
      before += offset;
      // The 10,000-result cap: continue after the newest change seen. Records sharing that
      // exact millisecond are read again (harmless); if all 10,000 share it we cannot progress.
      const next = newest - 1;
      if (since !== null && next <= since) {
        throw new RunAbortedError(
          'hubspot_unavailable',
          'More than 10,000 HubSpot records share one modification time; they cannot be paged through search.',
        );
      }
      since = next;
    }
  }

  async countChanged(
    type: CrmType,
    window: ChangeWindow & { sinceMs: number },
  ): Promise<number | null> {
    const request = this.searchRequest(type, window, 0, 1);
    const page = await this.call('search', () =>
      this.api(type).searchApi.doSearchWithHttpInfo(
        request as Parameters<CrmApi['searchApi']['doSearch']>[0],
      ),
    );
    return page.total;
  }

  /**
   * Every live record through the objects list (CRM v3 `GET /crm/v3/objects/{objectType}`,
   * operation getPage: `limit`, `after`, `properties`, `archived`). It reads the records
   * themselves, not the search index, so a change is there as soon as it is made; pages hold
   * at most 100 records and come in id order.
   */
  async *listRecords<T extends CrmType>(type: T): AsyncIterable<HubSpotRecordByType[T][]> {
    const names = type === 'contact' ? CONTACT_PROPERTIES : COMPANY_PROPERTIES;
    const properties = [...Object.values(names), LAST_MODIFIED[type]];
    let after: string | undefined;
    do {
      const cursor = after;
      const page = await this.call('general', () =>
        this.api(type).basicApi.getPageWithHttpInfo(
          LIST_PAGE_SIZE,
          cursor,
          properties,
          undefined,
          undefined,
          false,
        ),
      );
      const records = page.results.map((raw) => this.toRecord(type, raw));
      if (records.length > 0) yield records;
      after = page.paging?.next?.after;
    } while (after);
  }

  // ---- writes ----------------------------------------------------------------------------------------

  /**
   * A batch is all-or-nothing for some errors (one invalid e-mail fails all 100): such a batch
   * is split in halves until the refused records are alone, so the others still get written.
   */
  private async splitting<I, R>(
    inputs: I[],
    send: (inputs: I[]) => Promise<WriteResult<R>[]>,
  ): Promise<WriteResult<R>[]> {
    try {
      return await send(inputs);
    } catch (error) {
      if (!(error instanceof HubSpotRequestError)) throw error;
      if (inputs.length === 1) return [{ ok: false, error: error.message }];
      const middle = Math.ceil(inputs.length / 2);
      return [
        ...(await this.splitting(inputs.slice(0, middle), send)),
        ...(await this.splitting(inputs.slice(middle), send)),
      ];
    }
  }

  /** Maps a batch answer (200 or 207) back to the inputs by a key each input carries. */
  private collect<R>(
    keys: string[],
    results: unknown[],
    keyOf: (raw: unknown) => string | undefined,
    toRecord: (raw: unknown) => R,
    errors: HubSpotError['errors'],
  ): WriteResult<R>[] {
    const byKey = new Map<string, R>();
    for (const raw of results) {
      const key = keyOf(raw);
      if (key !== undefined) byKey.set(key, toRecord(raw));
    }
    const reason = (key: string) => {
      const match = errors?.find((error) =>
        JSON.stringify(error.context ?? '').includes(`"${key}"`),
      );
      return match?.message ?? errors?.[0]?.message ?? 'HubSpot did not write this record';
    };
    return keys.map((key) => {
      const record = byKey.get(key);
      return record === undefined ? { ok: false, error: reason(key) } : { ok: true, record };
    });
  }

  async createByXentralId<T extends CrmType>(
    type: T,
    inputs: { xentralId: string; patch: Partial<HubSpotRecordByType[T]> }[],
  ): Promise<WriteResult<HubSpotRecordByType[T]>[]> {
    const names = type === 'contact' ? CONTACT_PROPERTIES : COMPANY_PROPERTIES;
    return this.splitting(inputs, async (part) => {
      const body = {
        inputs: part.map((input) => ({
          id: input.xentralId,
          idProperty: XENTRAL_ID_PROPERTY,
          objectWriteTraceId: input.xentralId,
          properties: {
            ...toProperties(
              names,
              input.patch as Partial<HubSpotContactRecord & HubSpotCompanyRecord>,
            ),
            [XENTRAL_ID_PROPERTY]: input.xentralId,
          },
        })),
      };
      const answer = await this.call('general', () =>
        this.api(type).batchApi.upsertWithHttpInfo(
          body as Parameters<CrmApi['batchApi']['upsert']>[0],
        ),
      );
      return this.collect(
        part.map((input) => input.xentralId),
        answer.results,
        (raw) => HubSpotObject.safeParse(raw).data?.properties[XENTRAL_ID_PROPERTY] ?? undefined,
        (raw) => this.toRecord(type, raw),
        'errors' in answer ? BatchErrors.safeParse(answer.errors).data : undefined,
      );
    });
  }

  async update<T extends CrmType>(
    type: T,
    inputs: { id: string; patch: Partial<HubSpotRecordByType[T]> }[],
  ): Promise<WriteResult<HubSpotRecordByType[T]>[]> {
    const names = type === 'contact' ? CONTACT_PROPERTIES : COMPANY_PROPERTIES;
    return this.splitting(inputs, async (part) => {
      const body = {
        inputs: part.map((input) => ({
          id: input.id,
          properties: toProperties(
            names,
            input.patch as Partial<HubSpotContactRecord & HubSpotCompanyRecord>,
          ),
        })),
      };
      const answer = await this.call('general', () =>
        this.api(type).batchApi.updateWithHttpInfo(body),
      );
      return this.collect(
        part.map((input) => input.id),
        answer.results,
        (raw) => HubSpotObject.safeParse(raw).data?.id,
        (raw) => this.toRecord(type, raw),
        'errors' in answer ? BatchErrors.safeParse(answer.errors).data : undefined,
      );
    });
  }

  /** The options of the contact property lifecyclestage: the stages the import can select. */
  async lifecycleStages(): Promise<{ id: string; label: string; displayOrder: number }[]> {
    const property = HubSpotProperty.parse(
      await this.call('general', () =>
        this.client.crm.properties.coreApi.getByNameWithHttpInfo('contacts', 'lifecyclestage'),
      ),
    );
    return property.options
      .filter((option) => option.hidden !== true)
      .map((option, index) => ({
        id: option.value,
        label: option.label,
        displayOrder: option.displayOrder ?? index,
      }))
      .sort((a, b) => a.displayOrder - b.displayOrder);
  }

  /**
   * The unique properties the engine keys its creates on (made at connect time): xentral_id on
   * contacts and companies, xentral_order_id on deals.
   */
  async ensureProperties(): Promise<void> {
    for (const [objectType, name, label, groupName] of [
      ['contacts', XENTRAL_ID_PROPERTY, 'Xentral ID', 'contactinformation'],
      ['companies', XENTRAL_ID_PROPERTY, 'Xentral ID', 'companyinformation'],
      ['deals', XENTRAL_ORDER_ID_PROPERTY, 'Xentral order ID', 'dealinformation'],
    ] as const) {
      try {
        await this.call('general', () =>
          this.client.crm.properties.coreApi.getByNameWithHttpInfo(objectType, name),
        );
        continue;
      } catch (error) {
        if (!(error instanceof HubSpotRequestError) || error.status !== 404) throw error;
      }
      try {
        await this.call('general', () =>
          this.client.crm.properties.coreApi.createWithHttpInfo(objectType, {
            name,
            label,
            description:
              'Set by the Xentral app: the Xentral record this HubSpot record belongs to.',
            groupName,
            type: 'string',
            fieldType: 'text',
            hasUniqueValue: true,
          } as Parameters<Client['crm']['properties']['coreApi']['create']>[1]),
        );
      } catch (error) {
        // Created meanwhile by a concurrent connect: that is what we wanted.
        if (!(error instanceof HubSpotRequestError) || error.status !== 409) throw error;
      }
    }
  }

  // ---- deals ---------------------------------------------------------------------------------------

  /**
   * Deals go to the portal's default pipeline (id "default") at its won stage ("closedwon"), both
   * looked up, not assumed: a portal may have renamed, hidden or removed them.
   */
  async dealPipeline(): Promise<DealPipeline> {
    const answer = HubSpotPipelines.parse(
      await this.call('general', () =>
        this.client.crm.pipelines.pipelinesApi.getAllWithHttpInfo('deals'),
      ),
    );
    const pipeline = answer.results.find((p) => p.id === 'default' && p.archived !== true);
    if (!pipeline) {
      throw new RunAbortedError(
        'configuration',
        'The HubSpot portal has no default deal pipeline; deals cannot be created.',
      );
    }
    const won =
      pipeline.stages.find((stage) => stage.id === 'closedwon' && stage.archived !== true) ??
      pipeline.stages.find(
        (stage) =>
          stage.archived !== true &&
          stage.metadata?.isClosed === 'true' &&
          Number(stage.metadata.probability) === 1,
      );
    if (!won) {
      throw new RunAbortedError(
        'configuration',
        `The default deal pipeline "${pipeline.label}" has no won stage; deals cannot be created.`,
      );
    }
    return { pipelineId: pipeline.id, stageId: won.id };
  }

  async upsertDeals(deals: DealDraft[]): Promise<WriteResult<{ id: string; orderId: string }>[]> {
    return this.splitting(deals, async (part) => {
      const body = {
        inputs: part.map((deal) => ({
          id: deal.orderId,
          idProperty: XENTRAL_ORDER_ID_PROPERTY,
          objectWriteTraceId: deal.orderId,
          properties: toDealProperties(deal),
        })),
      };
      const answer = await this.call('general', () =>
        this.client.crm.deals.batchApi.upsertWithHttpInfo(
          body as Parameters<Client['crm']['deals']['batchApi']['upsert']>[0],
        ),
      );
      return this.collect(
        part.map((deal) => deal.orderId),
        answer.results,
        (raw) =>
          HubSpotObject.safeParse(raw).data?.properties[XENTRAL_ORDER_ID_PROPERTY] ?? undefined,
        (raw) => {
          const object = HubSpotObject.parse(raw);
          return { id: object.id, orderId: object.properties[XENTRAL_ORDER_ID_PROPERTY] ?? '' };
        },
        'errors' in answer ? BatchErrors.safeParse(answer.errors).data : undefined,
      );
    });
  }

  async createDeals(
    inputs: { deal: DealDraft; buyerType: CrmType; buyerId: string }[],
  ): Promise<WriteResult<{ id: string; orderId: string }>[]> {
    const results: WriteResult<{ id: string; orderId: string }>[] = [];
    for (let start = 0; start < inputs.length; start += 100) {
      const part = inputs.slice(start, start + 100);
      const body = {
        inputs: part.map(({ deal, buyerType, buyerId }) => ({
          // With a trace id HubSpot answers a duplicate order id per input (207), not by
          // refusing the whole batch.
          objectWriteTraceId: deal.orderId,
          properties: toDealProperties(deal),
          associations: [
            {
              to: { id: buyerId },
              types: [
                {
                  associationCategory: 'HUBSPOT_DEFINED',
                  associationTypeId: DEAL_TO_BUYER_TYPE[buyerType],
                },
              ],
            },
          ],
        })),
      };
      try {
        const answer = await this.call('general', () =>
          this.client.crm.deals.batchApi.createWithHttpInfo(
            body as Parameters<Client['crm']['deals']['batchApi']['create']>[0],
          ),
        );
        results.push(
          ...this.collect(
            part.map(({ deal }) => deal.orderId),
            answer.results,
            (raw) =>
              HubSpotObject.safeParse(raw).data?.properties[XENTRAL_ORDER_ID_PROPERTY] ?? undefined,
            (raw) => {
              const object = HubSpotObject.parse(raw);
              return {
                id: object.id,
                orderId: object.properties[XENTRAL_ORDER_ID_PROPERTY] ?? '',
              };
            },
            'errors' in answer ? BatchErrors.safeParse(answer.errors).data : undefined,
          ),
        );
      } catch (error) {
        if (!(error instanceof HubSpotRequestError)) throw error;
        results.push(...part.map(() => ({ ok: false as const, error: error.message })));
      }
    }
    return results;
  }

  async associateDeals(
    buyerType: CrmType,
    pairs: { dealId: string; buyerId: string }[],
  ): Promise<WriteResult<null>[]> {
    const results: WriteResult<null>[] = [];
    for (let start = 0; start < pairs.length; start += 100) {
      const part = pairs.slice(start, start + 100);
      try {
        const answer = DefaultAssociations.parse(
          await this.call('general', () =>
            this.client.crm.associations.v4.batchApi.createDefaultWithHttpInfo(
              'deals',
              buyerType === 'contact' ? 'contacts' : 'companies',
              {
                inputs: part.map((pair) => ({
                  _from: { id: pair.dealId },
                  to: { id: pair.buyerId },
                })),
              },
            ),
          ),
        );
        results.push(...associationResults(part, answer));
      } catch (error) {
        if (!(error instanceof HubSpotRequestError)) throw error;
        results.push(...part.map(() => ({ ok: false as const, error: error.message })));
      }
    }
    return results;
  }
}

/**
 * BatchResponsePublicDefaultAssociation (CRM Associations v4, batch/associate/default): always a
 * 200, with the associations made in `results` (both directions) and the refused inputs in
 * `errors`. A pair counts as made only when its association is among the results.
 */
function associationResults(
  pairs: { dealId: string; buyerId: string }[],
  answer: DefaultAssociations,
): WriteResult<null>[] {
  const made = new Set(answer.results.map((row) => `${row._from.id}\u0000${row.to.id}`));
  const errors = answer.errors ?? [];
  return pairs.map((pair) => {
    if (made.has(`${pair.dealId}\u0000${pair.buyerId}`)) return { ok: true, record: null };
    const context = (error: (typeof errors)[number]) => JSON.stringify(error.context ?? '');
    const match = errors.find(
      (error) =>
        context(error).includes(`"${pair.dealId}"`) || context(error).includes(`"${pair.buyerId}"`),
    );
    const message =
      match?.message ?? errors[0]?.message ?? 'HubSpot did not associate this deal with its buyer';
    return { ok: false, error: message };
  });
}
