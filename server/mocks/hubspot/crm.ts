import {
  associationTarget,
  associationType,
  ASSOCIATION_TYPES,
  type AssociationType,
} from './association-types';
import {
  conflictError,
  notFoundError,
  propertyValuesError,
  validationError,
  type PropertyValueError,
} from './errors';
import { alwaysReturnedProperties, OBJECT_TYPE_INFO, type ObjectType } from './object-types';
import {
  checkPropertyValue,
  stringifyInputValue,
  type PropertyDefinition,
  type PropertyOption,
} from './properties';
import { uniqueKey, type CrmRecord, type HubSpotStore, type Portal } from './store';

/**
 * Reading and writing CRM records of one portal with HubSpot's rules: known properties only,
 * typed values, unique e-mails, system timestamps maintained on every write.
 */

export type InputValue = string | number | boolean | null;
export type PropertyInput = Record<string, InputValue>;

/** The options an enumeration accepts right now (owners and pipelines are live data). */
export function propertyOptions(portal: Portal, definition: PropertyDefinition): PropertyOption[] {
  if (definition.dynamicOptions === undefined) return definition.options;
  switch (definition.dynamicOptions) {
    case 'owners':
      return portal.owners
        .filter((owner) => !owner.archived)
        .map((owner, displayOrder) => ({
          value: owner.id,
          label: `${owner.firstName} ${owner.lastName} (${owner.email})`,
          displayOrder,
          hidden: false,
        }));
    case 'pipelines':
      return portal.pipelines
        .filter((pipeline) => !pipeline.archived)
        .map((pipeline) => ({
          value: pipeline.id,
          label: pipeline.label,
          displayOrder: pipeline.displayOrder,
          hidden: false,
        }));
    case 'dealstages':
      return portal.pipelines
        .filter((pipeline) => !pipeline.archived)
        .flatMap((pipeline) => pipeline.stages.filter((stage) => !stage.archived))
        .map((stage) => ({
          value: stage.id,
          label: stage.label,
          displayOrder: stage.displayOrder,
          hidden: false,
        }));
  }
}

export function propertyDefinition(
  portal: Portal,
  type: ObjectType,
  name: string,
): PropertyDefinition | undefined {
  const definition = portal.properties[type].get(name);
  return definition && !definition.archived ? definition : undefined;
}

/**
 * Properties that identify one record: usable as `idProperty` in reads and upserts.
 * HubSpot allows the record id, contacts' e-mail and custom properties with unique values.
 */
export function isUniqueProperty(portal: Portal, type: ObjectType, name: string): boolean {
  if (name === 'hs_object_id') return true;
  if (type === 'contacts' && name === 'email') return true;
  return propertyDefinition(portal, type, name)?.hasUniqueValue === true;
}

