import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  ASSOCIATION_CATEGORY,
  associationType,
  defaultAssociationType,
  type AssociationType,
} from './association-types';
import { authContext, requireScope } from './auth';
import { associate } from './crm';
import { batchError, notFoundError, validationError, type HubSpotBatchError } from './errors';
import { OBJECT_TYPE_INFO, requireObjectType, type ObjectType } from './object-types';
import type { HubSpotStore, Portal } from './store';

/** Associations API v4: default and labelled associations, single and batch. */

/** v4 batch limits (associations v4 guide): 2,000 inputs for writes, 1,000 for reads. */
export const ASSOCIATION_BATCH_WRITE_LIMIT = 2000;
export const ASSOCIATION_BATCH_READ_LIMIT = 1000;
const READ_PAGE_LIMIT = 500;

const IdValue = z.union([z.string(), z.number()]).transform(String);
const Spec = z.object({
  associationCategory: z.string(),
  associationTypeId: z.number().int(),
});

function inputsWithin<T extends z.ZodType>(input: T, limit: number) {
  return z.object({
    inputs: z.array(input).max(limit, `Too many inputs: a batch takes at most ${limit} inputs.`),
  });
}

function exists(portal: Portal, type: ObjectType, id: string): boolean {
  const record = portal.tables[type].get(id);
  return record !== undefined && !record.archived;
}

function missingObject(type: ObjectType, id: string): string {
  return `${OBJECT_TYPE_INFO[type].singular} ${id} does not exist`;
}

/** The types a caller named must exist for from → to. */
function resolveSpecs(
  from: ObjectType,
  to: ObjectType,
  specs: readonly z.infer<typeof Spec>[],
): AssociationType[] {
  return specs.map((spec) => {
    const type = associationType(spec.associationTypeId);
    if (
      !type ||
      type.from !== from ||
      type.to !== to ||
      spec.associationCategory !== ASSOCIATION_CATEGORY
    ) {
      throw validationError(
        `association type ${spec.associationCategory}/${spec.associationTypeId} doesn't exist between ${from} and ${to}`,
      );
    }
    return type;
  });
}

function presentTypes(typeIds: readonly number[]) {
  return typeIds.map((typeId) => ({
    category: ASSOCIATION_CATEGORY,
    typeId,
    label: associationType(typeId)?.label ?? null,
  }));
}

function labelsBetween(
  portal: Portal,
  from: ObjectType,
  fromId: string,
  to: ObjectType,
  toId: string,
) {
  const labels = [...portal.associations.types(from, fromId, to, toId)]
    .map((typeId) => associationType(typeId)?.label)
    .filter((label): label is string => typeof label === 'string');
  return {
    // LabelsBetweenObjectPair (CRM Associations v4, batch/create): every id is a string.
    fromObjectTypeId: OBJECT_TYPE_INFO[from].typeId,
    fromObjectId: fromId,
    toObjectTypeId: OBJECT_TYPE_INFO[to].typeId,
    toObjectId: toId,
    labels: [...new Set(labels)],
  };
}

/** Creates the default association in both directions and reports both, as HubSpot does. */
function associateDefault(
  portal: Portal,
  from: ObjectType,
  fromId: string,
  to: ObjectType,
  toId: string,
) {
  const type = defaultAssociationType(from, to);
  if (!type) {
    throw validationError(`There is no default association between ${from} and ${to}.`);
  }
  associate(portal, type, fromId, toId);
  return [
    {
      from: { id: fromId },
      to: { id: toId },
      associationSpec: {
        associationCategory: ASSOCIATION_CATEGORY,
        associationTypeId: type.typeId,
      },
    },
    {
      from: { id: toId },
      to: { id: fromId },
      associationSpec: {
        associationCategory: ASSOCIATION_CATEGORY,
        associationTypeId: type.inverseTypeId,
      },
    },
  ];
}

function pageOf(
  portal: Portal,
  from: ObjectType,
  fromId: string,
  to: ObjectType,
  after: string | undefined,
  limit: number,
) {
  const start = after === undefined || after === '' ? 0 : Number(after);
  if (!Number.isFinite(start)) throw validationError(`Invalid after cursor: ${String(after)}`);
  const targets = portal.associations
    .list(from, fromId, to)
    .filter((target) => Number(target.toId) >= start);
  const page = targets.slice(0, limit);
  const next = targets[limit];
  return {
    results: page.map((target) => ({
      // MultiAssociatedObjectWithLabel (CRM Associations v4): `toObjectId` is a string.
      toObjectId: target.toId,
      associationTypes: presentTypes(target.typeIds),
    })),
    next: next?.toId,
  };
}

function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return first(value[0]);
  return typeof value === 'string' ? value : undefined;
}

