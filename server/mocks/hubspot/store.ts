import { z } from 'zod';
import type { Clock } from '../../clock';
import { associationType, type AssociationType } from './association-types';
import { OBJECT_TYPES, type ObjectType } from './object-types';
import {
  standardGroups,
  standardProperties,
  type PropertyDefinition,
  type PropertyGroup,
} from './properties';

/** One CRM record. Property values are kept as HubSpot keeps them: text, absent when empty. */
export interface CrmRecord {
  id: string;
  numericId: number;
  type: ObjectType;
  properties: Map<string, string>;
  createdAtMs: number;
  updatedAtMs: number;
  archived: boolean;
  archivedAtMs: number | undefined;
  /** Clock time of the last write: the search index sees the record `searchIndexLagMs` later. */
  writtenAtMs: number;
}

/** Unique values are compared case-insensitively, as HubSpot does for e-mail addresses. */
export function uniqueKey(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The records of one object type in one portal, with the indexes every request needs so that
 * per-request work stays proportional to the batch size, not to the table size.
 */
export class ObjectTable {
  readonly byId = new Map<string, CrmRecord>();
  /** Every record ever created, ascending by id (ids only grow), archived ones included. */
  readonly ordered: CrmRecord[] = [];
  /** property → unique key of the value → id of the live record holding it. */
  private readonly unique = new Map<string, Map<string, string>>();

  constructor(readonly type: ObjectType) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): CrmRecord | undefined {
    return this.byId.get(id);
  }

  isIndexed(property: string): boolean {
    return this.unique.has(property);
  }

  /** Starts enforcing uniqueness of `property`, indexing the values already stored. */
  addUniqueIndex(property: string): void {
    if (this.unique.has(property)) return;
    const index = new Map<string, string>();
    for (const record of this.ordered) {
      if (record.archived) continue;
      const value = record.properties.get(property);
      if (value !== undefined) index.set(uniqueKey(value), record.id);
    }
    this.unique.set(property, index);
  }

  /** The live record whose unique `property` equals `value`, if any. */
  findByUnique(property: string, value: string): CrmRecord | undefined {
    const id = this.unique.get(property)?.get(uniqueKey(value));
    return id === undefined ? undefined : this.byId.get(id);
  }

  insert(record: CrmRecord): void {
    const last = this.ordered[this.ordered.length - 1];
    if (last && last.numericId >= record.numericId) {
      throw new Error(`ids must grow: ${record.id} after ${last.id}`);
    }
    this.byId.set(record.id, record);
    this.ordered.push(record);
    for (const [property, index] of this.unique) {
      const value = record.properties.get(property);
      if (value !== undefined) index.set(uniqueKey(value), record.id);
    }
  }

  /** Applies changes ('' clears a property) and keeps the unique indexes in step. */
  write(record: CrmRecord, changes: ReadonlyMap<string, string>): void {
    for (const [property, value] of changes) {
      const index = this.unique.get(property);
      const previous = record.properties.get(property);
      if (index && previous !== undefined && index.get(uniqueKey(previous)) === record.id) {
        index.delete(uniqueKey(previous));
      }
      if (value === '') record.properties.delete(property);
      else {
        record.properties.set(property, value);
        if (index && !record.archived) index.set(uniqueKey(value), record.id);
      }
    }
  }

  /** Archived records keep their data but free their unique values, as in HubSpot. */
  archive(record: CrmRecord, nowMs: number): void {
    if (record.archived) return;
    record.archived = true;
    record.archivedAtMs = nowMs;
    record.writtenAtMs = nowMs;
    for (const [property, index] of this.unique) {
      const value = record.properties.get(property);
      if (value !== undefined && index.get(uniqueKey(value)) === record.id) {
        index.delete(uniqueKey(value));
      }
    }
  }

  /** Position of the first record whose id is at least `numericId` (binary search). */
  positionOf(numericId: number): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.ordered[middle] as CrmRecord).numericId < numericId) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
}

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot sends stage metadata values as strings: {"isClosed": "true", "probability": "1.0"}. */
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT';
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/**
 * Associations of one portal, stored in both directions so reads from either side are lookups.
 * Keys are `${type}:${id}`.
 */
export class AssociationStore {
  private readonly edges = new Map<string, Map<ObjectType, Map<string, Set<number>>>>();

  private side(type: ObjectType, id: string, to: ObjectType): Map<string, Set<number>> {
    const key = `${type}:${id}`;
    let byType = this.edges.get(key);
    if (!byType) {
      byType = new Map();
      this.edges.set(key, byType);
    }
    let targets = byType.get(to);
    if (!targets) {
      targets = new Map();
      byType.set(to, targets);
    }
    return targets;
  }

