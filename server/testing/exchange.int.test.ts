import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdresseRow } from '../mocks/xentral';
import { startExchangeEnv, type ExchangeEnv, type HubSpotStored } from './exchange-env';

/**
 * SPEC §3 end to end: the real adapters against both mocks, a real SQLite file, and the state
 * of both systems checked after each run, not only the counts.
 */

let env: ExchangeEnv;
beforeEach(async () => {
  env = await startExchangeEnv();
});
afterEach(() => env.close());

/** Creates a customer through Xentral's API, as someone in Xentral would. */
async function addXentral(fields: {
  type: 'mr' | 'mrs' | 'company';
  name: string;
  email?: string;
  phone?: string;
  city?: string;
  country?: string;
  website?: string;
  accountManagerId?: string;
}): Promise<string> {
  const result = await env.xentral.createCustomer({ country: 'DE', ...fields });
  if (!result.ok) throw new Error(result.error);
  return result.record.id;
}

async function editXentral(
  id: string,
  patch: Parameters<ExchangeEnv['xentral']['updateCustomer']>[1],
) {
  const result = await env.xentral.updateCustomer(id, patch);
  if (!result.ok) throw new Error(result.error);
}

/** Creates a contact or company through HubSpot's API, as someone in HubSpot would. */
async function addHubSpot(
  type: 'contacts' | 'companies',
  properties: Record<string, string>,
): Promise<string> {
  const api =
    type === 'contacts' ? env.hubspotClient.crm.contacts : env.hubspotClient.crm.companies;
  const created = await api.basicApi.create({ properties, associations: [] });
  return created.id;
}

async function editHubSpot(
  type: 'contacts' | 'companies',
  id: string,
  properties: Record<string, string>,
) {
  const api =
    type === 'contacts' ? env.hubspotClient.crm.contacts : env.hubspotClient.crm.companies;
  await api.basicApi.update(id, { properties });
}

function xentralRows(): AdresseRow[] {
  return env.xentralMock.store.dump().adresse.filter((row) => row.geloescht === 0);
}

function xentralByEmail(email: string): AdresseRow[] {
  return xentralRows().filter((row) => row.email.toLowerCase() === email.toLowerCase());
}

function hubspotByEmail(email: string): HubSpotStored[] {
  return env
    .hubspotRecords('contacts')
    .filter((row) => (row.properties.email ?? '').toLowerCase() === email.toLowerCase());
}

/** Requests that change data, per system, since the stats were last cleared. */
function writes(): { hubspot: number; xentral: number } {
  const count = (endpoints: Record<string, { count: number }>) =>
    Object.entries(endpoints)
      .filter(
        ([endpoint]) => /^(POST|PATCH|PUT|DELETE) /.test(endpoint) && !endpoint.includes('/search'),
      )
      .reduce((sum, [, stats]) => sum + stats.count, 0);
  return {
    hubspot: count(env.hubspotMock.stats.snapshot().endpoints),
    xentral: count(env.xentralMock.stats.snapshot().endpoints),
  };
}

function clearStats() {
  env.hubspotMock.stats.reset();
  env.xentralMock.stats.reset();
}

