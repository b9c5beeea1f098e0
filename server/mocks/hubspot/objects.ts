import { Router, type Request } from 'express';
import { z } from 'zod';
import { authContext, requireScope } from './auth';
import {
  associate,
  archiveRecord,
  checkUnique,
  createRecord,
  findRecord,
  listParameter,
  presentRecord,
  requireRecord,
  requireUniqueProperty,
  resolveAssociations,
  updateRecord,
  validatedChanges,
  type BatchClaims,
  type PresentOptions,
  type PresentedRecord,
  type ResolvedAssociation,
} from './crm';
import {
  batchError,
  HubSpotApiError,
  toBatchError,
  validationError,
  type HubSpotBatchError,
} from './errors';
import {
  OBJECT_TYPE_INFO,
  parseObjectType,
  requireObjectType,
  type ObjectType,
} from './object-types';
import { runSearch, SearchRequest } from './search';
import type { CrmRecord, HubSpotStore, Portal } from './store';

/** CRM objects API v3: list, get, create, update, archive, batch and search. */

/** HubSpot's batch endpoints take at most 100 inputs. */
export const BATCH_LIMIT = 100;
/** GET /crm/v3/objects/{type} pages hold at most 100 records. */
export const LIST_LIMIT = 100;

const IdValue = z.union([z.string(), z.number()]).transform(String);
const PropertiesInput = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
const AssociationInput = z.object({
  to: z.object({ id: IdValue }),
  types: z.array(
    z.object({
      associationCategory: z.string(),
      associationTypeId: z.number().int(),
    }),
  ),
});
// Request bodies as the CRM objects v3 specs define them (e.g. CRM Contacts v3): `properties` is
// required on create (SimplePublicObjectInputForCreate), update (SimplePublicObjectInput) and
// every batch input. The specs list `associations` as required on create too, but HubSpot's own
// guides create records with `properties` alone, so it stays optional here.
const CreateInput = z.object({
  properties: PropertiesInput,
  associations: z.array(AssociationInput).default([]),
  objectWriteTraceId: z.string().optional(),
});
const UpdateBody = z.object({
  properties: PropertiesInput,
  objectWriteTraceId: z.string().optional(),
});
const UpdateInput = z.object({
  id: IdValue,
  idProperty: z.string().optional(),
  properties: PropertiesInput,
  objectWriteTraceId: z.string().optional(),
});
// SimplePublicObjectBatchInputUpsert: `id` and `properties` required, `idProperty` optional; an
// upsert without it matches on the record id.
const UpsertInput = z.object({
  id: IdValue,
  idProperty: z.string().default('hs_object_id'),
  properties: PropertiesInput,
  objectWriteTraceId: z.string().optional(),
});
const BatchRead = z.object({
  inputs: z.array(z.object({ id: IdValue })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).default([]),
  idProperty: z.string().optional(),
});
const BatchArchive = z.object({ inputs: z.array(z.object({ id: IdValue })) });

function batchOf<T extends z.ZodType>(input: T) {
  return z.object({ inputs: z.array(input) });
}

function checkBatchSize(body: unknown): void {
  const inputs: unknown =
    typeof body === 'object' && body !== null ? (body as { inputs?: unknown }).inputs : undefined;
  if (Array.isArray(inputs) && inputs.length > BATCH_LIMIT) {
    throw validationError(
      `Too many inputs: ${inputs.length}. A batch takes at most ${BATCH_LIMIT} inputs.`,
    );
  }
}

const BooleanQuery = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => value === 'true');

function singleQuery(raw: unknown): string | undefined {
  if (Array.isArray(raw)) return singleQuery(raw[0]);
  return typeof raw === 'string' ? raw : undefined;
}

function readOptions(req: Request): PresentOptions {
  const associations = listParameter(req.query.associations)
    ?.map((name) => parseObjectType(name))
    .filter((type): type is ObjectType => type !== undefined);
  return {
    properties: listParameter(req.query.properties),
    propertiesWithHistory: listParameter(req.query.propertiesWithHistory),
    associations,
  };
}

function nowIso(store: HubSpotStore): string {
  return store.clock().toISOString();
}

/** The batch envelope; errors turn a 200/201 into 207 Multi-Status. */
function batchResponse<T>(
  store: HubSpotStore,
  startedAt: string,
  results: T[],
  errors: HubSpotBatchError[],
) {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: nowIso(store),
  };
}

