import { z } from 'zod';
import { createHubSpotGates } from '../adapters/hubspot/adapter';
import { RateGate, realClock } from '../adapters/rate-gate';
import { retryAfterMs } from '../adapters/retry';
import { toCustomerBody, XentralCustomer } from '../adapters/xentral/mapper';
import type { XentralCustomerRecord } from '../engine/model';
import {
  countryCode,
  countryName,
  joinName,
  salutationFromText,
  splitName,
} from '../engine/normalize';
import type { BaselineJob } from './engine-job';

/**
 * The per-record approach of the old integration and of typical workflow tools, as the yardstick
 * the engine is measured against: list the source, GET each record, look each one up on the
 * target by e-mail (companies by name), then create or update it with one request. No batches,
 * no local index, no change feed. It gets the same client-side pacing and 429 handling as the
 * app's adapters, so a difference in time comes from the request pattern alone.
 */

export interface BaselineOutcome {
  created: number;
  edited: number;
  skipped: number;
  failed: number;
  message: string | null;
}

const HUBSPOT_LIST_LIMIT = 100;
const XENTRAL_PAGE = 100;
const MAX_ATTEMPTS = 30;

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    text: string,
  ) {
    super(`HTTP ${status}: ${text.slice(0, 200)}`);
  }
}

type Gate = RateGate;

/** One paced JSON request; a 429 waits (Retry-After, else until the gate has room) and repeats. */
async function paced(
  url: string,
  init: { method: string; token: string; body?: unknown },
  gates: readonly Gate[],
  onLimited: (status: number, headers: Headers, body: string) => void,
): Promise<unknown> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    for (const gate of gates) await gate.acquire();
    const response = await fetch(url, {
      method: init.method,
      headers: {
        Authorization: `Bearer ${init.token}`,
        Accept: 'application/json',
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await response.text();
    if (response.status === 429) {
      onLimited(response.status, response.headers, text);
      continue;
    }
    if (response.status >= 400) throw new HttpFailure(response.status, text);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  throw new Error(`${init.method} ${url}: still rate limited after ${MAX_ATTEMPTS} attempts`);
}

/** A fixed number of records in flight; the producer waits while all slots are busy. */
async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

const HubSpotObject = z.looseObject({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
});
const HubSpotPage = z.looseObject({
  results: z.array(HubSpotObject),
  paging: z.looseObject({ next: z.looseObject({ after: z.string() }).optional() }).optional(),
});
const HubSpotSearch = z.looseObject({ total: z.number(), results: z.array(HubSpotObject) });
const XentralList = z.looseObject({ data: z.array(XentralCustomer) });
const XentralOne = z.looseObject({ data: XentralCustomer });

const CONTACT_PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'salutation',
  'phone',
  'mobilephone',
  'address',
  'zip',
  'city',
  'country',
  'jobtitle',
];
const COMPANY_PROPERTIES = ['name', 'domain', 'phone', 'address', 'zip', 'city', 'country'];

function nonEmpty(properties: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== ''));
}

type Customer = z.infer<typeof XentralCustomer>;
type Address = NonNullable<Customer['primaryAddress']>;

function hubspotContactProperties(address: Address) {
  const { firstName, lastName } = splitName(address.name);
  return nonEmpty({
    email: address.email,
    firstname: firstName,
    lastname: lastName,
    salutation: address.type === 'mrs' ? 'Mrs' : 'Mr',
    phone: address.phone,
    mobilephone: address.mobile,
    address: address.street,
    zip: address.zipCode,
    city: address.city,
    country: address.country === '' ? '' : countryName(address.country),
    jobtitle: address.department,
  });
}