describe('export: Xentral → HubSpot', () => {
  it('creates contacts and companies with every mapped field, skips those without e-mail or name', async () => {
    await addXentral({
      type: 'mrs',
      name: 'Anna Maria Müller',
      email: 'Anna.Mueller@Example.com',
      phone: '+49 821 1',
      city: 'Augsburg',
      country: 'AT',
    });
    await addXentral({ type: 'mr', name: 'Ohne Mail' });
    await addXentral({ type: 'company', name: 'Acme GmbH', website: 'https://www.acme.com/' });
    const result = await env.run('export');
    expect(result.status).toBe('succeeded');

    const [contact] = hubspotByEmail('anna.mueller@example.com');
    expect(contact?.properties).toMatchObject({
      firstname: 'Anna Maria',
      lastname: 'Müller',
      salutation: 'Mrs',
      phone: '+49 821 1',
      city: 'Augsburg',
      country: 'Austria',
    });
    expect(env.hubspotRecords('contacts')).toHaveLength(1);
    expect(env.hubspotRecords('companies').map((c) => c.properties)).toEqual([
      expect.objectContaining({ name: 'Acme GmbH', domain: 'acme.com' }),
    ]);
    const summary = env.runs.summary(result.runId)!;
    expect(summary.totals).toMatchObject({ created: 2, skipped: 1, failed: 0, conflicts: 0 });
    const skipped = env.runs.items(result.runId, 100).find((item) => item.action === 'skipped');
    expect(skipped).toMatchObject({ label: 'Ohne Mail', reason: expect.stringMatching(/e-mail/) });
  });

  it('links to an existing HubSpot contact by e-mail and fills only its empty fields', async () => {
    await addXentral({
      type: 'mr',
      name: 'Jan Berg',
      email: 'jan@example.com',
      phone: '+49 1',
      city: 'Köln',
    });
    const hubspotId = await addHubSpot('contacts', {
      email: 'JAN@example.com',
      firstname: 'Jan',
      lastname: 'Berg',
      city: 'Bonn',
      lifecyclestage: 'lead',
    });
    const result = await env.run('export');
    const [contact] = env.hubspotRecords('contacts');
    expect(env.hubspotRecords('contacts')).toHaveLength(1);
    expect(contact?.id).toBe(hubspotId);
    // phone was empty in HubSpot: filled; city differed: a conflict, nothing written
    expect(contact?.properties).toMatchObject({ phone: '+49 1', city: 'Bonn', salutation: 'Mr' });
    const summary = env.runs.summary(result.runId)!;
    expect(summary.totals).toMatchObject({ created: 0, linked: 1, edited: 1, conflicts: 1 });
  });
});

describe('import: HubSpot → Xentral', () => {
  it('imports users as employees, the selected stages only, with the project and Back office', async () => {
    env.hubspotMock.seed({ hubId: 3_100_001, owners: 2, ownerStartIndex: 900_000 });
    const owners = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results;
    const owner =
      owners.find((o) => o.email !== env.hubspotMock.state().users[0]?.email) ?? owners[0]!;
    await addHubSpot('contacts', {
      email: 'lead@example.com',
      firstname: 'Lena',
      lastname: 'Lead',
      salutation: 'Frau',
      country: 'Deutschland',
      hubspot_owner_id: owner.id,
      lifecyclestage: 'lead',
    });
    await addHubSpot('contacts', {
      email: 'sub@example.com',
      firstname: 'Sub',
      lifecyclestage: 'subscriber',
    });
    const result = await env.run('import', {}, { lifecycleStages: ['lead'], projectId: '2' });
    expect(result.status).toBe('succeeded');

    const employees = xentralRows().filter((row) => row.mitarbeiternummer !== '');
    expect(employees.map((e) => e.email).sort()).toEqual(owners.map((o) => o.email).sort());
    const [lena] = xentralByEmail('lead@example.com');
    expect(lena).toMatchObject({ typ: 'frau', name: 'Lena Lead', land: 'DE', projekt: 2 });
    const backOffice = employees.find((e) => e.email === owner.email);
    expect(lena?.innendienst).toBe(backOffice?.id);
    expect(xentralByEmail('sub@example.com')).toEqual([]);
  });

  it('imports only users when no lifecycle stage is selected', async () => {
    env.hubspotMock.seed({ hubId: 3_100_001, owners: 1 });
    await addHubSpot('contacts', { email: 'c@example.com', lifecyclestage: 'customer' });
    await addHubSpot('companies', { name: 'Nope AG', lifecyclestage: 'customer' });
    await env.run('import', {}, { lifecycleStages: [] });
    expect(xentralRows().filter((row) => row.kundennummer !== '')).toEqual([]);
    expect(xentralRows().filter((row) => row.mitarbeiternummer !== '').length).toBeGreaterThan(0);
  });

  it('never changes the project of an existing Xentral record', async () => {
    const id = await addXentral({ type: 'mrs', name: 'Eva Alt', email: 'eva@example.com' });
    await addHubSpot('contacts', {
      email: 'eva@example.com',
      phone: '+49 9',
      lifecyclestage: 'customer',
    });
    await env.run('import', {}, { projectId: '2' });
    const row = xentralRows().find((r) => String(r.id) === id);
    expect(row).toMatchObject({ projekt: 0, telefon: '+49 9' });
  });
});