function duplicateIds(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) {
    const key = id.trim().toLowerCase();
    if (seen.has(key)) duplicates.add(id);
    seen.add(key);
  }
  return [...duplicates];
}

function rejectDuplicateIds(ids: readonly string[]): void {
  const duplicates = duplicateIds(ids);
  if (duplicates.length > 0) {
    throw validationError(
      `Duplicate IDs found in batch input: [${duplicates.join(', ')}]. IDs must be unique`,
    );
  }
}

function missingIdsError(type: ObjectType, verb: string, ids: string[]) {
  return batchError(
    'OBJECT_NOT_FOUND',
    `Could not ${verb} some ${OBJECT_TYPE_INFO[type].upperSingular} objects, they may be deleted or not exist. Check that ids are valid.`,
    { ids },
  );
}

/**
 * Runs `plan` for every input. Without objectWriteTraceId a batch is all-or-nothing: the first
 * failure is the answer for the whole request (HubSpot's 400/409). With objectWriteTraceId on
 * the inputs, HubSpot reports failures per input in a 207 instead.
 */
function planEach<I extends { objectWriteTraceId?: string | undefined }, P>(
  inputs: readonly I[],
  plan: (input: I, index: number) => P,
): { planned: { input: I; plan: P }[]; errors: HubSpotBatchError[] } {
  const multiStatus = inputs.some((input) => input.objectWriteTraceId !== undefined);
  const planned: { input: I; plan: P }[] = [];
  const errors: HubSpotBatchError[] = [];
  inputs.forEach((input, index) => {
    try {
      planned.push({ input, plan: plan(input, index) });
    } catch (error) {
      if (!multiStatus || !(error instanceof HubSpotApiError)) throw error;
      errors.push(toBatchError(error, { objectWriteTraceId: [input.objectWriteTraceId ?? ''] }));
    }
  });
  return { planned, errors };
}

function withTrace<T extends object>(presented: T, traceId: string | undefined) {
  return traceId === undefined ? presented : { ...presented, objectWriteTraceId: traceId };
}

interface CreatePlan {
  changes: Map<string, string>;
  associations: ResolvedAssociation[];
}

function planCreate(
  portal: Portal,
  type: ObjectType,
  input: z.infer<typeof CreateInput>,
  batch?: BatchClaims,
): CreatePlan {
  const changes = validatedChanges(portal, type, input.properties);
  checkUnique(portal, type, changes, undefined, batch);
  const associations = resolveAssociations(portal, type, input.associations);
  return { changes, associations };
}

function applyCreate(
  store: HubSpotStore,
  portal: Portal,
  type: ObjectType,
  plan: CreatePlan,
): CrmRecord {
  const record = createRecord(store, portal, type, plan.changes);
  for (const { type: associationType, toId } of plan.associations) {
    associate(portal, associationType, record.id, toId);
  }
  return record;
}

function listPage(
  portal: Portal,
  type: ObjectType,
  options: { limit: number; after?: string | undefined; archived: boolean },
): { records: CrmRecord[]; next: CrmRecord | undefined } {
  const ordered = portal.tables[type].ordered;
  let position = 0;
  if (options.after !== undefined && options.after !== '') {
    const start = Number(options.after);
    if (!Number.isSafeInteger(start)) {
      throw validationError(`after must be a cursor from a previous page, got ${options.after}`);
    }
    position = portal.tables[type].positionOf(start);
  }
  const records: CrmRecord[] = [];
  while (position < ordered.length && records.length < options.limit) {
    const record = ordered[position++] as CrmRecord;
    if (record.archived === options.archived) records.push(record);
  }
  while (position < ordered.length) {
    const record = ordered[position] as CrmRecord;
    if (record.archived === options.archived) return { records, next: record };
    position++;
  }
  return { records, next: undefined };
}

const ListQuery = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, 'limit must be a number')
    .transform(Number)
    .optional()
    .transform((value) => value ?? 10),
  after: z.string().optional(),
  archived: BooleanQuery,
});

