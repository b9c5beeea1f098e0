import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_HUBSPOT_LOGIN,
  DEMO_PORTALS,
  MOCK_HUBSPOT_CLIENT_ID,
  MOCK_HUBSPOT_CLIENT_SECRET,
  startHubSpotMock,
  type HubSpotMockHandle,
} from './index';
import { api, authorizationCode, control, testClock } from './test-helpers';

/**
 * The contract of every HubSpot operation the product uses, checked against facts from HubSpot's
 * published specs (github.com/HubSpot/HubSpot-public-api-spec-collection, under PublicApiSpecs/).
 * The tables below encode those facts; each names the spec file and the part of it they come from.
 */

/** `paths.<path>.<method>.responses`: the success codes. Everything else is the `default` Error. */
const SUCCESS = {
  // CRM/Objects/Rollouts/424/v3/objects.json (the Contacts, Companies and Deals v3 files agree)
  list: { route: 'GET /crm/v3/objects/{objectType}', codes: [200] },
  create: { route: 'POST /crm/v3/objects/{objectType}', codes: [201] },
  get: { route: 'GET /crm/v3/objects/{objectType}/{objectId}', codes: [200] },
  update: { route: 'PATCH /crm/v3/objects/{objectType}/{objectId}', codes: [200] },
  batchRead: { route: 'POST /crm/v3/objects/{objectType}/batch/read', codes: [200, 207] },
  batchCreate: { route: 'POST /crm/v3/objects/{objectType}/batch/create', codes: [201, 207] },
  batchUpdate: { route: 'POST /crm/v3/objects/{objectType}/batch/update', codes: [200, 207] },
  batchUpsert: { route: 'POST /crm/v3/objects/{objectType}/batch/upsert', codes: [200, 207] },
  search: { route: 'POST /crm/v3/objects/{objectType}/search', codes: [200] },
  // CRM/Properties/Rollouts/145899/v3/properties.json
  propertyRead: { route: 'GET /crm/v3/properties/{objectType}/{propertyName}', codes: [200] },
  propertyCreate: { route: 'POST /crm/v3/properties/{objectType}', codes: [201] },
  // CRM/Crm Owners/Rollouts/146888/v3/crmOwners.json
  owners: { route: 'GET /crm/v3/owners', codes: [200] },
  // CRM/Pipelines/Rollouts/145896/v3/pipelines.json
  pipelines: { route: 'GET /crm/v3/pipelines/{objectType}', codes: [200] },
  // CRM/Associations/Rollouts/130902/v4/associations.json
  associateDefault: {
    route: 'POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default',
    codes: [200],
  },
  associateCreate: {
    route: 'POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create',
    codes: [201, 207],
  },
  // Auth/Oauth/Rollouts/155908/v1/oauth.json
  token: { route: 'POST /oauth/v1/token', codes: [200] },
  tokenInfo: { route: 'GET /oauth/v1/access-tokens/{token}', codes: [200] },
  revoke: { route: 'DELETE /oauth/v1/refresh-tokens/{token}', codes: [204] },
} as const;
type Operation = keyof typeof SUCCESS;

