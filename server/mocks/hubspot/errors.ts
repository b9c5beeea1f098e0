import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../../logger';

/**
 * HubSpot's error envelope. Every field but `status`, `message` and `correlationId` is optional
 * on the real API ("treat all fields as optional", developers.hubspot.com/docs/api-reference/error-handling).
 */
export interface HubSpotErrorBody {
  status: 'error';
  message: string;
  correlationId: string;
  category: string;
  subCategory?: string;
  context?: Record<string, string[]>;
  errors?: HubSpotErrorDetail[];
  links?: Record<string, string>;
}

export interface HubSpotErrorDetail {
  message: string;
  code?: string;
  context?: Record<string, string[]>;
  in?: string;
  subCategory?: string;
}

/**
 * One entry of a batch answer's `errors`: the specs' StandardError (e.g. CRM Contacts v3,
 * POST /crm/v3/objects/contacts/batch/update, 207), whose required fields are status, category,
 * message, context, errors and links. HubSpot sends the last two empty when it has nothing more.
 */
export interface HubSpotBatchError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  errors: HubSpotErrorDetail[];
  links: Record<string, string>;
  subCategory?: string;
}

export function errorBody(
  category: string,
  message: string,
  extra: Partial<Omit<HubSpotErrorBody, 'status' | 'message' | 'category' | 'correlationId'>> = {},
): HubSpotErrorBody {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** A failure with HubSpot's status code and body; thrown by services, written by the error handler. */
export class HubSpotApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: object,
  ) {
    super('message' in body && typeof body.message === 'string' ? body.message : 'error');
    this.name = 'HubSpotApiError';
  }
}

export function validationError(
  message: string,
  extra?: Parameters<typeof errorBody>[2],
): HubSpotApiError {
  return new HubSpotApiError(400, errorBody('VALIDATION_ERROR', message, extra));
}

export function notFoundError(message = 'resource not found'): HubSpotApiError {
  return new HubSpotApiError(404, errorBody('OBJECT_NOT_FOUND', message));
}

export function conflictError(message: string): HubSpotApiError {
  return new HubSpotApiError(409, errorBody('CONFLICT', message));
}

/** A per-property problem, as HubSpot lists them inside "Property values were not valid: [...]". */
export interface PropertyValueError {
  name: string;
  /** HubSpot's code, e.g. PROPERTY_DOESNT_EXIST, INVALID_EMAIL, INVALID_OPTION. */
  error: string;
  message: string;
}

/**
 * HubSpot answers invalid property values with one 400 whose message embeds a JSON list of
 * `{isValid, message, error, name}` (see the 2023 "Property Validations" changelog). The
 * `errors`/`context` pair repeats the same facts in structured form so clients need no regex.
 */
export function propertyValuesError(problems: PropertyValueError[]): HubSpotApiError {
  return new HubSpotApiError(400, propertyValuesErrorBody(problems));
}

export function propertyValuesErrorBody(problems: PropertyValueError[]): HubSpotErrorBody {
  const listed = problems.map((problem) => ({
    isValid: false,
    message: problem.message,
    error: problem.error,
    name: problem.name,
    localizedErrorMessage: problem.message,
  }));
  return errorBody(
    'VALIDATION_ERROR',
    `Property values were not valid: ${JSON.stringify(listed)}`,
    {
      errors: problems.map((problem) => ({
        message: problem.message,
        code: problem.error,
        context: { propertyName: [problem.name] },
      })),
    },
  );
}

export function batchError(
  category: string,
  message: string,
  context: Record<string, string[]>,
  subCategory?: string,
): HubSpotBatchError {
  return {
    status: 'error',
    category,
    message,
    context,
    errors: [],
    links: {},
    ...(subCategory === undefined ? {} : { subCategory }),
  };
}

/** Turns any thrown HubSpotApiError into a batch entry (used by multi-status batches). */
export function toBatchError(
  error: HubSpotApiError,
  context: Record<string, string[]>,
): HubSpotBatchError {
  const body = error.body as Partial<HubSpotErrorBody>;
  return {
    status: 'error',
    category: body.category ?? 'VALIDATION_ERROR',
    message: body.message ?? error.message,
    context: { ...body.context, ...context },
    errors: body.errors ?? [],
    links: body.links ?? {},
    ...(body.subCategory === undefined ? {} : { subCategory: body.subCategory }),
  };
}

export function sendError(res: Response, error: HubSpotApiError): void {
  res.status(error.status).json(error.body);
}

function zodMessage(error: ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.length ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`,
    )
    .join('; ');
}

/** Unknown paths: HubSpot answers 404 with its envelope. */
export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).json(errorBody('OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`, {}));
};

interface BodyParserFailure {
  type: string;
  status: number;
  message: string;
}

function isBodyParserFailure(error: unknown): error is BodyParserFailure {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/** The one place where the mock's failures become HubSpot-shaped responses. */
export function hubSpotErrorHandler(logger: Logger | undefined): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HubSpotApiError) {
      sendError(res, error);
      return;
    }
    if (error instanceof ZodError) {
      res.status(400).json(errorBody('VALIDATION_ERROR', `Invalid input: ${zodMessage(error)}`));
      return;
    }
    if (isBodyParserFailure(error)) {
      const status = error.status >= 400 && error.status < 500 ? error.status : 400;
      res
        .status(status)
        .json(errorBody('VALIDATION_ERROR', `Invalid input JSON: ${error.message}`));
      return;
    }
    logger?.error({ err: error, path: req.path }, 'hubspot mock: unhandled error');
    res.status(500).json(errorBody('INTERNAL_ERROR', 'internal error'));
  };
}
