import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import type { ErrorEnvelope } from '../../shared/api/errors';
import { RunAbortedError, type RunAbortReason } from '../engine/errors';
import type { Logger } from '../logger';
import { failurePageOf } from './failure-page';
import { AppError, type FailureKind } from '../services/errors';

/** Neither the launch session nor the API token came with the request. */
export class UnauthorizedError extends AppError {
  readonly kind = 'unauthorized';
  constructor(message = 'Sign in through the Xentral App Center or send a valid API token.') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
  constructor(message: string, code = 'forbidden') {
    super(code, message);
  }
}

export class PayloadTooLargeError extends AppError {
  readonly kind = 'payload_too_large';
  constructor(message: string) {
    super('payload_too_large', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  readonly kind = 'unsupported_media_type';
  constructor(message: string, code = 'unsupported_media_type') {
    super(code, message);
  }
}

/** The server's own answer does not fit its contract: a bug on our side, answered as 500. */
export class ResponseContractError extends Error {
  constructor(
    readonly endpoint: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`The answer of ${endpoint} does not fit its response schema.`);
    this.name = 'ResponseContractError';
  }
}

export function zodIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

function envelope(code: string, message: string, details?: unknown): ErrorEnvelope {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Unknown API paths get the envelope too, never the SPA's index.html. */
export const apiNotFound: RequestHandler = (req, res) => {
  res
    .status(404)
    .json(envelope('route_not_found', `There is no route ${req.method} ${req.originalUrl}.`));
};

const STATUS: Record<FailureKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upstream: 502,
};

export function statusOf(error: AppError): number {
  return STATUS[error.kind];
}

const ABORT_STATUS: Record<RunAbortReason, [number, string]> = {
  hubspot_auth: [409, 'needs_reconnect'],
  hubspot_unavailable: [502, 'hubspot_unavailable'],
  hubspot_rate_limit: [503, 'hubspot_rate_limited'],
  xentral_auth: [502, 'xentral_auth_refused'],
  xentral_unavailable: [502, 'xentral_unavailable'],
  xentral_rate_limit: [503, 'xentral_rate_limited'],
  configuration: [409, 'hubspot_configuration'],
  connection_removed: [409, 'not_connected'],
};

/** The one place where errors become HTTP responses. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // A page endpoint (launch, OAuth callback) answers a browser: with its page, not JSON.
    const page = failurePageOf(req);
    const answer = (status: number, body: ErrorEnvelope, cause: AppError | null) => {
      if (page) res.status(status).type('html').send(page(status, cause));
      else res.status(status).json(body);
    };
    if (error instanceof AppError) {
      const status = statusOf(error);
      if (status >= 500) logger.error({ err: error, path: req.path }, error.message);
      answer(
        status,
        envelope(error.code, error.message, error.details),
        status < 500 ? error : null,
      );
      return;
    }
    if (error instanceof RunAbortedError) {
      // A request that had to reach HubSpot or Xentral outside a run (refreshing the stages,
      // resolving a conflict) and met what would have stopped a run.
      const [status, code] = ABORT_STATUS[error.reason];
      answer(status, envelope(code, error.message), null);
      return;
    }
    if (error instanceof ResponseContractError) {
      logger.error(
        { endpoint: error.endpoint, issues: error.issues, path: req.path },
        error.message,
      );
    } else {
      logger.error({ err: error, path: req.path }, 'unhandled error');
    }
    answer(500, envelope('internal_error', 'Something went wrong on our side.'), null);
  };
}
