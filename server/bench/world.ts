import { z } from 'zod';
import { startHubSpotMock, type HubSpotMockHandle } from '../mocks/hubspot';
import { startXentralMock, type XentralMockHandle } from '../mocks/xentral';
import { onlyOnOneSide, type ChangeSet, type WorldSize } from './minimum';

/**
 * Both mocks on loopback in the bench's own process, driven through their control surface
 * (/__mock/reset, seed, tokens, faults, stats), and one clock for mocks and engine runs: the
 * bench moves it forward between runs, as if the process starter ran the next exchange later.
 */

export const BENCH_HUB_ID = 3_200_001;
const XENTRAL_TOKEN = 'xentral-bench-token-000000000000000';
/** Between runs the shared clock moves on: well past Xentral's whole seconds and the engine's re-read overlap. */
const RUN_INTERVAL_MS = 60 * 60 * 1000;

const EndpointStats = z.object({ count: z.number(), statuses: z.record(z.string(), z.number()) });
export const StatsSnapshot = z.object({
  total: z.number(),
  rateLimited: z.number(),
  endpoints: z.record(z.string(), EndpointStats),
});
export type StatsSnapshot = z.infer<typeof StatsSnapshot>;

const IssuedToken = z.looseObject({ access_token: z.string() });

export interface Connection {
  hubspotUrl: string;
  hubspotToken: string;
  hubId: number;
  xentralUrl: string;
  xentralToken: string;
  clockOffsetMs: number;
}