export function requireUniqueProperty(portal: Portal, type: ObjectType, name: string): void {
  if (!propertyDefinition(portal, type, name)) {
    throw propertyValuesError([
      { name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` },
    ]);
  }
  if (!isUniqueProperty(portal, type, name)) {
    throw validationError(`${name} is not a unique property and cannot be used as idProperty.`);
  }
}

/** A live (or, with `archived`, an archived) record by id or by a unique property's value. */
export function findRecord(
  portal: Portal,
  type: ObjectType,
  idValue: string,
  idProperty: string | undefined,
  archived = false,
): CrmRecord | undefined {
  const table = portal.tables[type];
  let record: CrmRecord | undefined;
  if (idProperty === undefined || idProperty === 'hs_object_id') {
    record = table.get(idValue.trim());
  } else if (table.isIndexed(idProperty)) {
    record = table.findByUnique(idProperty, idValue);
  }
  if (!record && archived && idProperty !== undefined && idProperty !== 'hs_object_id') {
    // Archived records leave the unique index; find them the slow way (rare, archived reads only).
    const wanted = idValue.trim().toLowerCase();
    record = table.ordered.find(
      (candidate) =>
        candidate.archived && candidate.properties.get(idProperty)?.toLowerCase() === wanted,
    );
  }
  if (!record || record.archived !== archived) return undefined;
  return record;
}

export interface PreparedProperties {
  changes: Map<string, string>;
  problems: PropertyValueError[];
}

/**
 * Validates written properties. Unknown names and invalid values become problems (HubSpot
 * rejects the whole input); values HubSpot maintains itself are ignored silently.
 */
export function prepareProperties(
  portal: Portal,
  type: ObjectType,
  input: PropertyInput,
): PreparedProperties {
  const changes = new Map<string, string>();
  const problems: PropertyValueError[] = [];
  for (const [name, rawValue] of Object.entries(input)) {
    const definition = propertyDefinition(portal, type, name);
    if (!definition) {
      problems.push({
        name,
        error: 'PROPERTY_DOESNT_EXIST',
        message: `Property "${name}" does not exist`,
      });
      continue;
    }
    if (definition.readOnlyValue || definition.calculated) continue;
    const check = checkPropertyValue(
      definition,
      stringifyInputValue(rawValue),
      definition.type === 'enumeration' ? propertyOptions(portal, definition) : [],
    );
    if (check.ok) changes.set(name, check.value);
    else problems.push(check.problem);
  }
  return { changes, problems };
}

/** A deal's stage has to belong to the deal's pipeline. */
function pipelineProblems(
  portal: Portal,
  changes: Map<string, string>,
  existing: CrmRecord | undefined,
): PropertyValueError[] {
  const stage = changes.get('dealstage') ?? existing?.properties.get('dealstage');
  if (stage === undefined || stage === '') return [];
  const pipelineId = changes.get('pipeline') ?? existing?.properties.get('pipeline') ?? 'default';
  const pipeline = portal.pipelines.find((candidate) => candidate.id === pipelineId);
  if (!pipeline || pipeline.archived) return [];
  if (pipeline.stages.some((candidate) => candidate.id === stage && !candidate.archived)) return [];
  return [
    {
      name: 'dealstage',
      error: 'INVALID_OPTION',
      message: `${stage} is not a valid deal stage of pipeline ${pipelineId}`,
    },
  ];
}

/** Throws HubSpot's 400 when any property is unknown or invalid. */
export function validatedChanges(
  portal: Portal,
  type: ObjectType,
  input: PropertyInput,
  existing?: CrmRecord,
): Map<string, string> {
  const { changes, problems } = prepareProperties(portal, type, input);
  if (type === 'deals' && problems.length === 0) {
    if (!existing && !changes.has('pipeline') && changes.has('dealstage')) {
      // HubSpot puts a deal created without a pipeline into the account's default pipeline.
      const fallback = portal.pipelines.find((pipeline) => !pipeline.archived);
      if (fallback) changes.set('pipeline', fallback.id);
    }
    problems.push(...pipelineProblems(portal, changes, existing));
  }
  if (problems.length > 0) throw propertyValuesError(problems);
  return changes;
}

function conflictMessage(type: ObjectType, property: string, value: string, id: string): string {
  // The contacts API words it exactly like this; clients parse the id out of it.
  if (type === 'contacts' && property === 'email')
    return `Contact already exists. Existing ID: ${id}`;
  return `A ${OBJECT_TYPE_INFO[type].singular} with ${property} "${value}" already exists. Existing ID: ${id}`;
}

/** Unique values already taken by earlier inputs of the same batch. */
export interface BatchClaims {
  /** `${property}\u0000${unique key}` → index of the input that took it. */
  claimed: Map<string, number>;
  index: number;
}

/** Unique values held by another live record → HubSpot's 409. */
export function checkUnique(
  portal: Portal,
  type: ObjectType,
  changes: ReadonlyMap<string, string>,
  selfId: string | undefined,
  batch?: BatchClaims,
): void {
  const table = portal.tables[type];
  for (const [property, value] of changes) {
    if (value === '' || !table.isIndexed(property)) continue;
    const holder = table.findByUnique(property, value);
    if (holder && holder.id !== selfId) {
      throw conflictError(conflictMessage(type, property, value, holder.id));
    }
    const claimedBy = batch?.claimed.get(`${property}\u0000${uniqueKey(value)}`);
    if (claimedBy !== undefined && claimedBy !== batch?.index) {
      throw validationError(
        `Duplicate value for unique property ${property} in this batch: ${value}`,
      );
    }
  }
  if (batch) {
    for (const [property, value] of changes) {
      if (value !== '' && table.isIndexed(property)) {
        batch.claimed.set(`${property}\u0000${uniqueKey(value)}`, batch.index);
      }
    }
  }
}

function timestampProperties(type: ObjectType, record: CrmRecord): void {
  record.properties.set(
    OBJECT_TYPE_INFO[type].lastModifiedProperty,
    new Date(record.updatedAtMs).toISOString(),
  );
}

export function createRecord(
  store: HubSpotStore,
  portal: Portal,
  type: ObjectType,
  changes: ReadonlyMap<string, string>,
  nowMs = store.nowMs(),
  writtenAtMs = nowMs,
): CrmRecord {
  const numericId = store.takeObjectId();
  const id = String(numericId);
  const properties = new Map<string, string>();
  for (const [name, value] of changes) if (value !== '') properties.set(name, value);
  properties.set('createdate', new Date(nowMs).toISOString());
  properties.set('hs_object_id', id);
  const record: CrmRecord = {
    id,
    numericId,
    type,
    properties,
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    archived: false,
    archivedAtMs: undefined,
    writtenAtMs,
  };
  timestampProperties(type, record);
  portal.tables[type].insert(record);
  return record;
}

/**
 * Writes changes. Every write with properties moves the modification date, even when the
 * values were already there: HubSpot stamps the write, not the difference.
 */
export function updateRecord(
  store: HubSpotStore,
  portal: Portal,
  record: CrmRecord,
  changes: ReadonlyMap<string, string>,
): void {
  if (changes.size === 0) return;
  const effective = new Map<string, string>();
  for (const [name, value] of changes) {
    if ((record.properties.get(name) ?? '') !== value) effective.set(name, value);
  }
  const nowMs = store.nowMs();
  portal.tables[record.type].write(record, effective);
  record.updatedAtMs = Math.max(nowMs, record.updatedAtMs);
  record.writtenAtMs = nowMs;
  timestampProperties(record.type, record);
}

export function archiveRecord(store: HubSpotStore, portal: Portal, record: CrmRecord): void {
  if (record.archived) return;
  portal.tables[record.type].archive(record, store.nowMs());
  portal.associations.removeAllOf(record.type, record.id);
}

/** Inline associations of a create request: `[{to: {id}, types: [{associationCategory, associationTypeId}]}]`. */
export interface AssociationInput {
  to: { id: string };
  types: { associationCategory: string; associationTypeId: number }[];
}

export interface ResolvedAssociation {
  type: AssociationType;
  toId: string;
}

/** Checks inline associations before anything is written (a bad one fails the whole create). */
export function resolveAssociations(
  portal: Portal,
  from: ObjectType,
  inputs: readonly AssociationInput[],
): ResolvedAssociation[] {
  const resolved: ResolvedAssociation[] = [];
  for (const input of inputs) {
    for (const spec of input.types) {
      const to = associationTarget(from, spec.associationTypeId);
      const type = associationType(spec.associationTypeId);
      if (!to || !type || spec.associationCategory !== 'HUBSPOT_DEFINED') {
        throw validationError(
          `association type id ${spec.associationTypeId} (${spec.associationCategory}) doesn't exist between ${from} and the target`,
        );
      }
      const target = portal.tables[to].get(String(input.to.id));
      if (!target || target.archived) {
        throw validationError(
          `One or more associations are invalid: ${OBJECT_TYPE_INFO[to].singular} ${input.to.id} does not exist`,
        );
      }
      resolved.push({ type, toId: target.id });
    }
  }
  return resolved;
}

