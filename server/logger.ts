import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Every key that may carry a credential, at any of the depths our log calls use. Tokens,
 * secrets and passwords must never reach a log line: anyone who reads the logs could otherwise
 * act on the HubSpot portal or the Xentral instance.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'client_secret',
  'clientSecret',
  'authorizationCode',
];
/**
 * `code` is not among them: errors carry theirs there (ECONNRESET, invalid_grant, SQLITE_BUSY),
 * which a log must show. The one `code` that is a credential, the OAuth authorization code,
 * travels in the callback's query.
 */
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'query.code',
  '*.query.code',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