describe('a Xentral without the employee extension routes', () => {
  it('exchanges contacts and companies, leaves users out, and says why', async () => {
    env.hubspotMock.seed({ hubId: 3_100_001, owners: 2, ownerStartIndex: 900_000 });
    const owners = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results;
    await addHubSpot('contacts', {
      email: 'lead@example.com',
      firstname: 'Lena',
      lastname: 'Lead',
      hubspot_owner_id: owners[0]!.id,
      lifecyclestage: 'lead',
    });
    await addXentral({ type: 'company', name: 'Nur Xentral GmbH', website: 'nur-xentral.example' });
    await fetch(`${env.xentralMock.url}/__mock/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: false }),
    });

    const result = await env.run('sync');
    expect(result.status).toBe('succeeded');
    const lena = xentralByEmail('lead@example.com');
    expect(lena).toMatchObject([{ name: 'Lena Lead', innendienst: 0 }]);
    expect(xentralRows().filter((row) => row.mitarbeiternummer !== '')).toEqual([]);
    expect(
      env.hubspotRecords('companies').filter((c) => c.properties.name === 'Nur Xentral GmbH'),
    ).toHaveLength(1);
    expect(env.messages).toContainEqual(
      expect.objectContaining({ level: 'warn', code: 'users_unavailable' }),
    );
    const byType = env.runs.summary(result.runId)!.counts;
    expect(byType.filter((row) => row.type === 'user')).toEqual([]);

    // Once the routes are there, the next run brings the users and the Back office.
    await fetch(`${env.xentralMock.url}/__mock/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: true }),
    });
    expect((await env.run('sync')).status).toBe('succeeded');
    const employees = xentralRows().filter((row) => row.mitarbeiternummer !== '');
    expect(employees).toHaveLength(owners.length);
    const backOffice = employees.find((e) => e.email === owners[0]!.email);
    expect(xentralByEmail('lead@example.com')[0]?.innendienst).toBe(backOffice?.id);
  });
});

