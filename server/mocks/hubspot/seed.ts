import { z } from 'zod';
import { demoCompany, demoPerson } from '../common/demo-data';
import { ASSOCIATION_TYPES } from './association-types';
import { associate, createRecord } from './crm';
import { LIFECYCLE_STAGES } from './properties';
import type { HubSpotStore, Owner, Portal } from './store';

/**
 * Deterministic data for POST /__mock/seed and the demo world of `npm start`. People and
 * companies come from the generator the Xentral mock uses too, so seeding both with
 * overlapping index ranges yields a known overlap by e-mail and by company name + domain.
 */

export const DEMO_HUBSPOT_LOGIN = { email: 'admin@example.com', password: 'demo' } as const;

export const DEMO_PORTALS = [
  { hubId: 1234567, name: 'Demo GmbH', domain: 'demo-gmbh.example' },
  { hubId: 7654321, name: 'Demo Sandbox', domain: 'demo-sandbox.example' },
] as const;

const PortalInput = z.object({
  hubId: z.number().int().positive(),
  name: z.string().min(1),
  domain: z.string().min(1),
});

export const SeedInput = z
  .object({
    seed: z.number().int().default(1),
    /** Portals to create (existing ones are kept). */
    portals: z.array(PortalInput).default([]),
    /** The portal that receives the records; default: the first listed or existing portal. */
    hubId: z.number().int().positive().optional(),
    contacts: z.number().int().min(0).max(1_000_000).default(0),
    companies: z.number().int().min(0).max(1_000_000).default(0),
    owners: z.number().int().min(0).max(10_000).default(0),
    deals: z.number().int().min(0).max(1_000_000).default(0),
    /** Generator index of the first contact / company (for overlaps with the Xentral mock). */
    contactStartIndex: z.number().int().min(0).default(0),
    companyStartIndex: z.number().int().min(0).default(0),
    /** Owners use their own index range so they never collide with contacts. */
    ownerStartIndex: z.number().int().min(0).default(900_000),
    /** Every contact whose generator index + 1 is a multiple of this has no e-mail (0: none). */
    withoutEmailEvery: z.number().int().min(0).default(0),
    /** The login that may connect to the seeded portals (default: DEMO_HUBSPOT_LOGIN). */
    login: z.object({ email: z.email(), password: z.string().min(1) }).optional(),
  })
  .strict();
export type SeedInput = z.input<typeof SeedInput>;

export interface SeedSummary {
  hubId: number;
  portals: { hubId: number; name: string; domain: string }[];
  login: string;
  created: { contacts: number; companies: number; owners: number; deals: number };
  /** Contacts left out because a contact with the same e-mail already existed. */
  skippedContacts: number;
}

/** HubSpot keeps the country as free text; Xentral's ISO codes arrive as English or German names. */
const COUNTRY_NAMES: Record<string, [string, string]> = {
  DE: ['Germany', 'Deutschland'],
  AT: ['Austria', 'Österreich'],
  CH: ['Switzerland', 'Schweiz'],
  NL: ['Netherlands', 'Niederlande'],
  FR: ['France', 'Frankreich'],
  GB: ['United Kingdom', 'Vereinigtes Königreich'],
};

export function countryName(code: string, index: number): string {
  const names = COUNTRY_NAMES[code];
  if (!names) return code;
  return index % 3 === 0 ? names[1] : names[0];
}

function salutation(kind: 'mr' | 'mrs', index: number): string {
  const german = index % 4 === 0;
  if (kind === 'mr') return german ? 'Herr' : 'Mr.';
  if (german) return 'Frau';
  return index % 3 === 0 ? 'Ms.' : 'Mrs.';
}

function ownerFor(owners: readonly Owner[], index: number): string | undefined {
  // One slot in (owners + 1) stays without owner, so "no owner" is covered as well.
  if (owners.length === 0) return undefined;
  return owners[index % (owners.length + 1)]?.id;
}

function resolvePortal(store: HubSpotStore, input: z.output<typeof SeedInput>): Portal {
  for (const portal of input.portals) store.createPortal(portal);
  if (store.portals.size === 0 && input.hubId === undefined) {
    store.createPortal(DEMO_PORTALS[0]);
  }
  const hubId = input.hubId ?? input.portals[0]?.hubId ?? store.firstPortal()?.hubId;
  if (hubId === undefined) throw new Error('no portal to seed');
  return (
    store.portal(hubId) ??
    store.createPortal({ hubId, name: `Portal ${hubId}`, domain: `portal-${hubId}.example` })
  );
}

