/**
 * Failures the services report, by what went wrong rather than how it is answered: the web
 * layer's one error middleware (server/http/errors.ts) maps each kind to its status code.
 */
export type FailureKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'upstream';

/** A failure with a kind and a stable snake_case code that clients can act on. */
export abstract class AppError extends Error {
  abstract readonly kind: FailureKind;

  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request asks for something that cannot be done as asked (a choice that does not apply). */
export class BadRequestError extends AppError {
  readonly kind = 'invalid';
  constructor(message: string, details?: unknown, code = 'bad_request') {
    super(code, message, details);
  }
}

/** Input that breaks a rule; `details` lists each problem with the path of its field. */
export class ValidationError extends AppError {
  readonly kind = 'invalid';
  constructor(message: string, details?: { path: string; message: string }[]) {
    super('validation_failed', message, details);
  }
}

export class NotFoundError extends AppError {
  readonly kind = 'not_found';
  constructor(message: string, code = 'not_found') {
    super(code, message);
  }
}

/** The request is fine but the state does not allow it now (a run is active, not connected). */
export class ConflictError extends AppError {
  readonly kind = 'conflict';
  constructor(message: string, code = 'conflict', details?: unknown) {
    super(code, message, details);
  }
}

/** HubSpot or Xentral did not do what was asked. */
export class UpstreamError extends AppError {
  readonly kind = 'upstream';
  constructor(message: string, code = 'upstream_error', details?: unknown) {
    super(code, message, details);
  }
}