  private addOne(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeId: number) {
    const targets = this.side(from, fromId, to);
    let types = targets.get(toId);
    if (!types) {
      types = new Set();
      targets.set(toId, types);
    }
    types.add(typeId);
  }

  /** Adds `type` from → to and its inverse; returns false when it already existed. */
  add(type: AssociationType, fromId: string, toId: string): boolean {
    const existed = this.types(type.from, fromId, type.to, toId).has(type.typeId);
    this.addOne(type.from, fromId, type.to, toId, type.typeId);
    this.addOne(type.to, toId, type.from, fromId, type.inverseTypeId);
    return !existed;
  }

  types(from: ObjectType, fromId: string, to: ObjectType, toId: string): ReadonlySet<number> {
    return this.edges.get(`${from}:${fromId}`)?.get(to)?.get(toId) ?? new Set();
  }

  /** Removes the given types (all when omitted) between the pair, in both directions. */
  remove(
    from: ObjectType,
    fromId: string,
    to: ObjectType,
    toId: string,
    typeIds?: readonly number[],
  ): void {
    const forward = this.edges.get(`${from}:${fromId}`)?.get(to);
    const backward = this.edges.get(`${to}:${toId}`)?.get(from);
    const current = forward?.get(toId);
    if (!current) return;
    const removing = typeIds ?? [...current];
    for (const typeId of removing) {
      current.delete(typeId);
      const inverse = associationType(typeId)?.inverseTypeId;
      if (inverse !== undefined) backward?.get(fromId)?.delete(inverse);
    }
    if (current.size === 0) forward?.delete(toId);
    if (backward?.get(fromId)?.size === 0) backward.delete(fromId);
  }

  /** Targets of `from` of type `to`, ascending by numeric id. */
  list(from: ObjectType, fromId: string, to: ObjectType): { toId: string; typeIds: number[] }[] {
    const targets = this.edges.get(`${from}:${fromId}`)?.get(to);
    if (!targets) return [];
    return [...targets.entries()]
      .filter(([, types]) => types.size > 0)
      .map(([toId, types]) => ({ toId, typeIds: [...types].sort((a, b) => a - b) }))
      .sort((a, b) => Number(a.toId) - Number(b.toId));
  }

  /** Drops every association of a record (it was archived). */
  removeAllOf(type: ObjectType, id: string): void {
    const byType = this.edges.get(`${type}:${id}`);
    if (!byType) return;
    for (const [to, targets] of byType) {
      for (const toId of [...targets.keys()]) this.remove(type, id, to, toId);
    }
    this.edges.delete(`${type}:${id}`);
  }

  /** Every association once, from its stored side (for the state dump). */
  dump(): {
    fromType: ObjectType;
    fromId: string;
    toType: ObjectType;
    toId: string;
    typeIds: number[];
  }[] {
    const rows = [];
    for (const [key, byType] of this.edges) {
      const separator = key.indexOf(':');
      const fromType = key.slice(0, separator) as ObjectType;
      const fromId = key.slice(separator + 1);
      for (const [toType, targets] of byType) {
        for (const [toId, types] of targets) {
          if (types.size > 0) {
            rows.push({
              fromType,
              fromId,
              toType,
              toId,
              typeIds: [...types].sort((a, b) => a - b),
            });
          }
        }
      }
    }
    return rows;
  }

  get size(): number {
    let count = 0;
    for (const byType of this.edges.values()) {
      for (const targets of byType.values()) count += targets.size;
    }
    return count;
  }
}

export interface Portal {
  hubId: number;
  name: string;
  /** What HubSpot reports as `hub_domain` in token info. */
  domain: string;
  tables: Record<ObjectType, ObjectTable>;
  properties: Record<ObjectType, Map<string, PropertyDefinition>>;
  groups: Record<ObjectType, Map<string, PropertyGroup>>;
  owners: Owner[];
  ownersById: Map<string, Owner>;
  /** Deal pipelines (the only object with pipelines in this mock). */
  pipelines: Pipeline[];
  associations: AssociationStore;
}

/** A HubSpot user who can log in on the authorize page. */
export interface MockUser {
  userId: number;
  email: string;
  password: string;
  hubIds: number[];
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  hubId: number;
  userId: number;
  scopes: string[];
  expiresAtMs: number;
  used: boolean;
}

export interface RefreshToken {
  token: string;
  clientId: string;
  hubId: number;
  userId: number;
  scopes: string[];
  revoked: boolean;
}

export interface AccessToken {
  token: string;
  clientId: string;
  hubId: number;
  userId: number;
  scopes: string[];
  expiresAtMs: number;
  /** The refresh token it was made from; revoking that one revokes this one too. */
  refreshToken: string;
  revoked: boolean;
}