export function objectsRouter(store: HubSpotStore): Router {
  const router = Router();
  const base = '/crm/v3/objects/:objectType';

  const context = (req: Request, access: 'read' | 'write') => {
    const type = requireObjectType(String(req.params.objectType));
    requireScope(req, [`crm.objects.${type}.${access}`]);
    return { type, portal: authContext(req).portal };
  };

  router.get(base, (req, res) => {
    const { type, portal } = context(req, 'read');
    const query = ListQuery.parse({
      limit: singleQuery(req.query.limit),
      after: singleQuery(req.query.after),
      archived: singleQuery(req.query.archived),
    });
    if (query.limit > LIST_LIMIT || query.limit < 1) {
      throw validationError(`limit must be between 1 and ${LIST_LIMIT}, got ${query.limit}.`);
    }
    const { records, next } = listPage(portal, type, query);
    const options = readOptions(req);
    let paging: { next: { after: string; link: string } } | undefined;
    if (next) {
      const link = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}${req.originalUrl}`);
      link.searchParams.set('after', next.id);
      paging = { next: { after: next.id, link: link.toString() } };
    }
    res.json({
      results: records.map((record) => presentRecord(portal, record, options)),
      ...(paging ? { paging } : {}),
    });
  });

  router.post(base, (req, res) => {
    const { type, portal } = context(req, 'write');
    const input = CreateInput.parse(req.body);
    const record = applyCreate(store, portal, type, planCreate(portal, type, input));
    res.status(201).json(presentRecord(portal, record, { all: true }));
  });

  router.post(`${base}/search`, (req, res) => {
    const { type, portal } = context(req, 'read');
    const request = SearchRequest.parse(req.body ?? {});
    const outcome = runSearch(portal, type, request, {
      nowMs: store.nowMs(),
      indexLagMs: store.settings.searchIndexLagMs,
    });
    res.json({
      total: outcome.total,
      results: outcome.results.map((record) =>
        presentRecord(portal, record, { properties: request.properties }),
      ),
      ...(outcome.nextAfter === undefined
        ? {}
        : { paging: { next: { after: outcome.nextAfter } } }),
    });
  });

  router.post(`${base}/batch/read`, (req, res) => {
    const { type, portal } = context(req, 'read');
    checkBatchSize(req.body);
    const body = BatchRead.parse(req.body);
    const archived = BooleanQuery.parse(singleQuery(req.query.archived));
    if (body.idProperty !== undefined) requireUniqueProperty(portal, type, body.idProperty);
    const startedAt = nowIso(store);
    const results: PresentedRecord[] = [];
    const missing: string[] = [];
    const seen = new Set<string>();
    for (const { id } of body.inputs) {
      const record = findRecord(portal, type, id, body.idProperty, archived);
      if (!record) missing.push(id);
      else if (!seen.has(record.id)) {
        seen.add(record.id);
        results.push(
          presentRecord(portal, record, {
            properties: body.properties,
            propertiesWithHistory: body.propertiesWithHistory,
          }),
        );
      }
    }
    const errors = missing.length > 0 ? [missingIdsError(type, 'get', missing)] : [];
    res
      .status(errors.length > 0 ? 207 : 200)
      .json(batchResponse(store, startedAt, results, errors));
  });

  router.post(`${base}/batch/create`, (req, res) => {
    const { type, portal } = context(req, 'write');
    checkBatchSize(req.body);
    const body = batchOf(CreateInput).parse(req.body);
    const startedAt = nowIso(store);
    const claimed = new Map<string, number>();
    const { planned, errors } = planEach(body.inputs, (input, index) =>
      planCreate(portal, type, input, { claimed, index }),
    );
    const results = planned.map(({ input, plan }) =>
      withTrace(
        presentRecord(portal, applyCreate(store, portal, type, plan), { all: true }),
        input.objectWriteTraceId,
      ),
    );
    res
      .status(errors.length > 0 ? 207 : 201)
      .json(batchResponse(store, startedAt, results, errors));
  });

  router.post(`${base}/batch/update`, (req, res) => {
    const { type, portal } = context(req, 'write');
    checkBatchSize(req.body);
    const body = batchOf(UpdateInput).parse(req.body);
    rejectDuplicateIds(body.inputs.map((input) => input.id));
    for (const input of body.inputs) {
      if (input.idProperty !== undefined) requireUniqueProperty(portal, type, input.idProperty);
    }
    const startedAt = nowIso(store);
    const missing: string[] = [];
    const claimed = new Map<string, number>();
    const found = body.inputs.flatMap((input) => {
      const record = findRecord(portal, type, input.id, input.idProperty);
      if (!record) {
        missing.push(input.id);
        return [];
      }
      return [{ ...input, record }];
    });
    const { planned, errors } = planEach(found, (input, index) => {
      const changes = validatedChanges(portal, type, input.properties, input.record);
      checkUnique(portal, type, changes, input.record.id, { claimed, index });
      return changes;
    });
    const results = planned.map(({ input, plan }) => {
      updateRecord(store, portal, input.record, plan);
      return withTrace(
        presentRecord(portal, input.record, { all: true }),
        input.objectWriteTraceId,
      );
    });
    if (missing.length > 0) errors.push(missingIdsError(type, 'update', missing));
    res
      .status(errors.length > 0 ? 207 : 200)
      .json(batchResponse(store, startedAt, results, errors));
  });

  router.post(`${base}/batch/upsert`, (req, res) => {
    const { type, portal } = context(req, 'write');
    checkBatchSize(req.body);
    const body = batchOf(UpsertInput).parse(req.body);
    for (const input of body.inputs) requireUniqueProperty(portal, type, input.idProperty);
    rejectDuplicateIds(body.inputs.map((input) => `${input.idProperty}\u0000${input.id}`));
    const startedAt = nowIso(store);
    const claimed = new Map<string, number>();
    const { planned, errors } = planEach(body.inputs, (input, index) => {
      const existing = findRecord(portal, type, input.id, input.idProperty);
      const written =
        existing || input.idProperty === 'hs_object_id'
          ? input.properties
          : { ...input.properties, [input.idProperty]: input.id };
      if (!existing && input.idProperty === 'hs_object_id') {
        throw validationError(`Can't create a record with a given hs_object_id (${input.id}).`);
      }
      const changes = validatedChanges(portal, type, written, existing);
      checkUnique(portal, type, changes, existing?.id, { claimed, index });
      return { existing, changes };
    });
    const results = planned.map(({ input, plan }) => {
      let record = plan.existing;
      if (record) updateRecord(store, portal, record, plan.changes);
      else record = createRecord(store, portal, type, plan.changes);
      return withTrace(
        { ...presentRecord(portal, record, { all: true }), new: plan.existing === undefined },
        input.objectWriteTraceId,
      );
    });
    res
      .status(errors.length > 0 ? 207 : 200)
      .json(batchResponse(store, startedAt, results, errors));
  });

  router.post(`${base}/batch/archive`, (req, res) => {
    const { type, portal } = context(req, 'write');
    checkBatchSize(req.body);
    const body = BatchArchive.parse(req.body);
    // Ids that do not exist (any more) are skipped silently: the answer is 204 either way.
    for (const { id } of body.inputs) {
      const record = findRecord(portal, type, id, undefined);
      if (record) archiveRecord(store, portal, record);
    }
    res.status(204).end();
  });

  router.get(`${base}/:objectId`, (req, res) => {
    const { type, portal } = context(req, 'read');
    const idProperty = singleQuery(req.query.idProperty);
    if (idProperty !== undefined) requireUniqueProperty(portal, type, idProperty);
    const archived = BooleanQuery.parse(singleQuery(req.query.archived));
    const record = requireRecord(portal, type, String(req.params.objectId), idProperty, archived);
    res.json(presentRecord(portal, record, readOptions(req)));
  });

  router.patch(`${base}/:objectId`, (req, res) => {
    const { type, portal } = context(req, 'write');
    const idProperty = singleQuery(req.query.idProperty);
    if (idProperty !== undefined) requireUniqueProperty(portal, type, idProperty);
    const record = requireRecord(portal, type, String(req.params.objectId), idProperty);
    const body = UpdateBody.parse(req.body);
    const changes = validatedChanges(portal, type, body.properties, record);
    checkUnique(portal, type, changes, record.id);
    updateRecord(store, portal, record, changes);
    res.json(presentRecord(portal, record, { all: true }));
  });

  router.delete(`${base}/:objectId`, (req, res) => {
    const { type, portal } = context(req, 'write');
    const record = findRecord(portal, type, String(req.params.objectId), undefined);
    // Archiving a missing or already archived record is not an error on HubSpot.
    if (record) archiveRecord(store, portal, record);
    res.status(204).end();
  });

  return router;
}