/** Adds an association and everything HubSpot implies with it. */
export function associate(portal: Portal, type: AssociationType, fromId: string, toId: string) {
  if (!type.isDefault) {
    // A label always sits on top of the unlabeled association.
    const base = ASSOCIATION_TYPES.find(
      (candidate) =>
        candidate.from === type.from && candidate.to === type.to && candidate.isDefault,
    );
    if (base) portal.associations.add(base, fromId, toId);
    if (type.label === 'Primary') {
      // One primary company per contact or deal: a new primary replaces the old one.
      for (const other of portal.associations.list(type.from, fromId, type.to)) {
        if (other.toId !== toId && other.typeIds.includes(type.typeId)) {
          portal.associations.remove(type.from, fromId, type.to, other.toId, [type.typeId]);
        }
      }
    }
  }
  portal.associations.add(type, fromId, toId);
}

export interface PresentOptions {
  /** Requested properties; undefined → the object's default set. */
  properties?: readonly string[] | undefined;
  propertiesWithHistory?: readonly string[] | undefined;
  associations?: readonly ObjectType[] | undefined;
  /** Write responses show every stored property. */
  all?: boolean;
}

export interface PresentedRecord {
  id: string;
  properties: Record<string, string | null>;
  propertiesWithHistory?: Record<
    string,
    { value: string; timestamp: string; sourceType: string }[]
  >;
  associations?: Record<string, { results: { id: string; type: string }[] }>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  archivedAt?: string;
}

