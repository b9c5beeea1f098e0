import type { RequestHandler } from 'express';
import { AppError } from './errors';

/**
 * The App API speaks JSON only. A body the JSON parser did not take (form data, plain text, a
 * missing Content-Type) would otherwise be dropped unseen and the request carried out as if it
 * had none — a DELETE with a body meant for another route, say. It is refused instead (415).
 */
export const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  const length = req.headers['content-length'];
  const hasBody =
    req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (req.body === undefined && hasBody) {
    next(
      new AppError(
        415,
        'unsupported_media_type',
        'Send the request body as JSON, with Content-Type: application/json.',
      ),
    );
    return;
  }
  next();
};
