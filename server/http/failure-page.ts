import type { Request } from 'express';
import type { AppError } from '../services/errors';

/**
 * How a page endpoint says that something failed: an HTML page for the status, with the
 * error's words when it is the visitor's problem (`error` is null for our own failures).
 */
export type FailurePage = (status: number, error: AppError | null) => string;

const failurePages = new WeakMap<Request, FailurePage>();

export function setFailurePage(req: Request, page: FailurePage): void {
  failurePages.set(req, page);
}

/** The failure page of the page endpoint serving `req`, if it is one. */
export function failurePageOf(req: Request): FailurePage | undefined {
  return failurePages.get(req);
}
