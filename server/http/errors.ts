import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { RunAbortedError, type RunAbortReason } from '../engine/errors';
import type { ErrorEnvelope } from '../../shared/api/errors';
import type { Logger } from '../logger';

/** A failure with a known HTTP status and a stable snake_case code for clients. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown, code = 'bad_request') {
    super(400, code, message, details);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_failed', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in through the Xentral App Center or send a valid API token.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, code = 'not_found') {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'conflict', details?: unknown) {
    super(409, code, message, details);
  }
}

export class UpstreamError extends AppError {
  constructor(message: string, code = 'upstream_error', details?: unknown) {
    super(502, code, message, details);
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

interface BodyParserError {
  type: string;
  status?: number;
  limit?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

const ABORT_STATUS: Record<RunAbortReason, [number, string]> = {
  hubspot_auth: [409, 'needs_reconnect'],
  hubspot_unavailable: [502, 'hubspot_unavailable'],
  hubspot_rate_limit: [503, 'hubspot_rate_limited'],
  xentral_auth: [502, 'xentral_auth_refused'],
  xentral_unavailable: [502, 'xentral_unavailable'],
  xentral_rate_limit: [503, 'xentral_rate_limited'],
  configuration: [409, 'hubspot_configuration'],
};

/** The one place where errors become HTTP responses. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      if (error.status >= 500) logger.error({ err: error, path: req.path }, error.message);
      res.status(error.status).json(envelope(error.code, error.message, error.details));
      return;
    }
    if (error instanceof RunAbortedError) {
      // A request that had to reach HubSpot or Xentral outside a run (refreshing the stages,
      // resolving a conflict) and met what would have stopped a run.
      const [status, code] = ABORT_STATUS[error.reason];
      res.status(status).json(envelope(code, error.message));
      return;
    }
    if (error instanceof ZodError) {
      res
        .status(400)
        .json(envelope('validation_failed', 'The request is not valid.', zodIssues(error)));
      return;
    }
    if (isBodyParserError(error)) {
      switch (error.type) {
        case 'entity.parse.failed':
          res.status(400).json(envelope('malformed_json', 'The request body is not valid JSON.'));
          return;
        case 'entity.too.large':
          res
            .status(413)
            .json(
              envelope(
                'payload_too_large',
                `The request body is larger than the allowed ${error.limit ?? ''} bytes.`.replace(
                  '  ',
                  ' ',
                ),
              ),
            );
          return;
        case 'encoding.unsupported':
        case 'charset.unsupported':
          res
            .status(415)
            .json(envelope('unsupported_encoding', 'The request body encoding is not supported.'));
          return;
        default:
          res.status(400).json(envelope('bad_request', 'The request body could not be read.'));
          return;
      }
    }
    logger.error({ err: error, path: req.path }, 'unhandled error');
    res.status(500).json(envelope('internal_error', 'Something went wrong on our side.'));
  };
}
