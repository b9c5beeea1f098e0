import express, { type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { BadRequestError } from '../services/errors';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors';

const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Content-Encodings the API takes. body-parser would also take zstd, but only on the Node
 * versions that have it: the API answers the same on every supported Node.
 */
const ENCODINGS = new Set(['identity', 'gzip', 'deflate', 'br']);

const parseJson = express.json({ limit: BODY_LIMIT_BYTES, strict: true });

/** What body-parser attaches to the errors it passes on (http-errors). */
const BodyParserFailure = z.object({
  type: z.string().optional(),
  status: z.number().int().optional(),
});

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function encodingOf(req: Request): string {
  return (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
}

function failureOf(error: unknown, encoding: string): unknown {
  const failure = BodyParserFailure.safeParse(error);
  if (!failure.success || failure.data.status === undefined || failure.data.status >= 500) {
    return error;
  }
  switch (failure.data.type ?? '') {
    case 'entity.parse.failed':
      return new BadRequestError(
        'The request body is not valid JSON.',
        undefined,
        'malformed_json',
      );
    case 'entity.too.large':
      return new PayloadTooLargeError(
        `The request body is larger than the allowed ${BODY_LIMIT_BYTES} bytes.`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(
        'The request body encoding is not supported.',
        'unsupported_encoding',
      );
    default:
      // A stream that is not what its Content-Encoding says (zlib refused it), or a body that
      // ended before its Content-Length: the client's bytes, not our failure.
      return new BadRequestError(
        encoding === 'identity'
          ? 'The request body could not be read: it ended before its Content-Length.'
          : `The request body could not be read: it is not valid ${encoding} data.`,
        undefined,
        'unreadable_body',
      );
  }
}

/**
 * Reads a JSON request body, after the credentials were checked: a client without them never
 * learns how the API treats a body. The App API speaks JSON only: a body the JSON parser does
 * not take (form data, plain text, a missing Content-Type) would otherwise be dropped unseen
 * and the request carried out as if it had none, so it is refused (415).
 */
export const readJsonBody: RequestHandler = (req, res, next) => {
  if (!hasBody(req)) {
    next();
    return;
  }
  const encoding = encodingOf(req);
  if (!ENCODINGS.has(encoding)) {
    next(
      new UnsupportedMediaTypeError(
        'The request body encoding is not supported: send it as it is, or with Content-Encoding gzip, deflate or br.',
        'unsupported_encoding',
      ),
    );
    return;
  }
  parseJson(req, res, (error?: unknown) => {
    if (error !== undefined) {
      next(failureOf(error, encoding));
      return;
    }
    if (req.body === undefined) {
      next(
        new UnsupportedMediaTypeError(
          'Send the request body as JSON, with Content-Type: application/json.',
        ),
      );
      return;
    }
    next();
  });
};
