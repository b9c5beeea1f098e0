import { Router } from 'express';
import { z } from 'zod';
import { authContext, requireScope } from './auth';
import { notFoundError, validationError } from './errors';
import type { Owner } from './store';

/** Owners API v3: the users records can be assigned to (`hubspot_owner_id`). */

/** HubSpot pages owners by up to 500. */
export const OWNERS_PAGE_LIMIT = 500;

export function presentOwner(owner: Owner) {
  return {
    id: owner.id,
    email: owner.email,
    type: 'PERSON',
    firstName: owner.firstName,
    lastName: owner.lastName,
    userId: owner.userId,
    userIdIncludingInactive: owner.userId,
    createdAt: owner.createdAt,
    updatedAt: owner.updatedAt,
    archived: owner.archived,
    teams: owner.teams.map((team) => ({ ...team })),
  };
}

const first = (value: unknown): string | undefined => {
  if (Array.isArray(value)) return first(value[0]);
  return typeof value === 'string' ? value : undefined;
};

const ListQuery = z.object({
  email: z.string().optional(),
  after: z.string().regex(/^\d+$/, 'after must be a cursor from a previous page').optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'limit must be a number')
    .transform(Number)
    .optional()
    .transform((value) => value ?? 100),
  archived: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true'),
});

export function ownersRouter(): Router {
  const router = Router();
  const scopes = ['crm.objects.owners.read'];

  // The SDK calls GET /crm/v3/owners/ (trailing slash); the docs show /crm/v3/owners. The router
  // is not strict about trailing slashes, so this one route answers both.
  router.get('/crm/v3/owners', (req, res) => {
    requireScope(req, scopes);
    const { portal } = authContext(req);
    const query = ListQuery.parse({
      email: first(req.query.email),
      after: first(req.query.after),
      limit: first(req.query.limit),
      archived: first(req.query.archived),
    });
    if (query.limit < 1 || query.limit > OWNERS_PAGE_LIMIT) {
      throw validationError(`limit must be between 1 and ${OWNERS_PAGE_LIMIT}.`);
    }
    const wanted = query.email?.trim().toLowerCase();
    const after = query.after === undefined ? 0 : Number(query.after);
    const matching = portal.owners.filter(
      (owner) =>
        owner.archived === query.archived &&
        Number(owner.id) >= after &&
        (wanted === undefined || owner.email.toLowerCase() === wanted),
    );
    const page = matching.slice(0, query.limit);
    const next = matching[query.limit];
    res.json({
      results: page.map(presentOwner),
      ...(next ? { paging: { next: { after: next.id } } } : {}),
    });
  });

  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    requireScope(req, scopes);
    const { portal } = authContext(req);
    const idProperty = first(req.query.idProperty) ?? 'id';
    const archived = first(req.query.archived) === 'true';
    const wanted = String(req.params.ownerId);
    const owner = portal.owners.find(
      (candidate) =>
        candidate.archived === archived &&
        (idProperty === 'userId' ? String(candidate.userId) === wanted : candidate.id === wanted),
    );
    if (!owner) throw notFoundError();
    res.json(presentOwner(owner));
  });

  return router;
}