function hubspotCompanyProperties(customer: Customer, address: Address) {
  const website = customer.communication?.website ?? '';
  return nonEmpty({
    name: address.name,
    domain: website
      .replace(/^https?:\/\//, '')
      .replace(/^www\./, '')
      .replace(/\/.*$/, ''),
    phone: address.phone,
    address: address.street,
    zip: address.zipCode,
    city: address.city,
    country: address.country === '' ? '' : countryName(address.country),
  });
}

function xentralPatch(
  type: 'contact' | 'company',
  properties: Record<string, string | null>,
): Partial<XentralCustomerRecord> {
  const value = (name: string) => properties[name] ?? '';
  const country = countryCode(value('country')) ?? 'DE';
  const common = {
    phone: value('phone'),
    street: value('address'),
    zip: value('zip'),
    city: value('city'),
    country,
  };
  if (type === 'company') {
    const domain = value('domain');
    return {
      ...common,
      type: 'company',
      name: value('name'),
      website: domain === '' ? '' : `https://${domain}`,
    };
  }
  return {
    ...common,
    type: salutationFromText(value('salutation'), 'mr') || 'mr',
    name: joinName(value('firstname'), value('lastname')),
    email: value('email'),
    mobile: value('mobilephone'),
    department: value('jobtitle'),
  };
}

export async function runBaseline(
  job: BaselineJob,
  progress: (text: string) => void,
): Promise<BaselineOutcome> {
  const timeScale = job.timeScale ?? Number.POSITIVE_INFINITY;
  const hubspotGates = createHubSpotGates(realClock, timeScale);
  const xentralGate = Number.isFinite(timeScale)
    ? new RateGate(98, 60_000 / timeScale + 50, realClock)
    : new RateGate(Number.POSITIVE_INFINITY, 1, realClock);
  const outcome: BaselineOutcome = { created: 0, edited: 0, skipped: 0, failed: 0, message: null };
  let handled = 0;
  let lastProgress = Date.now();
  const tick = () => {
    handled++;
    if (Date.now() - lastProgress >= 10_000) {
      lastProgress = Date.now();
      progress(`baseline ${job.direction}: ${handled} records`);
    }
  };

  const hubspot = (method: string, path: string, body?: unknown) => {
    const search = path.endsWith('/search');
    return paced(
      `${job.hubspotUrl}${path}`,
      { method, token: job.hubspotToken, body },
      search ? [hubspotGates.search, hubspotGates.general] : [hubspotGates.general],
      (_status, _headers, text) => {
        const secondly = text.includes('SECONDLY');
        const gate = secondly ? hubspotGates.search : hubspotGates.general;
        gate.pause(gate.nextFreeAt());
      },
    );
  };
  const xentral = (method: string, path: string, body?: unknown) =>
    paced(
      `${job.xentralUrl}${path}`,
      { method, token: job.xentralToken, body },
      [xentralGate],
      (_status, headers) => {
        const wait = retryAfterMs(headers.get('retry-after'), Date.now());
        xentralGate.pause(wait === undefined ? xentralGate.nextFreeAt() : Date.now() + wait);
      },
    );
  const attempt = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      outcome.failed++;
      outcome.message ??= error instanceof Error ? error.message : String(error);
    }
    tick();
  };

  if (job.direction === 'export') {
    for (let page = 1; ; page++) {
      const list = XentralList.parse(
        await xentral('GET', `/api/v3/customers?perPage=${XENTRAL_PAGE}&page=${page}&sort=id`),
      );
      await forEachLimited(list.data, job.concurrency, (listed) =>
        attempt(async () => {
          const { data: customer } = XentralOne.parse(
            await xentral('GET', `/api/v3/customers/${listed.id}`),
          );
          const address = customer.primaryAddress;
          const type = address?.type;
          const isCompany = type === 'company';
          const key = isCompany ? address?.name : address?.email;
          if (!address || (type !== 'mr' && type !== 'mrs' && !isCompany) || !key) {
            outcome.skipped++;
            return;
          }
          const objects = isCompany ? 'companies' : 'contacts';
          const found = HubSpotSearch.parse(
            await hubspot('POST', `/crm/v3/objects/${objects}/search`, {
              filterGroups: [
                {
                  filters: [
                    { propertyName: isCompany ? 'name' : 'email', operator: 'EQ', value: key },
                  ],
                },
              ],
              properties: isCompany ? COMPANY_PROPERTIES : CONTACT_PROPERTIES,
              limit: 1,
            }),
          );
          const properties = isCompany
            ? hubspotCompanyProperties(customer, address)
            : hubspotContactProperties(address);
          const existing = found.results[0];
          if (existing) {
            await hubspot('PATCH', `/crm/v3/objects/${objects}/${existing.id}`, { properties });
            outcome.edited++;
          } else {
            await hubspot('POST', `/crm/v3/objects/${objects}`, { properties });
            outcome.created++;
          }
        }),
      );
      if (list.data.length < XENTRAL_PAGE) break;
    }
    return outcome;
  }

  for (const type of ['company', 'contact'] as const) {
    const objects = type === 'company' ? 'companies' : 'contacts';
    const names = type === 'company' ? COMPANY_PROPERTIES : CONTACT_PROPERTIES;
    let after: string | undefined;
    do {
      const page = HubSpotPage.parse(
        await hubspot(
          'GET',
          `/crm/v3/objects/${objects}?limit=${HUBSPOT_LIST_LIMIT}${after ? `&after=${after}` : ''}`,
        ),
      );
      after = page.paging?.next?.after;
      await forEachLimited(page.results, job.concurrency, (listed) =>
        attempt(async () => {
          const record = HubSpotObject.parse(
            await hubspot(
              'GET',
              `/crm/v3/objects/${objects}/${listed.id}?properties=${names.join(',')}`,
            ),
          );
          const patch = xentralPatch(type, record.properties);
          const key = type === 'company' ? (patch.name ?? '') : (patch.email ?? '');
          if (key === '') {
            outcome.skipped++;
            return;
          }
          const filter = new URLSearchParams({
            'filter[0][key]': type === 'company' ? 'name' : 'email',
            'filter[0][op]': 'equals',
            'filter[0][value]': key,
          });
          const found = XentralList.parse(
            await xentral('GET', `/api/v3/customers?${filter.toString()}`),
          );
          const existing = found.data[0];
          if (existing) {
            await xentral(
              'PATCH',
              `/api/v3/customers/${existing.id}`,
              toCustomerBody(patch, 'update'),
            );
            outcome.edited++;
          } else {
            await xentral('POST', '/api/v3/customers', toCustomerBody(patch, 'create'));
            outcome.created++;
          }
        }),
      );
    } while (after);
  }
  return outcome;
}
