import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import type { Logger } from '../../logger';

/**
 * Xentral's error bodies (RFC 7807, `application/problem+json`). Types and titles follow the
 * published OpenAPI documents: `https://api.xentral.biz/problems/request-validation` with
 * `violations` as an object of property path → messages, `…/invalid-status` (409 on actions such
 * as release), `…/conflict`. 401 and 404 carry no documented body; the mock sends a problem too.
 */

export const PROBLEM_BASE = 'https://api.xentral.biz/problems/';

/** Property path (dot notation) → messages, the shape of Xentral's `violations`. */
export type Violations = Record<string, string[]>;

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  violations?: Violations;
}

/** A failure that renders as a problem document; thrown by routes, sent by `problemHandler`. */
export class XentralProblem extends Error {
  constructor(readonly body: ProblemBody) {
    super(body.detail ?? body.title);
    this.name = 'XentralProblem';
  }

  get status(): number {
    return this.body.status;
  }
}

export function validationProblem(violations: Violations): XentralProblem {
  return new XentralProblem({
    type: `${PROBLEM_BASE}request-validation`,
    title: 'Request payload validation failed.',
    status: 400,
    violations,
  });
}

export function unauthorizedProblem(): XentralProblem {
  return new XentralProblem({
    type: `${PROBLEM_BASE}unauthorized`,
    title: 'Unauthorized',
    status: 401,
    detail: 'A valid personal access token is required: send "Authorization: Bearer <token>".',
  });
}

export function notFoundProblem(detail: string): XentralProblem {
  return new XentralProblem({
    type: `${PROBLEM_BASE}not-found`,
    title: 'Not Found',
    status: 404,
    detail,
  });
}

export function invalidStatusProblem(detail: string): XentralProblem {
  return new XentralProblem({
    type: `${PROBLEM_BASE}invalid-status`,
    title: 'The resource cannot be modified in its current status.',
    status: 409,
    detail,
  });
}

export function conflictProblem(detail: string): XentralProblem {
  return new XentralProblem({
    type: `${PROBLEM_BASE}conflict`,
    title: 'Conflict',
    status: 409,
    detail,
  });
}

export function sendProblem(res: Response, problem: XentralProblem): void {
  res.status(problem.status).type('application/problem+json').json(problem.body);
}

/** "primaryAddress.zipCode" → "primary address.zip code", as Laravel words field names. */
function humanise(path: string): string {
  return path
    .split('.')
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase())
    .join('.');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function add(violations: Violations, path: string, message: string): void {
  const key = path === '' ? '_' : path;
  (violations[key] ??= []).push(message);
}

/**
 * Zod issues → Xentral violations with Laravel-style messages ("The primary address.street field
 * is required."), so adapters and their logs see what the real API would say.
 */
export function violationsFromZod(error: ZodError, input: unknown): Violations {
  const violations: Violations = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const field = humanise(path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const keyPath = path === '' ? key : `${path}.${key}`;
          add(violations, keyPath, `The ${humanise(keyPath)} field is not allowed.`);
        }
        break;
      case 'invalid_type':
        if (valueAt(input, issue.path) === undefined) {
          add(violations, path, `The ${field} field is required.`);
        } else if (issue.expected === 'object' && path === '') {
          add(violations, path, 'The request body must be a JSON object.');
        } else {
          add(violations, path, `The ${field} field must be a ${issue.expected}.`);
        }
        break;
      case 'invalid_value':
        add(violations, path, `The selected ${field} is invalid.`);
        break;
      case 'too_big':
        add(
          violations,
          path,
          `The ${field} field must not be greater than ${String(issue.maximum)}.`,
        );
        break;
      case 'too_small':
        add(violations, path, `The ${field} field must be at least ${String(issue.minimum)}.`);
        break;
      case 'invalid_format':
        add(violations, path, `The ${field} field format is invalid.`);
        break;
      case 'custom':
      case 'invalid_element':
      case 'invalid_key':
      case 'invalid_union':
      case 'not_multiple_of':
        add(violations, path, `The ${field} field is invalid: ${issue.message}`);
    }
  }
  return violations;
}

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/** The one place where the mock's API errors become responses. */
export function problemHandler(logger: Logger | undefined): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof XentralProblem) {
      sendProblem(res, error);
      return;
    }
    if (isBodyParserError(error) && error.status < 500) {
      sendProblem(
        res,
        validationProblem({
          _: [
            error.type === 'entity.parse.failed'
              ? 'The request body is not valid JSON.'
              : `The request body could not be read (${error.type}).`,
          ],
        }),
      );
      return;
    }
    logger?.error({ err: error, path: req.path }, 'xentral mock: unhandled error');
    sendProblem(
      res,
      new XentralProblem({
        type: `${PROBLEM_BASE}internal-server-error`,
        title: 'Internal Server Error',
        status: 500,
      }),
    );
  };
}
