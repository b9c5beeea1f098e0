/**
 * The mocks' own APIs, as the browser tests use them: to prepare data before a run and to check
 * afterwards what really arrived in each system (never the app's own view of it).
 */

/** The personal access token the embedded Xentral mock accepts by default (README). */
export const XENTRAL_DEMO_TOKEN = 'xentral-demo-token-0000000000000000';

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) {
    throw new Error(`${what} failed with ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as T;
}

export interface FaultSettings {
  latencyMs?: number;
  latencyJitterMs?: number;
}

/** Rows of Xentral's own tables, as GET /__mock/state shows them. */
export interface AdresseRow {
  id: number;
  typ: 'herr' | 'frau' | 'firma' | '';
  name: string;
  email: string;
  telefon: string;
  projekt: number;
  kundennummer: string;
  mitarbeiternummer: string;
  angelegt_am: string;
  logdatei: string;
}

export interface XentralState {
  adresse: AdresseRow[];
  adresse_rolle: { adresse: number; subjekt: string }[];
  projekt: { id: number; name: string; abkuerzung: string }[];
}

export interface XentralCustomer {
  id: string;
  primaryAddress: { name: string; email: string | null; phone: string | null };
}

export class XentralMock {
  constructor(readonly url: string) {}

  async state(): Promise<XentralState> {
    return json(await fetch(`${this.url}/__mock/state`), 'Xentral state');
  }

  async faults(settings: FaultSettings): Promise<void> {
    await json(
      await fetch(`${this.url}/__mock/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(settings),
      }),
      'Xentral faults',
    );
  }

  private api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${XENTRAL_DEMO_TOKEN}`,
        Accept: 'application/json',
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
    });
  }

  /** POST /api/v3/customers: a person with e-mail and phone (the create call needs an address). */
  async createPerson(input: {
    name: string;
    type: 'mr' | 'mrs';
    email: string;
    phone: string;
  }): Promise<XentralCustomer> {
    const body = {
      primaryAddress: {
        name: input.name,
        type: input.type,
        street: '',
        zipCode: '',
        city: '',
        country: 'DE',
        email: input.email,
        phone: input.phone,
      },
    };
    const created = await json<{ data: XentralCustomer }>(
      await this.api('/api/v3/customers', { method: 'POST', body: JSON.stringify(body) }),
      'Xentral create customer',
    );
    return created.data;
  }

  async customer(id: string): Promise<XentralCustomer> {
    const found = await json<{ data: XentralCustomer }>(
      await this.api(`/api/v3/customers/${id}`),
      'Xentral get customer',
    );
    return found.data;
  }
}

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null | undefined>;
}

export interface HubSpotPortalState {
  hubId: number;
  name: string;
  contacts: HubSpotObject[];
  companies: HubSpotObject[];
  owners: { id: string; email: string }[];
}

export interface HubSpotState {
  portals: HubSpotPortalState[];
  tokens: { accessTokens: number; refreshTokens: number; authorizationCodes: number };
}

export class HubSpotMock {
  constructor(readonly url: string) {}

  async state(): Promise<HubSpotState> {
    return json(await fetch(`${this.url}/__mock/state`), 'HubSpot state');
  }

  async portal(hubId: number): Promise<HubSpotPortalState> {
    const portal = (await this.state()).portals.find((candidate) => candidate.hubId === hubId);
    if (!portal) throw new Error(`The HubSpot mock has no portal ${hubId}`);
    return portal;
  }

  async faults(settings: FaultSettings): Promise<void> {
    await json(
      await fetch(`${this.url}/__mock/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(settings),
      }),
      'HubSpot faults',
    );
  }

  /** POST /__mock/settings, e.g. short-lived access tokens so the app refreshes on every call. */
  async settings(patch: {
    accessTokenTtlSeconds?: number;
    searchIndexLagMs?: number;
  }): Promise<void> {
    await json(
      await fetch(`${this.url}/__mock/settings`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(patch),
      }),
      'HubSpot settings',
    );
  }

  /**
   * The embedded mock starts with the demo's search index lag of a few seconds. The specs check
   * a run's effect right after preparing its data, so search has to see every write at once.
   */
  async searchSeesWritesAtOnce(): Promise<void> {
    await this.settings({ searchIndexLagMs: 0 });
  }

  /**
   * POST /__mock/reset: every portal, login and token is gone (HubSpot forgets the app). The
   * reset also brings back the demo's search index lag, so it is switched off again.
   */
  async reset(): Promise<void> {
    await json(await fetch(`${this.url}/__mock/reset`, { method: 'POST' }), 'HubSpot reset');
    await this.searchSeesWritesAtOnce();
  }

  /** POST /__mock/seed: a portal and the demo login that may connect to it. */
  async seed(input: {
    portals: { hubId: number; name: string; domain: string }[];
    login: { email: string; password: string };
    contacts?: number;
  }): Promise<void> {
    await json(
      await fetch(`${this.url}/__mock/seed`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      }),
      'HubSpot seed',
    );
  }

  /** How often an endpoint answered with a 2xx status (GET /__mock/stats). */
  async successes(endpoint: RegExp): Promise<number> {
    const stats = await json<{ endpoints: Record<string, { statuses: Record<string, number> }> }>(
      await fetch(`${this.url}/__mock/stats`),
      'HubSpot stats',
    );
    return Object.entries(stats.endpoints)
      .filter(([name]) => endpoint.test(name))
      .flatMap(([, entry]) => Object.entries(entry.statuses))
      .filter(([status]) => status.startsWith('2'))
      .reduce((sum, [, count]) => sum + count, 0);
  }

  /** POST /__mock/tokens: an access token for the portal's API, without the browser dance. */
  async accessToken(hubId: number): Promise<string> {
    const issued = await json<{ access_token: string }>(
      await fetch(`${this.url}/__mock/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ hubId }),
      }),
      'HubSpot token',
    );
    return issued.access_token;
  }

  async contact(hubId: number, id: string, properties: string[]): Promise<HubSpotObject> {
    const token = await this.accessToken(hubId);
    const query = new URLSearchParams({ properties: properties.join(',') });
    return json(
      await fetch(`${this.url}/crm/v3/objects/contacts/${id}?${query.toString()}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      }),
      'HubSpot get contact',
    );
  }

  /** Changes a contact through HubSpot's API, as someone in HubSpot would. */
  async updateContact(
    hubId: number,
    id: string,
    properties: Record<string, string>,
  ): Promise<HubSpotObject> {
    const token = await this.accessToken(hubId);
    return json(
      await fetch(`${this.url}/crm/v3/objects/contacts/${id}`, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ properties }),
      }),
      'HubSpot update contact',
    );
  }
}