/** `components.schemas.<name>.required` of the answers the product reads. */
const REQUIRED = {
  // CRM/Objects/Rollouts/424/v3/objects.json
  SimplePublicObject: ['archived', 'createdAt', 'id', 'properties', 'updatedAt'],
  SimplePublicUpsertObject: ['archived', 'createdAt', 'id', 'new', 'properties', 'updatedAt'],
  BatchResponseSimplePublicObject: ['completedAt', 'results', 'startedAt', 'status'],
  StandardError: ['category', 'context', 'errors', 'links', 'message', 'status'],
  CollectionResponseWithTotalSimplePublicObject: ['results', 'total'],
  NextPage: ['after'],
  Error: ['category', 'correlationId', 'message'],
  // CRM/Properties/Rollouts/145899/v3/properties.json
  Property: ['description', 'fieldType', 'groupName', 'label', 'name', 'options', 'type'],
  Option: ['hidden', 'label', 'value'],
  // CRM/Crm Owners/Rollouts/146888/v3/crmOwners.json
  PublicOwner: ['archived', 'createdAt', 'id', 'type', 'updatedAt'],
  // CRM/Pipelines/Rollouts/145896/v3/pipelines.json
  Pipeline: ['archived', 'createdAt', 'displayOrder', 'id', 'label', 'stages', 'updatedAt'],
  PipelineStage: ['archived', 'createdAt', 'displayOrder', 'id', 'label', 'metadata', 'updatedAt'],
  // CRM/Associations/Rollouts/130902/v4/associations.json
  PublicDefaultAssociation: ['associationSpec', 'from', 'to'],
  LabelsBetweenObjectPair: [
    'fromObjectId',
    'fromObjectTypeId',
    'labels',
    'toObjectId',
    'toObjectTypeId',
  ],
  // Auth/Oauth/Rollouts/155908/v1/oauth.json
  AccessTokenResponse: ['access_token', 'expires_in', 'refresh_token', 'token_type', 'token_use'],
  AccessTokenInfoResponse: [
    'app_id',
    'expires_in',
    'hub_id',
    'scopes',
    'token',
    'token_type',
    'user_id',
  ],
} as const;
type Schema = keyof typeof REQUIRED;

/** Enums and types of fields the product relies on, from the same schemas. */
const FIELD_FACTS = {
  // objects.json, BatchResponse*.status
  batchStatus: ['CANCELED', 'COMPLETE', 'PENDING', 'PROCESSING'],
  // oauth.json, AccessTokenResponse.token_use
  tokenUse: ['access_token'],
  // crmOwners.json, PublicOwner.type
  ownerType: ['PERSON', 'QUEUE'],
} as const;

/**
 * Error codes by cause, from HubSpot's error-handling guide
 * (developers.hubspot.com/docs/api-reference/error-handling): the specs leave them to `default`.
 */
const ERRORS = {
  invalid: { status: 400, category: 'VALIDATION_ERROR' },
  unauthenticated: { status: 401, category: 'INVALID_AUTHENTICATION' },
  missing: { status: 404, category: 'OBJECT_NOT_FOUND' },
  conflict: { status: 409, category: 'CONFLICT' },
} as const;

/** The burst-limit headers every authenticated CRM answer but search carries (API usage guidelines). */
const RATE_LIMIT_HEADERS = [
  'x-hubspot-ratelimit-max',
  'x-hubspot-ratelimit-remaining',
  'x-hubspot-ratelimit-interval-milliseconds',
] as const;

const HUB_ID = DEMO_PORTALS[0].hubId;
const REDIRECT_URI = 'http://127.0.0.1:3999/api/oauth/callback';
const time = testClock();
let mock: HubSpotMockHandle;
let token: string;

beforeAll(async () => {
  mock = await startHubSpotMock({
    host: '127.0.0.1',
    port: 0,
    clock: time.clock,
    settings: { searchIndexLagMs: 0 },
  });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  mock.seedDemo();
  token = mock.issueToken({ hubId: HUB_ID }).access_token;
});

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${what} is not an object: ${JSON.stringify(value)}`);
  }
  return Object.fromEntries(Object.entries(value));
}

function items(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} is not an array: ${JSON.stringify(value)}`);
  return value;
}

