import express, { Router, type Request, type Response } from 'express';
import { z, ZodError } from 'zod';
import { HUBSPOT_MOCK_ALL_SCOPES } from './auth';
import { issueTokenPair, type OAuthApp } from './oauth';
import { presentPipeline } from './pipelines';
import {
  defaultDealPipeline,
  SettingsPatch,
  type HubSpotStore,
  type Pipeline,
  type PipelineStage,
} from './store';

/**
 * HubSpot-specific control routes under /__mock, next to the shared reset/seed/state/faults/
 * stats: tokens without the browser dance, token expiry, settings, pipeline tampering.
 */

export const IssueTokenInput = z
  .object({
    hubId: z.number().int().positive().optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(86_400 * 365)
      .optional(),
    scopes: z.array(z.string().min(1)).optional(),
    /** The login the token belongs to; default: a user with access to the portal. */
    userEmail: z.string().optional(),
  })
  .strict();
export type IssueTokenInput = z.input<typeof IssueTokenInput>;

export interface IssuedToken {
  token_type: 'bearer';
  access_token: string;
  refresh_token: string;
  hub_id: number;
  expires_in: number;
  scopes: string[];
}

export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

/** A valid token pair for a seeded portal, as if the admin had connected through the browser. */
export function issueMockToken(store: HubSpotStore, app: OAuthApp, raw: unknown = {}): IssuedToken {
  const input = IssueTokenInput.parse(raw);
  const portal = input.hubId === undefined ? store.firstPortal() : store.portal(input.hubId);
  if (!portal) {
    throw new ControlError(
      404,
      input.hubId === undefined
        ? 'No portal exists yet: POST /__mock/seed first.'
        : `Portal ${input.hubId} does not exist: seed it first.`,
    );
  }
  const user =
    input.userEmail === undefined
      ? [...store.users.values()].find((candidate) => candidate.hubIds.includes(portal.hubId))
      : store.userByEmail(input.userEmail);
  if (input.userEmail !== undefined && !user) {
    throw new ControlError(404, `No user ${input.userEmail}.`);
  }
  const { access, refresh } = issueTokenPair(store, {
    clientId: app.clientId,
    hubId: portal.hubId,
    userId: user?.userId ?? 0,
    scopes: input.scopes ?? HUBSPOT_MOCK_ALL_SCOPES,
    expiresInSeconds: input.expiresInSeconds,
  });
  return {
    token_type: 'bearer',
    access_token: access.token,
    refresh_token: refresh.token,
    hub_id: portal.hubId,
    expires_in: Math.round((access.expiresAtMs - store.nowMs()) / 1000),
    scopes: access.scopes,
  };
}

export const ExpireTokensInput = z
  .object({
    access_token: z.string().optional(),
    hubId: z.number().int().positive().optional(),
  })
  .strict();

/** Makes matching access tokens expire now (all of them when no filter is given). */
export function expireAccessTokens(store: HubSpotStore, raw: unknown = {}): number {
  const input = ExpireTokensInput.parse(raw);
  const nowMs = store.nowMs();
  let expired = 0;
  for (const token of store.accessTokens.values()) {
    if (input.access_token !== undefined && token.token !== input.access_token) continue;
    if (input.hubId !== undefined && token.hubId !== input.hubId) continue;
    if (token.expiresAtMs > nowMs) {
      token.expiresAtMs = nowMs;
      expired++;
    }
  }
  return expired;
}

const StageInput = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  isClosed: z.boolean().default(false),
  probability: z.number().min(0).max(1).default(0.5),
});

/** Changes a deal pipeline so tests can check how the app copes (e.g. "no won stage"). */
export const PipelineTamperInput = z
  .object({
    hubId: z.number().int().positive().optional(),
    pipelineId: z.string().min(1).default('default'),
    /** Stage ids to remove from the pipeline. */
    removeStages: z.array(z.string()).optional(),
    /** Replaces all stages. */
    stages: z.array(StageInput).optional(),
    label: z.string().min(1).optional(),
    /** true removes the pipeline from the API (false brings it back). */
    archived: z.boolean().optional(),
    /** Puts HubSpot's standard default pipeline back first. */
    restoreDefault: z.boolean().optional(),
  })
  .strict();

export function tamperPipeline(store: HubSpotStore, raw: unknown): Pipeline {
  const input = PipelineTamperInput.parse(raw);
  const portal = input.hubId === undefined ? store.firstPortal() : store.portal(input.hubId);
  if (!portal) throw new ControlError(404, 'No such portal: seed it first.');
  const now = store.clock().toISOString();
  if (input.restoreDefault) {
    portal.pipelines = portal.pipelines.filter((pipeline) => pipeline.id !== 'default');
    portal.pipelines.unshift(defaultDealPipeline(now));
  }
  let pipeline = portal.pipelines.find((candidate) => candidate.id === input.pipelineId);
  if (!pipeline) {
    pipeline = {
      id: input.pipelineId,
      label: input.label ?? input.pipelineId,
      displayOrder: portal.pipelines.length,
      stages: [],
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    portal.pipelines.push(pipeline);
  }
  if (input.label !== undefined) pipeline.label = input.label;
  if (input.archived !== undefined) pipeline.archived = input.archived;
  if (input.stages) {
    pipeline.stages = input.stages.map((stage, displayOrder): PipelineStage => ({
      id: stage.id,
      label: stage.label,
      displayOrder,
      metadata: { isClosed: String(stage.isClosed), probability: stage.probability.toFixed(1) },
      createdAt: now,
      updatedAt: now,
      archived: false,
      writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
    }));
  }
  if (input.removeStages) {
    const removing = new Set(input.removeStages);
    pipeline.stages = pipeline.stages.filter((stage) => !removing.has(stage.id));
  }
  pipeline.updatedAt = now;
  return pipeline;
}

/** One line per problem, naming the field: `searchIndexLagMs: must not be negative`. */
function controlMessage(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues
      .map((issue) => {
        const path = issue.path.map(String).join('.');
        return path === '' || issue.message.startsWith(path)
          ? issue.message
          : `${path}: ${issue.message}`;
      })
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}

function guarded(handler: (req: Request, res: Response) => void) {
  return (req: Request, res: Response) => {
    try {
      handler(req, res);
    } catch (error) {
      const status = error instanceof ControlError ? error.status : 400;
      res.status(status).json({
        error: status === 404 ? 'not_found' : 'invalid_request',
        message: controlMessage(error),
        ...(error instanceof ZodError ? { issues: error.issues } : {}),
      });
    }
  };
}

export function hubSpotControlRouter(store: HubSpotStore, app: OAuthApp): Router {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  router.post(
    '/tokens',
    guarded((req, res) => {
      res.json(issueMockToken(store, app, req.body ?? {}));
    }),
  );
  router.post(
    '/tokens/expire',
    guarded((req, res) => {
      res.json({ expired: expireAccessTokens(store, req.body ?? {}) });
    }),
  );
  router.get('/settings', (_req, res) => {
    res.json(store.settings);
  });
  router.post(
    '/settings',
    guarded((req, res) => {
      res.json(store.applySettings(SettingsPatch.parse(req.body ?? {})));
    }),
  );
  router.post(
    '/pipelines',
    guarded((req, res) => {
      res.json(presentPipeline(tamperPipeline(store, req.body ?? {})));
    }),
  );
  return router;
}