/** The SimplePublicObject shape: only requested properties plus the ones HubSpot always adds. */
export function presentRecord(
  portal: Portal,
  record: CrmRecord,
  options: PresentOptions = {},
): PresentedRecord {
  const properties: Record<string, string | null> = {};
  if (options.all) {
    for (const [name, value] of [...record.properties].sort(([a], [b]) => a.localeCompare(b))) {
      properties[name] = value;
    }
  } else {
    const requested =
      options.properties && options.properties.length > 0
        ? options.properties
        : OBJECT_TYPE_INFO[record.type].defaultProperties;
    for (const name of [...requested, ...alwaysReturnedProperties(record.type)]) {
      // Unknown names are ignored on reads, as HubSpot does.
      if (!propertyDefinition(portal, record.type, name)) continue;
      properties[name] = record.properties.get(name) ?? null;
    }
  }
  const presented: PresentedRecord = {
    id: record.id,
    properties,
    createdAt: new Date(record.createdAtMs).toISOString(),
    updatedAt: new Date(record.updatedAtMs).toISOString(),
    archived: record.archived,
  };
  if (record.archived && record.archivedAtMs !== undefined) {
    presented.archivedAt = new Date(record.archivedAtMs).toISOString();
  }
  if (options.propertiesWithHistory && options.propertiesWithHistory.length > 0) {
    const history: NonNullable<PresentedRecord['propertiesWithHistory']> = {};
    for (const name of options.propertiesWithHistory) {
      const value = record.properties.get(name);
      if (value === undefined || !propertyDefinition(portal, record.type, name)) continue;
      // The mock keeps no history: the current value is the only version.
      history[name] = [
        { value, timestamp: new Date(record.updatedAtMs).toISOString(), sourceType: 'API' },
      ];
    }
    presented.propertiesWithHistory = history;
  }
  if (options.associations && options.associations.length > 0) {
    const associations: NonNullable<PresentedRecord['associations']> = {};
    for (const to of options.associations) {
      const results = portal.associations.list(record.type, record.id, to).flatMap((target) =>
        target.typeIds.map((typeId) => ({
          id: target.toId,
          type: associationType(typeId)?.v3Name ?? String(typeId),
        })),
      );
      if (results.length > 0) associations[to] = { results };
    }
    presented.associations = associations;
  }
  return presented;
}

/** Splits HubSpot's list parameters: repeated (`properties=a&properties=b`) or comma-separated. */
export function listParameter(raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  const names = values
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  return names;
}

export function requireRecord(
  portal: Portal,
  type: ObjectType,
  id: string,
  idProperty: string | undefined,
  archived = false,
): CrmRecord {
  const record = findRecord(portal, type, id, idProperty, archived);
  if (!record) throw notFoundError();
  return record;
}