/** Asserts the spec's required fields of `schema` and returns the object for further checks. */
function shaped(value: unknown, schema: Schema): Record<string, unknown> {
  const object = record(value, schema);
  expect(
    REQUIRED[schema].filter((field) => !(field in object)),
    `${schema} lacks required fields`,
  ).toEqual([]);
  return object;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

async function crm(
  method: string,
  path: string,
  body?: unknown,
  accessToken: string = token,
): Promise<Answer> {
  return answer(
    await api(mock, method, path, { token: accessToken, ...(body === undefined ? {} : { body }) }),
  );
}

/** A success answer of `operation`: one of its spec codes, with the rate-limit headers. */
function succeeded(result: Answer, operation: Operation, expected?: number): Answer {
  const { codes, route } = SUCCESS[operation];
  expect(codes as readonly number[], `${route} answered ${result.status}`).toContain(result.status);
  if (expected !== undefined) expect(result.status).toBe(expected);
  if (operation !== 'search' && route.includes('/crm/')) {
    for (const header of RATE_LIMIT_HEADERS) {
      expect(result.headers.get(header), `${route}: ${header}`).toMatch(/^\d+$/);
    }
  }
  return result;
}

/** An error answer: the cause's status and the Error schema's required fields. */
function failed(result: Answer, cause: keyof typeof ERRORS): Record<string, unknown> {
  expect(result.status).toBe(ERRORS[cause].status);
  const body = shaped(result.body, 'Error');
  expect(body.category).toBe(ERRORS[cause].category);
  expect(body.status).toBe('error');
  return body;
}

/** A 207's envelope and its error entries, each a complete StandardError. */
function multiStatus(result: Answer, operation: Operation): Record<string, unknown>[] {
  succeeded(result, operation, 207);
  const body = shaped(result.body, 'BatchResponseSimplePublicObject');
  expect(FIELD_FACTS.batchStatus).toContain(body.status);
  const errors = items(body.errors, 'errors').map((entry) => shaped(entry, 'StandardError'));
  expect(body.numErrors).toBe(errors.length);
  for (const entry of errors) {
    expect(entry.status).toBe('error');
    items(entry.errors, 'StandardError.errors');
    record(entry.links, 'StandardError.links');
    for (const values of Object.values(record(entry.context, 'StandardError.context'))) {
      expect(items(values, 'context values').every((value) => typeof value === 'string')).toBe(
        true,
      );
    }
  }
  return errors;
}

async function contactIds(count: number): Promise<string[]> {
  const page = await crm('GET', `/crm/v3/objects/contacts?limit=${count}`);
  return items(record(page.body, 'page').results, 'results').map((row) =>
    String(record(row, 'contact').id),
  );
}

describe('CRM objects v3', () => {
  it('lists a page of SimplePublicObjects with paging.next.after, and refuses a bad limit', async () => {
    const page = succeeded(await crm('GET', '/crm/v3/objects/contacts?limit=2'), 'list', 200);
    const body = record(page.body, 'page');
    const rows = items(body.results, 'results');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const object = shaped(row, 'SimplePublicObject');
      expect(object.id).toEqual(expect.any(String));
      expect(Date.parse(String(object.updatedAt))).not.toBeNaN();
      expect(object.archived).toBe(false);
    }
    const next = shaped(record(body.paging, 'paging').next, 'NextPage');
    expect(next.after).toEqual(expect.any(String));
    failed(await crm('GET', '/crm/v3/objects/contacts?limit=101'), 'invalid');
    failed(
      await crm('GET', '/crm/v3/objects/contacts', undefined, 'no-such-token'),
      'unauthenticated',
    );
  });

  it('creates (201), reads, updates, and answers 400, 404 and 409 with the Error body', async () => {
    const created = succeeded(
      await crm('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'contract@example.com', firstname: 'Kon' },
        associations: [],
      }),
      'create',
      201,
    );
    const id = String(shaped(created.body, 'SimplePublicObject').id);
    const read = succeeded(await crm('GET', `/crm/v3/objects/contacts/${id}`), 'get', 200);
    expect(record(shaped(read.body, 'SimplePublicObject').properties, 'properties').email).toBe(
      'contract@example.com',
    );
    const updated = succeeded(
      await crm('PATCH', `/crm/v3/objects/contacts/${id}`, { properties: { city: 'Linz' } }),
      'update',
      200,
    );
    expect(record(shaped(updated.body, 'SimplePublicObject').properties, 'properties').city).toBe(
      'Linz',
    );

    // SimplePublicObjectInputForCreate and SimplePublicObjectInput require `properties`.
    failed(await crm('POST', '/crm/v3/objects/contacts', {}), 'invalid');
    failed(await crm('PATCH', `/crm/v3/objects/contacts/${id}`, {}), 'invalid');
    failed(await crm('GET', '/crm/v3/objects/contacts/999999999'), 'missing');
    failed(
      await crm('PATCH', '/crm/v3/objects/contacts/999999999', { properties: { city: 'x' } }),
      'missing',
    );
    const duplicate = failed(
      await crm('POST', '/crm/v3/objects/contacts', {
        properties: { email: 'contract@example.com' },
      }),
      'conflict',
    );
    expect(duplicate.message).toBe(`Contact already exists. Existing ID: ${id}`);
  });

  it('batch read: 200, and 207 with a complete StandardError for ids that do not exist', async () => {
    const [first] = await contactIds(1);
    const all = succeeded(
      await crm('POST', '/crm/v3/objects/contacts/batch/read', {
        inputs: [{ id: first }],
        properties: ['email'],
        propertiesWithHistory: [],
      }),
      'batchRead',
      200,
    );
    const envelope = shaped(all.body, 'BatchResponseSimplePublicObject');
    expect(envelope).not.toHaveProperty('errors');
    items(envelope.results, 'results').forEach((row) => shaped(row, 'SimplePublicObject'));

    const partly = await crm('POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: first }, { id: '404404' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    const [error] = multiStatus(partly, 'batchRead');
    expect(error?.category).toBe('OBJECT_NOT_FOUND');
    expect(error?.context).toEqual({ ids: ['404404'] });
  });

  it('batch create: 201, and 207 per input when inputs carry objectWriteTraceId', async () => {
    const fine = succeeded(
      await crm('POST', '/crm/v3/objects/contacts/batch/create', {
        inputs: [{ properties: { email: 'batch-1@example.com' }, associations: [] }],
      }),
      'batchCreate',
      201,
    );
    items(shaped(fine.body, 'BatchResponseSimplePublicObject').results, 'results').forEach((row) =>
      shaped(row, 'SimplePublicObject'),
    );

    const mixed = await crm('POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { objectWriteTraceId: 'a', properties: { email: 'batch-2@example.com' }, associations: [] },
        { objectWriteTraceId: 'b', properties: { email: 'batch-1@example.com' }, associations: [] },
        { objectWriteTraceId: 'c', properties: { email: 'not an address' }, associations: [] },
      ],
    });
    const errors = multiStatus(mixed, 'batchCreate');
    expect(
      errors.map((entry) => [entry.category, record(entry.context, 'context').objectWriteTraceId]),
    ).toEqual([
      ['CONFLICT', ['b']],
      ['VALIDATION_ERROR', ['c']],
    ]);
    // Property problems keep their detail in `errors`; a conflict has none to give.
    expect(items(errors[1]?.errors, 'errors').length).toBeGreaterThan(0);
    expect(errors[0]?.errors).toEqual([]);
    expect(errors.every((entry) => JSON.stringify(entry.links) === '{}')).toBe(true);
    failed(await crm('POST', '/crm/v3/objects/contacts/batch/create', { inputs: [{}] }), 'invalid');
  });

  it('batch update: 200, and 207 with a complete StandardError for missing ids', async () => {
    const [first] = await contactIds(1);
    const fine = succeeded(
      await crm('POST', '/crm/v3/objects/contacts/batch/update', {
        inputs: [{ id: first, properties: { city: 'Graz' } }],
      }),
      'batchUpdate',
      200,
    );
    shaped(fine.body, 'BatchResponseSimplePublicObject');
    const partly = await crm('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: first, properties: { city: 'Wien' } },
        { id: '777777', properties: { city: 'Graz' } },
      ],
    });
    const [error] = multiStatus(partly, 'batchUpdate');
    expect(error).toMatchObject({ category: 'OBJECT_NOT_FOUND', context: { ids: ['777777'] } });
    // SimplePublicObjectBatchInput requires `id` and `properties`.
    failed(
      await crm('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id: first }] }),
      'invalid',
    );
  });

  it('batch upsert: SimplePublicUpsertObjects with `new`, and 207 per traced input', async () => {
    await crm('POST', '/crm/v3/properties/contacts', {
      name: 'xentral_id',
      label: 'Xentral ID',
      type: 'string',
      fieldType: 'text',
      groupName: 'contactinformation',
      hasUniqueValue: true,
    });
    const inputs = [
      { id: 'x-1', idProperty: 'xentral_id', properties: { email: 'upsert-1@example.com' } },
    ];
    const first = succeeded(
      await crm('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs }),
      'batchUpsert',
      200,
    );
    const [createdRow] = items(shaped(first.body, 'BatchResponseSimplePublicObject').results, 'r');
    expect(shaped(createdRow, 'SimplePublicUpsertObject').new).toBe(true);
    const again = await crm('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs });
    const [updatedRow] = items(shaped(again.body, 'BatchResponseSimplePublicObject').results, 'r');
    expect(shaped(updatedRow, 'SimplePublicUpsertObject').new).toBe(false);

    const mixed = await crm('POST', '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [
        { id: 'x-2', idProperty: 'xentral_id', objectWriteTraceId: 'x-2', properties: {} },
        {
          id: 'x-3',
          idProperty: 'xentral_id',
          objectWriteTraceId: 'x-3',
          properties: { email: 'broken' },
        },
      ],
    });
    const [error] = multiStatus(mixed, 'batchUpsert');
    expect(error).toMatchObject({
      category: 'VALIDATION_ERROR',
      context: { objectWriteTraceId: ['x-3'] },
    });
  });

  it('search: total, results and paging.next.after, without rate-limit headers', async () => {
    const result = succeeded(
      await crm('POST', '/crm/v3/objects/contacts/search', {
        filterGroups: [],
        sorts: ['lastmodifieddate'],
        properties: ['email', 'lastmodifieddate'],
        limit: 2,
        after: '0',
      }),
      'search',
      200,
    );
    const body = shaped(result.body, 'CollectionResponseWithTotalSimplePublicObject');
    expect(body.total).toEqual(expect.any(Number));
    items(body.results, 'results').forEach((row) => shaped(row, 'SimplePublicObject'));
    expect(shaped(record(body.paging, 'paging').next, 'NextPage').after).toBe('2');
    for (const header of RATE_LIMIT_HEADERS) expect(result.headers.get(header)).toBeNull();
    failed(await crm('POST', '/crm/v3/objects/contacts/search', { limit: 201 }), 'invalid');
  });
});