async function call(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  call(url, { method: 'POST', body: JSON.stringify(body), headers });

export class BenchWorld {
  private offsetMs = 0;
  private hubspotToken = '';

  private constructor(
    readonly hubspot: HubSpotMockHandle,
    readonly xentral: XentralMockHandle,
    readonly seed: number,
  ) {}

  static async start(seed: number): Promise<BenchWorld> {
    const holder: { world?: BenchWorld } = {};
    const clock = () => new Date(Date.now() + (holder.world?.offsetMs ?? 0));
    // Deterministic counts: search sees every write at once (and keeps doing so after a reset).
    const hubspot = await startHubSpotMock({
      host: '127.0.0.1',
      port: 0,
      clock,
      seed,
      settings: { searchIndexLagMs: 0 },
    });
    const xentral = await startXentralMock({
      host: '127.0.0.1',
      port: 0,
      token: XENTRAL_TOKEN,
      clock,
      seed,
      // The employee extension routes: these scenarios create HubSpot users as employees.
      extensions: true,
    });
    holder.world = new BenchWorld(hubspot, xentral, seed);
    return holder.world;
  }

  connection(): Connection {
    return {
      hubspotUrl: this.hubspot.url,
      hubspotToken: this.hubspotToken,
      hubId: BENCH_HUB_ID,
      xentralUrl: this.xentral.url,
      xentralToken: XENTRAL_TOKEN,
      clockOffsetMs: this.offsetMs,
    };
  }

  /** The next run happens an hour later: everything changed so far lies well in its past. */
  nextRun(): void {
    this.offsetMs += RUN_INTERVAL_MS;
  }

  /** The shared clock, as both mocks and the engine see it. */
  now(): string {
    return new Date(Date.now() + this.offsetMs).toISOString();
  }

  // ---- seeding -------------------------------------------------------------------------------

  private async reset(): Promise<void> {
    await post(`${this.hubspot.url}/__mock/reset`, {});
    await post(`${this.xentral.url}/__mock/reset`, {});
  }

  private async seedHubSpot(input: Record<string, unknown>): Promise<void> {
    await post(`${this.hubspot.url}/__mock/seed`, {
      seed: this.seed,
      hubId: BENCH_HUB_ID,
      ...input,
    });
  }

  private async seedXentral(input: Record<string, unknown>): Promise<void> {
    await post(`${this.xentral.url}/__mock/seed`, {
      seed: this.seed,
      draftOrders: 0,
      withoutEmailEvery: 0,
      duplicateEmailEvery: 0,
      ...input,
    });
  }

  private async connect(): Promise<void> {
    const token = IssuedToken.parse(
      await post(`${this.hubspot.url}/__mock/tokens`, {
        hubId: BENCH_HUB_ID,
        expiresInSeconds: 86_400 * 365,
      }),
    );
    this.hubspotToken = token.access_token;
  }

  private async fresh(): Promise<void> {
    await this.reset();
    await this.seedHubSpot({
      portals: [{ hubId: BENCH_HUB_ID, name: 'Bench GmbH', domain: 'bench-gmbh.example' }],
    });
  }

  /** Scenario 1, export: Xentral holds everything, HubSpot only its owners. */
  async seedForExport(size: WorldSize, releasedOrders: number): Promise<void> {
    await this.fresh();
    await this.seedHubSpot({ owners: size.owners });
    await this.seedXentral({
      persons: size.contacts,
      companies: size.companies,
      employees: size.employees,
      projects: 2,
      releasedOrders,
      personStartIndex: 0,
      companyStartIndex: 0,
    });
    await this.connect();
  }

  /** Scenario 1, import: HubSpot holds everything, Xentral is empty (two projects, no one). */
  async seedForImport(size: WorldSize): Promise<void> {
    await this.fresh();
    await this.seedHubSpot({
      contacts: size.contacts,
      companies: size.companies,
      owners: size.owners,
    });
    await this.seedXentral({
      persons: 0,
      companies: 0,
      employees: 0,
      projects: 2,
      releasedOrders: 0,
    });
    await this.connect();
  }

  /**
   * Scenario 1, sync: HubSpot holds generator indexes [0, n), Xentral [0.7n, 1.7n) (companies
   * likewise), so 30 % of each side is on the other side too, matched by e-mail / name + domain.
   */
  async seedForSync(size: WorldSize, releasedOrders: number, draftOrders: number): Promise<void> {
    await this.fresh();
    await this.seedHubSpot({
      contacts: size.contacts,
      companies: size.companies,
      owners: size.owners,
      contactStartIndex: 0,
      companyStartIndex: 0,
    });
    await this.seedXentral({
      persons: size.contacts,
      companies: size.companies,
      employees: size.employees,
      projects: 2,
      releasedOrders,
      draftOrders,
      personStartIndex: onlyOnOneSide(size.contacts),
      companyStartIndex: onlyOnOneSide(size.companies),
    });
    await this.connect();
  }

  /**
   * Scenario 3's changes on each side: existing records get a new phone number (a field already
   * exchanged), and new records appear, with generator indexes no other record uses.
   */
  async applyChanges(size: WorldSize, changes: ChangeSet): Promise<void> {
    const portal = this.hubspot.store.portal(BENCH_HUB_ID);
    if (!portal) throw new Error('the bench portal is missing');
    const spread = <T>(items: readonly T[], count: number): T[] =>
      Array.from({ length: count }, (_, i) => items[Math.floor((i * items.length) / count)] as T);

    for (const [type, objects] of [
      ['contact', 'contacts'],
      ['company', 'companies'],
    ] as const) {
      const ids = portal.tables[objects].ordered.filter((r) => !r.archived).map((r) => r.id);
      const chosen = spread(ids, changes.edited[type]);
      for (let start = 0; start < chosen.length; start += 100) {
        await post(
          `${this.hubspot.url}/crm/v3/objects/${objects}/batch/update`,
          {
            inputs: chosen.slice(start, start + 100).map((id, i) => ({
              id,
              properties: { phone: `+49 30 ${1_000_000 + start + i}` },
            })),
          },
          { Authorization: `Bearer ${this.hubspotToken}` },
        );
      }
    }
    await this.seedHubSpot({
      contacts: changes.added.contact,
      companies: changes.added.company,
      contactStartIndex: 2 * size.contacts,
      companyStartIndex: 2 * size.companies,
    });

    const customers = this.xentral.store.customers();
    const persons = customers.filter((row) => row.typ !== 'firma').map((row) => row.id);
    const companies = customers.filter((row) => row.typ === 'firma').map((row) => row.id);
    for (const [index, id] of [
      ...spread(persons, changes.edited.contact),
      ...spread(companies, changes.edited.company),
    ].entries()) {
      await call(`${this.xentral.url}/api/v3/customers/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ primaryAddress: { phone: `+49 40 ${2_000_000 + index}` } }),
        headers: { Authorization: `Bearer ${XENTRAL_TOKEN}` },
      });
    }
    await this.seedXentral({
      append: true,
      persons: changes.added.contact,
      companies: changes.added.company,
      employees: 0,
      projects: 0,
      releasedOrders: 0,
      personStartIndex: 3 * size.contacts,
      companyStartIndex: 3 * size.companies,
    });
  }

  /** Releases `count` draft sales orders through the API, as someone in Xentral would. */
  async releaseDrafts(count: number): Promise<void> {
    const drafts = this.xentral.store
      .orders()
      .filter((order) => order.status === 'angelegt')
      .slice(0, count);
    if (drafts.length < count) throw new Error(`only ${drafts.length} draft orders to release`);
    for (const order of drafts) {
      await call(`${this.xentral.url}/api/v3/salesOrders/${order.id}/actions/release`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${XENTRAL_TOKEN}` },
      });
    }
  }

  // ---- limits and statistics -----------------------------------------------------------------

  /** Turns both mocks' real rate limits on, windows shortened by `timeScale`; null turns them off. */
  async setLimits(timeScale: number | null): Promise<void> {
    const faults = timeScale === null ? {} : { rateLimits: true, timeScale };
    await post(`${this.hubspot.url}/__mock/faults`, faults);
    await post(`${this.xentral.url}/__mock/faults`, faults);
  }

  async clearStats(): Promise<void> {
    await call(`${this.hubspot.url}/__mock/stats`, { method: 'DELETE' });
    await call(`${this.xentral.url}/__mock/stats`, { method: 'DELETE' });
  }

  async stats(): Promise<{ hubspot: StatsSnapshot; xentral: StatsSnapshot }> {
    return {
      hubspot: StatsSnapshot.parse(await call(`${this.hubspot.url}/__mock/stats`)),
      xentral: StatsSnapshot.parse(await call(`${this.xentral.url}/__mock/stats`)),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.hubspot.close(), this.xentral.close()]);
  }
}