/** The authorize page's state between "logged in" and "account chosen". */
export interface LoginSession {
  id: string;
  userId: number;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  expiresAtMs: number;
}

const RateLimitSetting = z.object({
  max: z.number().int().min(1),
  intervalMs: z.number().int().min(1),
});

/** The longest search index lag the mock accepts: an hour, far beyond anything HubSpot shows. */
export const MAX_SEARCH_INDEX_LAG_MS = 3_600_000;

/**
 * HubSpot indexes CRM writes for search asynchronously: a record created or changed a moment ago
 * is not found by POST /crm/v3/objects/{type}/search for a few seconds. The mock behaves like that
 * unless told otherwise; tests that need a record in search right after writing it set 0.
 */
export const DEFAULT_SEARCH_INDEX_LAG_MS = 4_000;

/** Mock-only knobs, changed with POST /__mock/settings. */
export const HubSpotMockSettings = z
  .object({
    /** Records written less than this long ago are invisible to search (HubSpot indexes async). */
    searchIndexLagMs: z
      .number({ error: 'searchIndexLagMs must be a number of milliseconds' })
      .int('searchIndexLagMs must be a whole number of milliseconds')
      .min(0, 'searchIndexLagMs must not be negative')
      .max(
        MAX_SEARCH_INDEX_LAG_MS,
        `searchIndexLagMs must be at most ${MAX_SEARCH_INDEX_LAG_MS} (one hour)`,
      ),
    /** Rolling window for OAuth apps: 110 requests per 10 s per portal (API usage guidelines). */
    rateLimit: RateLimitSetting,
    /** The CRM search endpoints have their own, lower limit: 5 requests per second. */
    searchRateLimit: RateLimitSetting,
    accessTokenTtlSeconds: z.number().int().min(1).max(86_400),
    authCodeTtlSeconds: z.number().int().min(1).max(86_400),
  })
  .strict();
export type HubSpotMockSettings = z.infer<typeof HubSpotMockSettings>;

export const DEFAULT_SETTINGS: HubSpotMockSettings = {
  searchIndexLagMs: DEFAULT_SEARCH_INDEX_LAG_MS,
  rateLimit: { max: 110, intervalMs: 10_000 },
  searchRateLimit: { max: 5, intervalMs: 1_000 },
  // HubSpot access tokens live 30 minutes (`expires_in: 1800`).
  accessTokenTtlSeconds: 1800,
  authCodeTtlSeconds: 600,
};