describe('properties, owners and pipelines', () => {
  it('reads a property (200) with its options and answers 404 for an unknown one', async () => {
    const read = succeeded(
      await crm('GET', '/crm/v3/properties/contacts/lifecyclestage'),
      'propertyRead',
      200,
    );
    const property = shaped(read.body, 'Property');
    expect(items(property.options, 'options').length).toBeGreaterThan(0);
    items(property.options, 'options').forEach((option) => shaped(option, 'Option'));
    failed(await crm('GET', '/crm/v3/properties/contacts/no_such_property'), 'missing');
  });

  it('creates a property (201), refuses the same name again (409) and a bad body (400)', async () => {
    const definition = {
      name: 'contract_prop',
      label: 'Contract',
      type: 'string',
      fieldType: 'text',
      groupName: 'contactinformation',
    };
    const created = succeeded(
      await crm('POST', '/crm/v3/properties/contacts', definition),
      'propertyCreate',
      201,
    );
    shaped(created.body, 'Property');
    const again = await crm('POST', '/crm/v3/properties/contacts', definition);
    expect(again.status).toBe(ERRORS.conflict.status);
    shaped(again.body, 'Error');
    // PropertyCreate requires fieldType, groupName, label, name and type.
    failed(
      await crm('POST', '/crm/v3/properties/contacts', { name: 'x', label: 'X', type: 'string' }),
      'invalid',
    );
  });

  it('lists owners as PublicOwners, on /crm/v3/owners/ as the SDK calls it', async () => {
    const page = succeeded(await crm('GET', '/crm/v3/owners/?limit=500&archived=false'), 'owners');
    const owners = items(record(page.body, 'page').results, 'results');
    expect(owners.length).toBeGreaterThan(0);
    for (const owner of owners) {
      expect(FIELD_FACTS.ownerType).toContain(shaped(owner, 'PublicOwner').type);
    }
    failed(await crm('GET', '/crm/v3/owners/?limit=501'), 'invalid');
  });

  it('lists deal pipelines with their stages', async () => {
    const answerBody = succeeded(await crm('GET', '/crm/v3/pipelines/deals'), 'pipelines', 200);
    const pipelines = items(record(answerBody.body, 'pipelines').results, 'results');
    for (const pipeline of pipelines) {
      const stages = items(shaped(pipeline, 'Pipeline').stages, 'stages');
      stages.forEach((stage) => shaped(stage, 'PipelineStage'));
    }
    failed(await crm('GET', '/crm/v3/pipelines/no_such_object'), 'invalid');
  });
});

