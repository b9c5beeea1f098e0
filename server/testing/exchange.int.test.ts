import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdresseRow } from '../mocks/xentral';
import { startExchangeEnv, type ExchangeEnv, type HubSpotStored } from './exchange-env';

/**
 * The exchange rules (RULES.md) end to end: the real adapters against both mocks, a real SQLite
 * file, and the state of both systems checked after each run, not only the counts.
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

describe('HubSpot users on a stock Xentral (no employee extension routes)', () => {
  const setExtensions = (extensions: boolean) =>
    fetch(`${env.xentralMock.url}/__mock/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions }),
    });

  it('links owners to employees by full name, names a missing employee once, creates none', async () => {
    env.hubspotMock.seed({ hubId: 3_100_001, owners: 2, ownerStartIndex: 900_000 });
    const owners = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results;
    const [known, unknown] = owners;
    await setExtensions(false);
    // The same person, written with other case and spacing in Xentral.
    const employee = env.xentralMock.store.createEmployee({
      type: 'mr',
      name: `  ${known!.firstName!.toUpperCase()}   ${known!.lastName} `,
    });
    await addHubSpot('contacts', {
      email: 'lead@example.com',
      firstname: 'Lena',
      lastname: 'Lead',
      hubspot_owner_id: known!.id,
      lifecyclestage: 'lead',
    });
    for (const email of ['one@example.com', 'two@example.com']) {
      await addHubSpot('contacts', {
        email,
        firstname: 'Kunde',
        lastname: email,
        hubspot_owner_id: unknown!.id,
        lifecyclestage: 'lead',
      });
    }
    await addXentral({ type: 'company', name: 'Nur Xentral GmbH', website: 'nur-xentral.example' });

    const result = await env.run('sync');
    expect(result.status).toBe('succeeded');
    // Back office works: the contact's owner is the employee of that name.
    expect(xentralByEmail('lead@example.com')).toMatchObject([
      { name: 'Lena Lead', innendienst: employee.id },
    ]);
    expect(xentralByEmail('one@example.com')).toMatchObject([{ innendienst: 0 }]);
    expect(xentralRows().filter((row) => row.mitarbeiternummer !== '')).toHaveLength(1);
    expect(
      env.hubspotRecords('companies').filter((c) => c.properties.name === 'Nur Xentral GmbH'),
    ).toHaveLength(1);
    const items = env.runs.items(result.runId, 100);
    expect(items).toContainEqual(
      expect.objectContaining({
        type: 'user',
        action: 'linked',
        xentralId: String(employee.id),
        hubspotId: known!.id,
        reasonCode: 'matched_by',
      }),
    );
    // Once per owner, not once per record it owns.
    const missing = items.filter((item) => item.reasonCode === 'employee_missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ hubspotId: unknown!.id, action: 'skipped' });
    expect(missing[0]!.reason).toMatch(/create this employee in Xentral; the next run links it/);
    expect(items.filter((item) => item.action === 'failed')).toEqual([]);

    // Nothing changed: not said again. Once the admin creates the employee, it is linked.
    const again = await env.run('sync');
    expect(env.runs.items(again.runId, 100).filter((i) => i.type === 'user')).toEqual([]);
    const added = env.xentralMock.store.createEmployee({
      type: 'mrs',
      name: `${unknown!.firstName} ${unknown!.lastName}`,
    });
    const linked = await env.run('sync');
    expect(env.runs.items(linked.runId, 100)).toContainEqual(
      expect.objectContaining({ type: 'user', action: 'linked', xentralId: String(added.id) }),
    );
  });

  it('with the extension routes switched on, creates the users as employees by e-mail', async () => {
    env.hubspotMock.seed({ hubId: 3_100_001, owners: 2, ownerStartIndex: 900_000 });
    const owners = (
      await env.hubspotClient.crm.owners.ownersApi.getPage(undefined, undefined, 100, false)
    ).results;
    await setExtensions(true);
    await addHubSpot('contacts', {
      email: 'lead@example.com',
      firstname: 'Lena',
      lastname: 'Lead',
      hubspot_owner_id: owners[0]!.id,
      lifecyclestage: 'lead',
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

describe('an edit right after the app wrote the record is read like any other change', () => {
  it('in HubSpot: a city added to a contact the export has just made reaches Xentral', async () => {
    await addXentral({ type: 'mr', name: 'Carl Stadt', email: 'carl@example.com' });
    await addXentral({ type: 'mr', name: 'Other Export', email: 'other@example.com' });
    await env.run('export');
    const [contact] = hubspotByEmail('carl@example.com');
    await editHubSpot('contacts', contact!.id, { city: 'Köln', lifecyclestage: 'customer' });

    const next = await env.run('sync');
    expect(xentralByEmail('carl@example.com')[0]?.ort).toBe('Köln');
    expect(env.runs.items(next.runId, 100)).toContainEqual(
      expect.objectContaining({
        action: 'edited',
        direction: 'hubspot_to_xentral',
        hubspotId: contact!.id,
        changes: [{ field: 'city', before: '', after: 'Köln' }],
      }),
    );
  });

  it('in HubSpot, on a contact of a stage the import does not take: the run says why', async () => {
    await addXentral({ type: 'mr', name: 'Carl Stadt', email: 'carl@example.com' });
    await env.run('export');
    const [contact] = hubspotByEmail('carl@example.com');
    await editHubSpot('contacts', contact!.id, { city: 'Köln' });

    // The export made the contact without a lifecycle stage, and the import takes only the
    // selected ones: the city stays in HubSpot, and the run says why.
    const held = await env.run('sync');
    expect(xentralByEmail('carl@example.com')[0]?.ort).toBe('');
    expect(env.runs.items(held.runId, 100)).toContainEqual(
      expect.objectContaining({
        action: 'skipped',
        hubspotId: contact!.id,
        reasonCode: 'lifecycle_stage_not_selected',
        reasonParams: { stage: '' },
      }),
    );
    const again = await env.run('sync');
    expect(env.runs.items(again.runId, 100)).toEqual([]);

    await editHubSpot('contacts', contact!.id, { lifecyclestage: 'lead' });
    await env.run('sync');
    expect(xentralByEmail('carl@example.com')[0]?.ort).toBe('Köln');
  });

  it('in Xentral: a city added to a customer the import has just made reaches HubSpot', async () => {
    const id = await addHubSpot('contacts', {
      email: 'ida@example.com',
      firstname: 'Ida',
      lastname: 'Import',
      lifecyclestage: 'customer',
    });
    await addHubSpot('contacts', { email: 'otto@example.com', lifecyclestage: 'customer' });
    await env.run('import');
    const [row] = xentralByEmail('ida@example.com');
    await editXentral(String(row!.id), { city: 'Jena' });

    const next = await env.run('sync');
    expect(env.hubspotRecords('contacts').find((r) => r.id === id)?.properties.city).toBe('Jena');
    expect(env.runs.items(next.runId, 100)).toContainEqual(
      expect.objectContaining({
        action: 'edited',
        direction: 'xentral_to_hubspot',
        xentralId: String(row!.id),
        changes: [{ field: 'city', before: '', after: 'Jena' }],
      }),
    );
  });
});

describe('possible duplicates are not mirrored across', () => {
  async function linkedCompany() {
    const xentralId = await addXentral({
      type: 'company',
      name: 'Nordwerk GmbH',
      website: 'nordwerk.de',
    });
    const hubspotId = await addHubSpot('companies', {
      name: 'NORDWERK GMBH',
      domain: 'www.nordwerk.de',
      lifecyclestage: 'customer',
    });
    await env.run('sync');
    expect(env.store.findLinkBySide('company', 'xentral', xentralId)?.hubspotId).toBe(hubspotId);
    return { xentralId, hubspotId };
  }

  function skipsOf(runId: number) {
    return env.runs.items(runId, 100).filter((item) => item.action === 'skipped');
  }

  it('a second Xentral company with a linked company’s name and domain stays out of HubSpot', async () => {
    const { hubspotId } = await linkedCompany();
    const second = await addXentral({
      type: 'company',
      name: 'Nordwerk GmbH',
      website: 'https://nordwerk.de/',
    });
    const result = await env.run('sync');
    expect(env.hubspotRecords('companies')).toHaveLength(1);
    expect(skipsOf(result.runId)).toEqual([
      expect.objectContaining({
        xentralId: second,
        reasonCode: 'possible_duplicate',
        reasonParams: expect.objectContaining({ system: 'HubSpot', id: hubspotId }),
      }),
    ]);
    clearStats();
    const again = await env.run('sync');
    expect(env.runs.items(again.runId, 100)).toEqual([]);
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
  });

  it('a second HubSpot company with a linked company’s name and domain stays out of Xentral', async () => {
    const { xentralId } = await linkedCompany();
    const second = await addHubSpot('companies', {
      name: 'Nordwerk GmbH',
      domain: 'nordwerk.de',
      lifecyclestage: 'customer',
    });
    const result = await env.run('sync');
    expect(xentralRows().filter((row) => row.name === 'Nordwerk GmbH')).toHaveLength(1);
    expect(skipsOf(result.runId)).toEqual([
      expect.objectContaining({
        hubspotId: second,
        reasonCode: 'possible_duplicate',
        reasonParams: expect.objectContaining({ system: 'Xentral', id: xentralId }),
      }),
    ]);
  });

  it('a second Xentral customer with a linked contact’s e-mail is named, not exported', async () => {
    await addXentral({ type: 'mrs', name: 'Erste Anna', email: 'anna@example.com' });
    await env.run('export');
    const [contact] = hubspotByEmail('anna@example.com');
    const second = await addXentral({
      type: 'mrs',
      name: 'Zweite Anna',
      email: 'ANNA@example.com',
    });
    const result = await env.run('export');
    expect(hubspotByEmail('anna@example.com')).toHaveLength(1);
    expect(skipsOf(result.runId)).toEqual([
      expect.objectContaining({
        xentralId: second,
        reasonCode: 'possible_duplicate',
        reasonParams: expect.objectContaining({ system: 'HubSpot', id: contact!.id }),
      }),
    ]);
  });
});

describe('a country that names no country', () => {
  it('on a create: the default country, and the created item says so', async () => {
    const id = await addHubSpot('contacts', {
      email: 'atlantis@example.com',
      lastname: 'Atlantis',
      country: 'Atlantis',
      lifecyclestage: 'customer',
    });
    const result = await env.run('import');
    expect(xentralByEmail('atlantis@example.com')).toMatchObject([{ land: 'DE' }]);
    expect(env.runs.items(result.runId, 100)).toContainEqual(
      expect.objectContaining({
        action: 'created',
        hubspotId: id,
        reasonCode: 'default_country',
        reasonParams: { field: 'country', value: 'Atlantis', country: 'DE' },
      }),
    );
    const again = await env.run('sync');
    expect(env.runs.items(again.runId, 100)).toEqual([]);
  });

  it('on an existing record: never replaced, that field skipped, the others exchanged', async () => {
    const xentralId = await addXentral({
      type: 'mr',
      name: 'Lars Land',
      email: 'lars@example.com',
      country: 'AT',
    });
    const hubspotId = await addHubSpot('contacts', {
      email: 'lars@example.com',
      phone: '+43 1 2',
      country: 'Atlantis',
      lifecyclestage: 'customer',
    });
    const result = await env.run('sync');
    expect(xentralByEmail('lars@example.com')).toMatchObject([{ land: 'AT', telefon: '+43 1 2' }]);
    expect(hubspotByEmail('lars@example.com')[0]?.properties.country).toBe('Atlantis');
    expect(env.runs.items(result.runId, 100)).toContainEqual(
      expect.objectContaining({
        action: 'skipped',
        hubspotId,
        reasonCode: 'unknown_country',
        reasonParams: { field: 'country', value: 'Atlantis' },
      }),
    );
    expect(env.runs.summary(result.runId)!.totals.conflicts).toBe(0);
    const quiet = await env.run('sync');
    expect(env.runs.items(quiet.runId, 100)).toEqual([]);

    // Corrected in HubSpot, the country is exchanged: here it equals Xentral's.
    await editHubSpot('contacts', hubspotId, { country: 'Österreich' });
    const corrected = await env.run('sync');
    expect(env.runs.summary(corrected.runId)!.totals).toMatchObject({ conflicts: 0, skipped: 0 });
    const link = env.store.findLinkBySide('contact', 'xentral', xentralId)!;
    expect(env.store.exchangedFields(link.id)).toContain('country');
  });
});

describe('a run stopped half-way', () => {
  async function crashThenFinish(concurrency: number): Promise<number> {
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
      xentralConcurrency: concurrency,
      hubspotConcurrency: concurrency,
      afterConfirmedWrite: (count) => {
        writesSeen = count;
        // the worst moment: the API has done it, our commit has not
        if (count === 7) throw new Error('simulated crash');
      },
    });
    expect(crashed.status).toBe('failed');
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
    return writesSeen;
  }

  it('is finished by the next run without duplicates on either side', async () => {
    // One write in flight per system: writes sent before the crash are still answered.
    expect(await crashThenFinish(1)).toBeGreaterThanOrEqual(7);
  });

  it('with batches in flight, lets them finish and still duplicates nothing', async () => {
    // Writes already sent when one fails are answered (and committed); no new one is sent.
    expect(await crashThenFinish(4)).toBeGreaterThanOrEqual(7);
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

describe('pairs with nothing to do', () => {
  it('are not planned again until something they depend on changes', async () => {
    await addXentral({ type: 'mrs', name: 'Sina Still', email: 'sina@example.com' });
    await addHubSpot('contacts', {
      email: 'sina@example.com',
      firstname: 'Sina',
      lastname: 'Still',
      city: 'Gera',
      lifecyclestage: 'customer',
    });
    await env.run('export');
    // The pair is planned once more after it was linked, finds nothing to do in an export
    // (HubSpot's city does not go to Xentral), and is settled.
    await env.run('export');
    clearStats();
    const unchanged = await env.run('export');
    expect(unchanged.status).toBe('succeeded');
    expect(writes()).toEqual({ hubspot: 0, xentral: 0 });
    expect(xentralByEmail('sina@example.com')[0]?.ort).toBe('');

    // A sync plans by other rules: the settled pair is planned again, and the city goes across.
    const sync = await env.run('sync');
    expect(sync.status).toBe('succeeded');
    expect(xentralByEmail('sina@example.com')[0]?.ort).toBe('Gera');
  });
});