describe('sync: both directions', () => {
  it('creates on both sides, links matches, and a second run writes nothing', async () => {
    await addXentral({ type: 'mr', name: 'Only Xentral', email: 'x@example.com' });
    await addXentral({
      type: 'mrs',
      name: 'Both Sides',
      email: 'both@example.com',
      phone: '+49 5',
    });
    await addHubSpot('contacts', {
      email: 'h@example.com',
      firstname: 'Only',
      lastname: 'HubSpot',
      lifecyclestage: 'customer',
    });
    await addHubSpot('contacts', {
      email: 'both@example.com',
      mobilephone: '+49 170 2',
      lifecyclestage: 'customer',
    });
    const first = await env.run('sync');
    expect(env.runs.summary(first.runId)!.totals).toMatchObject({
      created: 2,
      linked: 1,
      edited: 2,
    });
    expect(hubspotByEmail('x@example.com')).toHaveLength(1);
    expect(xentralByEmail('h@example.com')).toMatchObject([{ name: 'Only HubSpot', typ: 'herr' }]);
    expect(xentralByEmail('both@example.com')).toMatchObject([
      { mobil: '+49 170 2', telefon: '+49 5' },
    ]);
    expect(hubspotByEmail('both@example.com')[0]?.properties).toMatchObject({ phone: '+49 5' });

    clearStats();
    const second = await env.run('sync');
    expect(env.runs.summary(second.runId)!.totals).toMatchObject({
      created: 0,
      edited: 0,
      conflicts: 0,
      linked: 0,
      failed: 0,
    });
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
  });

  it('never touches an exchanged field again: deleted not re-added, changes not propagated nor reverted', async () => {
    await addXentral({
      type: 'mr',
      name: 'Tom Test',
      email: 'tom@example.com',
      phone: '+49 1',
      city: 'Ulm',
    });
    await env.run('sync');
    const [contact] = hubspotByEmail('tom@example.com');
    await editHubSpot('contacts', contact!.id, { phone: '', city: 'München' });
    const [row] = xentralByEmail('tom@example.com');
    await editXentral(String(row!.id), { street: 'Neue Straße 1' });
    await editXentral(String(row!.id), { name: 'Thomas Test' });
    clearStats();
    await env.run('sync');
    expect(xentralByEmail('tom@example.com')[0]).toMatchObject({
      telefon: '+49 1',
      ort: 'Ulm',
      name: 'Thomas Test',
    });
    // street was never exchanged (empty at first): now it flows; name was exchanged: it does not
    const properties = hubspotByEmail('tom@example.com')[0]?.properties;
    expect(properties?.phone ?? '').toBe('');
    expect(properties).toMatchObject({
      city: 'München',
      address: 'Neue Straße 1',
      firstname: 'Tom',
    });
    expect(writes()).toEqual({ hubspot: 1, xentral: 0 });
  });

  it('does not re-create a linked record deleted in one system, nor delete the other', async () => {
    await addXentral({ type: 'mr', name: 'Del Me', email: 'del@example.com' });
    await env.run('sync');
    const [contact] = hubspotByEmail('del@example.com');
    await env.hubspotClient.crm.contacts.basicApi.archive(contact!.id);
    clearStats();
    await env.run('sync');
    expect(hubspotByEmail('del@example.com')).toEqual([]);
    expect(xentralByEmail('del@example.com')).toHaveLength(1);
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
  });

  it('raises an ambiguous-match conflict and creates nothing for it', async () => {
    await addXentral({ type: 'mr', name: 'Twin One', email: 'twin@example.com' });
    await addXentral({ type: 'mr', name: 'Twin Two', email: 'TWIN@example.com' });
    await addHubSpot('contacts', { email: 'twin@example.com', lifecyclestage: 'customer' });
    const result = await env.run('sync');
    expect(env.runs.summary(result.runId)!.totals).toMatchObject({
      conflicts: 1,
      created: 0,
      linked: 0,
    });
    expect(hubspotByEmail('twin@example.com')).toHaveLength(1);
    expect(xentralByEmail('twin@example.com')).toHaveLength(2);
    const again = await env.run('sync');
    expect(env.runs.summary(again.runId)!.totals.conflicts).toBe(0);
  });

  it('matches companies by name and domain, and by name alone when one side has no domain', async () => {
    await addXentral({ type: 'company', name: 'Nordwerk GmbH', website: 'nordwerk.de' });
    await addXentral({ type: 'company', name: 'Südhaus AG' });
    await addHubSpot('companies', {
      name: 'NORDWERK GMBH',
      domain: 'www.nordwerk.de',
      lifecyclestage: 'customer',
    });
    await addHubSpot('companies', {
      name: 'Südhaus AG',
      domain: 'suedhaus.de',
      city: 'Passau',
      lifecyclestage: 'customer',
    });
    const result = await env.run('sync');
    expect(env.runs.summary(result.runId)!.totals).toMatchObject({ linked: 2, created: 0 });
    const sued = xentralRows().find((row) => row.name === 'Südhaus AG');
    expect(sued).toMatchObject({ internetseite: 'suedhaus.de', ort: 'Passau' });
    expect(env.hubspotRecords('companies')).toHaveLength(2);
  });
});