describe('associations v4', () => {
  async function dealId(): Promise<string> {
    const created = await crm('POST', '/crm/v3/objects/deals', {
      properties: { dealname: 'Contract deal', pipeline: 'default', dealstage: 'closedwon' },
    });
    return String(record(created.body, 'deal').id);
  }

  it('batch associate default: always 200, refused pairs as complete StandardErrors', async () => {
    const [contact] = await contactIds(1);
    const deal = await dealId();
    const made = succeeded(
      await crm('POST', '/crm/v4/associations/deals/contacts/batch/associate/default', {
        inputs: [
          { from: { id: deal }, to: { id: contact } },
          { from: { id: deal }, to: { id: '888888' } },
        ],
      }),
      'associateDefault',
      200,
    );
    const body = shaped(made.body, 'BatchResponseSimplePublicObject');
    const results = items(body.results, 'results').map((row) =>
      shaped(row, 'PublicDefaultAssociation'),
    );
    expect(results.map((row) => [record(row.from, 'from').id, record(row.to, 'to').id])).toEqual([
      [deal, contact],
      [contact, deal],
    ]);
    const [error] = items(body.errors, 'errors').map((entry) => shaped(entry, 'StandardError'));
    expect(error).toMatchObject({ category: 'OBJECT_NOT_FOUND', errors: [], links: {} });
    expect(body.numErrors).toBe(1);
  });

  it('batch create: 201 with LabelsBetweenObjectPair (string ids), 207 for missing records', async () => {
    const [contact] = await contactIds(1);
    const deal = await dealId();
    const types = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }];
    const made = succeeded(
      await crm('POST', '/crm/v4/associations/deals/contacts/batch/create', {
        inputs: [{ from: { id: deal }, to: { id: contact }, types }],
      }),
      'associateCreate',
      201,
    );
    const [pair] = items(shaped(made.body, 'BatchResponseSimplePublicObject').results, 'r');
    const labels = shaped(pair, 'LabelsBetweenObjectPair');
    expect([labels.fromObjectId, labels.toObjectId]).toEqual([deal, contact]);

    const partly = await crm('POST', '/crm/v4/associations/deals/contacts/batch/create', {
      inputs: [{ from: { id: deal }, to: { id: '888888' }, types }],
    });
    expect(multiStatus(partly, 'associateCreate')[0]?.category).toBe('OBJECT_NOT_FOUND');
  });
});