export const SettingsPatch = z
  .object({
    searchIndexLagMs: HubSpotMockSettings.shape.searchIndexLagMs.optional(),
    rateLimit: RateLimitSetting.partial().optional(),
    searchRateLimit: RateLimitSetting.partial().optional(),
    accessTokenTtlSeconds: HubSpotMockSettings.shape.accessTokenTtlSeconds.optional(),
    authCodeTtlSeconds: HubSpotMockSettings.shape.authCodeTtlSeconds.optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

function patched(base: HubSpotMockSettings, patch: SettingsPatch): HubSpotMockSettings {
  return HubSpotMockSettings.parse({
    ...base,
    ...(patch.searchIndexLagMs === undefined ? {} : { searchIndexLagMs: patch.searchIndexLagMs }),
    ...(patch.accessTokenTtlSeconds === undefined
      ? {}
      : { accessTokenTtlSeconds: patch.accessTokenTtlSeconds }),
    ...(patch.authCodeTtlSeconds === undefined
      ? {}
      : { authCodeTtlSeconds: patch.authCodeTtlSeconds }),
    rateLimit: {
      max: patch.rateLimit?.max ?? base.rateLimit.max,
      intervalMs: patch.rateLimit?.intervalMs ?? base.rateLimit.intervalMs,
    },
    searchRateLimit: {
      max: patch.searchRateLimit?.max ?? base.searchRateLimit.max,
      intervalMs: patch.searchRateLimit?.intervalMs ?? base.searchRateLimit.intervalMs,
    },
  });
}

/** All state of the HubSpot mock: portals, users, OAuth artefacts and settings. */
export class HubSpotStore {
  readonly portals = new Map<number, Portal>();
  readonly users = new Map<number, MockUser>();
  readonly authCodes = new Map<string, AuthorizationCode>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly loginSessions = new Map<string, LoginSession>();
  settings: HubSpotMockSettings;
  /** What reset() returns to: the defaults, with the settings this mock was started with. */
  private readonly initialSettings: HubSpotMockSettings;
  private nextObjectId = 1001;
  private nextOwnerId = 70_000_001;
  private nextUserId = 9_000_001;

  constructor(
    readonly clock: Clock,
    settings: SettingsPatch = {},
  ) {
    this.initialSettings = patched(DEFAULT_SETTINGS, settings);
    this.settings = structuredClone(this.initialSettings);
  }

  nowMs(): number {
    return this.clock().getTime();
  }

  reset(): void {
    this.portals.clear();
    this.users.clear();
    this.authCodes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.loginSessions.clear();
    this.settings = structuredClone(this.initialSettings);
    this.nextObjectId = 1001;
    this.nextOwnerId = 70_000_001;
    this.nextUserId = 9_000_001;
  }

  applySettings(patch: SettingsPatch): HubSpotMockSettings {
    this.settings = patched(this.settings, patch);
    return this.settings;
  }

  /** Object ids are unique across types and portals, so an id used in the wrong place fails. */
  takeObjectId(): number {
    return this.nextObjectId++;
  }

  takeOwnerId(): string {
    return String(this.nextOwnerId++);
  }

  takeUserId(): number {
    return this.nextUserId++;
  }

  createPortal(input: { hubId: number; name: string; domain: string }): Portal {
    const existing = this.portals.get(input.hubId);
    if (existing) return existing;
    const now = this.clock().toISOString();
    const portal: Portal = {
      hubId: input.hubId,
      name: input.name,
      domain: input.domain,
      tables: perType((type) => {
        const table = new ObjectTable(type);
        // HubSpot deduplicates contacts by e-mail: it behaves as a unique property.
        if (type === 'contacts') table.addUniqueIndex('email');
        return table;
      }),
      properties: perType(
        (type) =>
          new Map(standardProperties(type).map((definition) => [definition.name, definition])),
      ),
      groups: perType((type) => new Map(standardGroups(type).map((group) => [group.name, group]))),
      owners: [],
      ownersById: new Map(),
      pipelines: [defaultDealPipeline(now)],
      associations: new AssociationStore(),
    };
    this.portals.set(portal.hubId, portal);
    return portal;
  }

  portal(hubId: number): Portal | undefined {
    return this.portals.get(hubId);
  }

  firstPortal(): Portal | undefined {
    return this.portals.values().next().value;
  }

  userByEmail(email: string): MockUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const user of this.users.values()) {
      if (user.email.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  /** Creates the login (or gives it access to more portals when it exists). */
  upsertUser(input: { email: string; password: string; hubIds: number[] }): MockUser {
    const existing = this.userByEmail(input.email);
    if (existing) {
      existing.password = input.password;
      for (const hubId of input.hubIds) {
        if (!existing.hubIds.includes(hubId)) existing.hubIds.push(hubId);
      }
      return existing;
    }
    const user: MockUser = {
      userId: this.takeUserId(),
      email: input.email.trim().toLowerCase(),
      password: input.password,
      hubIds: [...input.hubIds],
    };
    this.users.set(user.userId, user);
    return user;
  }

  addOwner(
    portal: Portal,
    input: { email: string; firstName: string; lastName: string; userId?: number },
  ): Owner {
    const now = this.clock().toISOString();
    const owner: Owner = {
      id: this.takeOwnerId(),
      email: input.email,
      firstName: input.firstName,
      lastName: input.lastName,
      userId: input.userId ?? this.takeUserId(),
      createdAt: now,
      updatedAt: now,
      archived: false,
      teams: [],
    };
    portal.owners.push(owner);
    portal.ownersById.set(owner.id, owner);
    return owner;
  }
}

function perType<T>(make: (type: ObjectType) => T): Record<ObjectType, T> {
  return {
    contacts: make(OBJECT_TYPES[0]),
    companies: make(OBJECT_TYPES[1]),
    deals: make(OBJECT_TYPES[2]),
  };
}

/**
 * The pipeline every HubSpot account starts with: id `default`, "Sales Pipeline", with HubSpot's
 * standard stage ids and win probabilities (closedwon is closed with probability 1.0).
 */
export function defaultDealPipeline(nowIso: string): Pipeline {
  const stages: [string, string, string, boolean][] = [
    ['appointmentscheduled', 'Appointment Scheduled', '0.2', false],
    ['qualifiedtobuy', 'Qualified To Buy', '0.4', false],
    ['presentationscheduled', 'Presentation Scheduled', '0.6', false],
    ['decisionmakerboughtin', 'Decision Maker Bought-In', '0.8', false],
    ['contractsent', 'Contract Sent', '0.9', false],
    ['closedwon', 'Closed Won', '1.0', true],
    ['closedlost', 'Closed Lost', '0.0', true],
  ];
  return {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    createdAt: nowIso,
    updatedAt: nowIso,
    archived: false,
    stages: stages.map(([id, label, probability, isClosed], displayOrder) => ({
      id,
      label,
      displayOrder,
      metadata: { isClosed: String(isClosed), probability },
      createdAt: nowIso,
      updatedAt: nowIso,
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    })),
  };
}