describe('a run stopped half-way', () => {
  it('is finished by the next run without duplicates on either side', async () => {
    for (let i = 0; i < 12; i++) {
      await addXentral({
        type: i % 2 ? 'mr' : 'mrs',
        name: `Export ${i}`,
        email: `export${i}@example.com`,
      });
      await addHubSpot('contacts', {
        email: `import${i}@example.com`,
        firstname: `Import ${i}`,
        lifecyclestage: 'customer',
      });
    }
    let writesSeen = 0;
    const crashed = await env.run('sync', {
      hubspotBatchSize: 5,
      xentralConcurrency: 1,
      afterConfirmedWrite: (count) => {
        writesSeen = count;
        // the worst moment: the API has done it, our commit has not
        if (count === 7) throw new Error('simulated crash');
      },
    });
    expect(crashed.status).toBe('failed');
    expect(writesSeen).toBe(7);
    const finished = await env.run('sync');
    expect(finished.status).toBe('succeeded');

    for (let i = 0; i < 12; i++) {
      expect(hubspotByEmail(`export${i}@example.com`)).toHaveLength(1);
      expect(xentralByEmail(`import${i}@example.com`)).toHaveLength(1);
    }
    expect(env.hubspotRecords('contacts')).toHaveLength(24);
    expect(xentralRows().filter((row) => row.kundennummer !== '')).toHaveLength(24);
    clearStats();
    await env.run('sync');
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
  });
});

describe.each(['import', 'export', 'sync'] as const)('the rules in %s mode', (mode) => {
  const toHubSpot = mode !== 'import';
  const toXentral = mode !== 'export';

  it('link, fill only the empty side, conflict on different values, then nothing twice', async () => {
    const xentralId = await addXentral({
      type: 'mrs',
      name: 'Rita Regel',
      email: 'rita@example.com',
      phone: '+49 1',
      city: 'Hof',
    });
    await addHubSpot('contacts', {
      email: 'rita@example.com',
      firstname: 'Rita',
      lastname: 'Regel',
      mobilephone: '+49 170 9',
      city: 'Fürth',
      lifecyclestage: 'customer',
    });
    const first = await env.run(mode);
    const totals = env.runs.summary(first.runId)!.totals;
    expect(totals).toMatchObject({ linked: 1, created: 0, conflicts: 1 });

    const [row] = xentralByEmail('rita@example.com');
    const hubspot = hubspotByEmail('rita@example.com')[0]!.properties;
    expect(String(row!.id)).toBe(xentralId);
    expect(row!.mobil).toBe(toXentral ? '+49 170 9' : '');
    expect(hubspot.phone ?? '').toBe(toHubSpot ? '+49 1' : '');
    // the differing city is a conflict: neither side was written
    expect(row!.ort).toBe('Hof');
    expect(hubspot.city).toBe('Fürth');

    // exchanged fields are never touched again, whatever happens to them
    await editHubSpot('contacts', hubspotByEmail('rita@example.com')[0]!.id, {
      mobilephone: '',
      firstname: 'Margarita',
    });
    clearStats();
    const second = await env.run(mode);
    expect(env.runs.summary(second.runId)!.totals).toMatchObject({
      created: 0,
      edited: 0,
      conflicts: 0,
    });
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
    expect(xentralByEmail('rita@example.com')[0]).toMatchObject({
      name: 'Rita Regel',
      mobil: toXentral ? '+49 170 9' : '',
    });
  });

  it('creates unmatched records only in the direction the mode allows', async () => {
    await addXentral({ type: 'mr', name: 'Xaver', email: 'xaver@example.com' });
    await addHubSpot('contacts', {
      email: 'hanna@example.com',
      firstname: 'Hanna',
      lifecyclestage: 'customer',
    });
    await env.run(mode);
    expect(hubspotByEmail('xaver@example.com')).toHaveLength(toHubSpot ? 1 : 0);
    expect(xentralByEmail('hanna@example.com')).toHaveLength(toXentral ? 1 : 0);
    clearStats();
    await env.run(mode);
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
  });
});