describe('OAuth v1', () => {
  const form = (fields: Record<string, string>) =>
    fetch(`${mock.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: MOCK_HUBSPOT_CLIENT_ID,
        client_secret: MOCK_HUBSPOT_CLIENT_SECRET,
        ...fields,
      }).toString(),
    }).then(answer);

  function tokens(result: Answer): Record<string, unknown> {
    succeeded(result, 'token', 200);
    const body = shaped(result.body, 'AccessTokenResponse');
    expect(FIELD_FACTS.tokenUse).toContain(body.token_use);
    expect(String(body.token_type).toLowerCase()).toBe('bearer');
    expect(body).toMatchObject({
      expires_in: expect.any(Number),
      hub_id: HUB_ID,
      user_id: expect.any(Number),
      scopes: expect.arrayContaining(['oauth']),
    });
    expect(body).not.toHaveProperty('id_token');
    return body;
  }

  it('answers both grants with every required field of AccessTokenResponse', async () => {
    const code = await authorizationCode(mock, {
      hubId: HUB_ID,
      clientId: MOCK_HUBSPOT_CLIENT_ID,
      redirectUri: REDIRECT_URI,
      login: DEMO_HUBSPOT_LOGIN,
    });
    const first = tokens(
      await form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI }),
    );
    const second = tokens(
      await form({ grant_type: 'refresh_token', refresh_token: String(first.refresh_token) }),
    );
    expect(second.refresh_token).toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    // The spec also takes client_secret and refresh_token as query parameters.
    const query = new URLSearchParams({
      client_secret: MOCK_HUBSPOT_CLIENT_SECRET,
      refresh_token: String(first.refresh_token),
    });
    tokens(
      await answer(
        await fetch(`${mock.url}/oauth/v1/token?${query.toString()}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            client_id: MOCK_HUBSPOT_CLIENT_ID,
          }).toString(),
        }),
      ),
    );
  });

  it('refuses a bad grant with the Error fields and the reason in status', async () => {
    const refused = await form({ grant_type: 'refresh_token', refresh_token: 'na1-nope' });
    expect(refused.status).toBe(400);
    expect(shaped(refused.body, 'Error')).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
    const badCode = await form({ grant_type: 'authorization_code', code: 'nope' });
    expect(shaped(badCode.body, 'Error')).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });

  it('describes an access token (AccessTokenInfoResponse), and revokes with 204', async () => {
    const issued = mock.issueToken({ hubId: HUB_ID, userEmail: DEMO_HUBSPOT_LOGIN.email });
    const info = succeeded(
      await answer(await fetch(`${mock.url}/oauth/v1/access-tokens/${issued.access_token}`)),
      'tokenInfo',
      200,
    );
    expect(shaped(info.body, 'AccessTokenInfoResponse')).toMatchObject({
      hub_id: HUB_ID,
      token: issued.access_token,
      user: DEMO_HUBSPOT_LOGIN.email,
      hub_domain: DEMO_PORTALS[0].domain,
    });
    const unknown = await answer(await fetch(`${mock.url}/oauth/v1/access-tokens/nope`));
    expect(unknown.status).toBe(404);
    shaped(unknown.body, 'Error');

    const revoke = () =>
      fetch(`${mock.url}/oauth/v1/refresh-tokens/${issued.refresh_token}`, { method: 'DELETE' });
    succeeded(await answer(await revoke()), 'revoke', 204);
    expect((await revoke()).status).toBe(404);
    failed(
      await crm('GET', '/crm/v3/objects/contacts', undefined, issued.access_token),
      'unauthenticated',
    );
  });
});