export function associationsRouter(store: HubSpotStore): Router {
  const router = Router();

  const pair = (req: Request, access: 'read' | 'write') => {
    const from = requireObjectType(String(req.params.fromType));
    const to = requireObjectType(String(req.params.toType));
    requireScope(req, [`crm.objects.${from}.${access}`]);
    return { from, to, portal: authContext(req).portal };
  };
  const batchEnvelope = <T>(startedAt: string, results: T[], errors: HubSpotBatchError[]) => ({
    status: 'COMPLETE',
    results,
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
    startedAt,
    completedAt: store.clock().toISOString(),
  });

  router.put('/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId', (req, res) => {
    const { from, to, portal } = pair(req, 'write');
    const fromId = String(req.params.fromId);
    const toId = String(req.params.toId);
    if (!exists(portal, from, fromId)) throw notFoundError(missingObject(from, fromId));
    if (!exists(portal, to, toId)) throw notFoundError(missingObject(to, toId));
    const startedAt = store.clock().toISOString();
    res.json(batchEnvelope(startedAt, associateDefault(portal, from, fromId, to, toId), []));
  });

  router.put('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    const { from, to, portal } = pair(req, 'write');
    const fromId = String(req.params.fromId);
    const toId = String(req.params.toId);
    const types = resolveSpecs(from, to, z.array(Spec).min(1).parse(req.body));
    if (!exists(portal, from, fromId)) throw notFoundError(missingObject(from, fromId));
    if (!exists(portal, to, toId)) throw notFoundError(missingObject(to, toId));
    for (const type of types) associate(portal, type, fromId, toId);
    res.status(201).json(labelsBetween(portal, from, fromId, to, toId));
  });

  router.delete('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    const { from, to, portal } = pair(req, 'write');
    portal.associations.remove(from, String(req.params.fromId), to, String(req.params.toId));
    res.status(204).end();
  });

  router.get('/crm/v4/objects/:fromType/:fromId/associations/:toType', (req, res) => {
    const { from, to, portal } = pair(req, 'read');
    const limit = Number(first(req.query.limit) ?? READ_PAGE_LIMIT);
    if (!Number.isInteger(limit) || limit < 1 || limit > READ_PAGE_LIMIT) {
      throw validationError(`limit must be between 1 and ${READ_PAGE_LIMIT}.`);
    }
    const page = pageOf(portal, from, String(req.params.fromId), to, first(req.query.after), limit);
    res.json({
      results: page.results,
      ...(page.next === undefined ? {} : { paging: { next: { after: page.next } } }),
    });
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/associate/default', (req, res) => {
    const { from, to, portal } = pair(req, 'write');
    const body = inputsWithin(
      z.object({ from: z.object({ id: IdValue }), to: z.object({ id: IdValue }) }),
      ASSOCIATION_BATCH_WRITE_LIMIT,
    ).parse(req.body);
    const startedAt = store.clock().toISOString();
    const results = [];
    const errors: HubSpotBatchError[] = [];
    for (const input of body.inputs) {
      const missing = !exists(portal, from, input.from.id)
        ? missingObject(from, input.from.id)
        : !exists(portal, to, input.to.id)
          ? missingObject(to, input.to.id)
          : undefined;
      if (missing) {
        errors.push(
          batchError('OBJECT_NOT_FOUND', missing, {
            fromObjectId: [input.from.id],
            toObjectId: [input.to.id],
          }),
        );
        continue;
      }
      results.push(...associateDefault(portal, from, input.from.id, to, input.to.id));
    }
    // The SDK accepts only 200 here, so per-input failures travel inside a 200.
    res.json(batchEnvelope(startedAt, results, errors));
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/create', (req, res) => {
    const { from, to, portal } = pair(req, 'write');
    const body = inputsWithin(
      z.object({
        from: z.object({ id: IdValue }),
        to: z.object({ id: IdValue }),
        types: z.array(Spec).min(1),
      }),
      ASSOCIATION_BATCH_WRITE_LIMIT,
    ).parse(req.body);
    const startedAt = store.clock().toISOString();
    const results = [];
    const errors: HubSpotBatchError[] = [];
    for (const input of body.inputs) {
      const types = resolveSpecs(from, to, input.types);
      const missing = !exists(portal, from, input.from.id)
        ? missingObject(from, input.from.id)
        : !exists(portal, to, input.to.id)
          ? missingObject(to, input.to.id)
          : undefined;
      if (missing) {
        errors.push(
          batchError('OBJECT_NOT_FOUND', missing, {
            fromObjectId: [input.from.id],
            toObjectId: [input.to.id],
          }),
        );
        continue;
      }
      for (const type of types) associate(portal, type, input.from.id, input.to.id);
      results.push(labelsBetween(portal, from, input.from.id, to, input.to.id));
    }
    res.status(errors.length > 0 ? 207 : 201).json(batchEnvelope(startedAt, results, errors));
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/read', (req, res) => {
    const { from, to, portal } = pair(req, 'read');
    const body = inputsWithin(
      z.object({ id: IdValue, after: z.string().optional() }),
      ASSOCIATION_BATCH_READ_LIMIT,
    ).parse(req.body);
    const startedAt = store.clock().toISOString();
    const results = [];
    const errors: HubSpotBatchError[] = [];
    for (const input of body.inputs) {
      const page = pageOf(portal, from, input.id, to, input.after, READ_PAGE_LIMIT);
      if (page.results.length === 0) {
        errors.push(
          batchError(
            'OBJECT_NOT_FOUND',
            `No ${OBJECT_TYPE_INFO[to].singular} is associated with ${OBJECT_TYPE_INFO[from].singular} ${input.id}.`,
            { fromObjectId: [input.id] },
            'crm.associations.NO_ASSOCIATIONS_FOUND',
          ),
        );
        continue;
      }
      results.push({
        from: { id: input.id },
        to: page.results,
        ...(page.next === undefined ? {} : { paging: { next: { after: page.next } } }),
      });
    }
    res.status(errors.length > 0 ? 207 : 200).json(batchEnvelope(startedAt, results, errors));
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/archive', (req, res) => {
    const { from, to, portal } = pair(req, 'write');
    const body = inputsWithin(
      z.object({ from: z.object({ id: IdValue }), to: z.array(z.object({ id: IdValue })) }),
      ASSOCIATION_BATCH_WRITE_LIMIT,
    ).parse(req.body);
    for (const input of body.inputs) {
      for (const target of input.to) portal.associations.remove(from, input.from.id, to, target.id);
    }
    res.status(204).end();
  });

  return router;
}