export function seedHubSpot(store: HubSpotStore, raw: unknown): SeedSummary {
  const input = SeedInput.parse(raw);
  const portal = resolvePortal(store, input);
  const login = input.login ?? DEMO_HUBSPOT_LOGIN;
  store.upsertUser({
    email: login.email,
    password: login.password,
    hubIds: [...store.portals.keys()],
  });

  for (let i = 0; i < input.owners; i++) {
    const person = demoPerson(input.seed, input.ownerStartIndex + i);
    store.addOwner(portal, {
      email: person.email,
      firstName: person.firstName,
      lastName: person.lastName,
    });
  }
  const owners = portal.owners.filter((owner) => !owner.archived);

  // Seeded records are spread one second apart into the past and are searchable at once.
  const total = input.companies + input.contacts + input.deals;
  const nowMs = store.nowMs();
  let step = 0;
  const nextTimestamp = () => nowMs - (total - step++) * 1000;

  for (let i = 0; i < input.companies; i++) {
    const index = input.companyStartIndex + i;
    const company = demoCompany(input.seed, index);
    const properties = new Map<string, string>([
      ['name', company.name],
      ['domain', company.domain],
      ['website', `https://www.${company.domain}`],
      ['phone', company.phone],
      ['address', company.street],
      ['zip', company.zip],
      ['city', company.city],
      ['country', countryName(company.countryCode, index)],
      ['lifecyclestage', LIFECYCLE_STAGES[index % LIFECYCLE_STAGES.length]?.value ?? 'lead'],
    ]);
    const owner = ownerFor(owners, index);
    if (owner) properties.set('hubspot_owner_id', owner);
    createRecord(store, portal, 'companies', properties, nextTimestamp(), 0);
  }

  const contacts = portal.tables.contacts;
  let createdContacts = 0;
  let skippedContacts = 0;
  const contactIds: string[] = [];
  for (let i = 0; i < input.contacts; i++) {
    const index = input.contactStartIndex + i;
    const person = demoPerson(input.seed, index);
    const withoutEmail = input.withoutEmailEvery > 0 && (index + 1) % input.withoutEmailEvery === 0;
    if (!withoutEmail && contacts.findByUnique('email', person.email)) {
      skippedContacts++;
      step++;
      continue;
    }
    const properties = new Map<string, string>([
      ['firstname', person.firstName],
      ['lastname', person.lastName],
      ['salutation', salutation(person.salutation, index)],
      ['phone', person.phone],
      ['mobilephone', person.mobile],
      ['address', person.street],
      ['zip', person.zip],
      ['city', person.city],
      ['country', countryName(person.countryCode, index)],
      ['jobtitle', person.jobTitle],
      ['lifecyclestage', LIFECYCLE_STAGES[index % LIFECYCLE_STAGES.length]?.value ?? 'lead'],
    ]);
    if (!withoutEmail) properties.set('email', person.email);
    const owner = ownerFor(owners, index);
    if (owner) properties.set('hubspot_owner_id', owner);
    const record = createRecord(store, portal, 'contacts', properties, nextTimestamp(), 0);
    contactIds.push(record.id);
    createdContacts++;
  }

  const pipeline = portal.pipelines.find((candidate) => !candidate.archived);
  const dealToContact = ASSOCIATION_TYPES.find((type) => type.typeId === 3);
  for (let i = 0; i < input.deals; i++) {
    const stage = pipeline?.stages[i % pipeline.stages.length];
    const createdAt = nextTimestamp();
    const properties = new Map<string, string>([
      ['dealname', `Demo deal ${i + 1}`],
      ['amount', String(100 + ((i * 7919) % 9900))],
      ['deal_currency_code', 'EUR'],
      ['closedate', new Date(createdAt).toISOString()],
    ]);
    if (pipeline) properties.set('pipeline', pipeline.id);
    if (stage) properties.set('dealstage', stage.id);
    const owner = ownerFor(owners, i);
    if (owner) properties.set('hubspot_owner_id', owner);
    const deal = createRecord(store, portal, 'deals', properties, createdAt, 0);
    const contactId = contactIds[i % Math.max(1, contactIds.length)];
    if (contactId !== undefined && dealToContact)
      associate(portal, dealToContact, deal.id, contactId);
  }

  return {
    hubId: portal.hubId,
    portals: [...store.portals.values()].map(({ hubId, name, domain }) => ({
      hubId,
      name,
      domain,
    })),
    login: login.email,
    created: {
      contacts: createdContacts,
      companies: input.companies,
      owners: input.owners,
      deals: input.deals,
    },
    skippedContacts,
  };
}

/**
 * The world `npm start` shows: admin@example.com / demo with two portals (so the Choose Account
 * step appears), each with a few hundred contacts, ~50 companies, ~5 owners and the default
 * deal pipeline. The admin is an owner in both portals.
 */
export function seedDemoWorld(store: HubSpotStore, seed = 1): SeedSummary[] {
  const [main, sandbox] = DEMO_PORTALS;
  for (const portal of DEMO_PORTALS) store.createPortal(portal);
  const admin = store.upsertUser({
    ...DEMO_HUBSPOT_LOGIN,
    hubIds: DEMO_PORTALS.map((portal) => portal.hubId),
  });
  for (const portal of DEMO_PORTALS) {
    const target = store.portal(portal.hubId);
    if (target && !target.owners.some((owner) => owner.userId === admin.userId)) {
      store.addOwner(target, {
        email: admin.email,
        firstName: 'Demo',
        lastName: 'Admin',
        userId: admin.userId,
      });
    }
  }
  return [
    seedHubSpot(store, {
      seed,
      hubId: main.hubId,
      contacts: 300,
      companies: 50,
      owners: 4,
      withoutEmailEvery: 10,
    }),
    seedHubSpot(store, {
      seed,
      hubId: sandbox.hubId,
      contacts: 200,
      companies: 30,
      owners: 2,
      contactStartIndex: 5000,
      companyStartIndex: 5000,
      ownerStartIndex: 905_000,
      withoutEmailEvery: 10,
    }),
  ];
}