describe('search index lag', () => {
  it('defaults to a few seconds and is set through POST /__mock/settings, validated', async () => {
    const lagging = await startHubSpotMock({ host: '127.0.0.1', port: 0, clock: time.clock });
    try {
      const settings = await (await fetch(`${lagging.url}/__mock/settings`)).json();
      const lagMs = Number(record(settings, 'settings').searchIndexLagMs);
      expect(lagMs).toBeGreaterThanOrEqual(3000);
      expect(lagMs).toBeLessThanOrEqual(5000);

      lagging.seedDemo();
      const access = lagging.issueToken({ hubId: HUB_ID }).access_token;
      const created = await api(lagging, 'POST', '/crm/v3/objects/contacts', {
        token: access,
        body: { properties: { email: 'late@example.com' } },
      });
      expect(created.status).toBe(201);
      const find = async () => {
        const result = await api(lagging, 'POST', '/crm/v3/objects/contacts/search', {
          token: access,
          body: {
            filterGroups: [
              { filters: [{ propertyName: 'email', operator: 'EQ', value: 'late@example.com' }] },
            ],
          },
        });
        return Number(record(await result.json(), 'search').total);
      };
      expect(await find()).toBe(0);
      time.advance(lagMs);
      expect(await find()).toBe(1);

      const minutes = await control(lagging, '/settings', { searchIndexLagMs: 600_000 });
      expect(minutes.status).toBe(200);
      expect(minutes.json.searchIndexLagMs).toBe(600_000);
      for (const bad of [-1, 1.5, 'soon', 3_600_001]) {
        const refused = await control(lagging, '/settings', { searchIndexLagMs: bad });
        expect(refused.status).toBe(400);
        expect(String(refused.json.message)).toMatch(/^searchIndexLagMs/);
      }
      expect((await control(lagging, '/settings', { searchIndexLagMs: 0 })).status).toBe(200);
    } finally {
      await lagging.close();
    }
  });
});
