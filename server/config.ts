import path from 'node:path';
import { z } from 'zod';

/**
 * The one place that reads the environment, validated once at start. Every problem is collected and
 * reported together, so an admin fixes the configuration in one go instead of one error per start.
 */

const optionalString = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().optional(),
);

const port = (fallback: number) =>
  z.preprocess(
    (value) => (value === undefined || value === '' ? fallback : value),
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535'),
  );

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));

const EnvSchema = z.object({
  PORT: port(3000),
  HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
  DATA_DIR: optionalString.transform((v) => v ?? './data'),
  LOG_LEVEL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  APP_SECRET: optionalString.pipe(
    z
      .string()
      .min(32, 'must be at least 32 characters (it derives the token encryption key)')
      .optional(),
  ),
  APP_SECRET_PREVIOUS: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters (the APP_SECRET used before)').optional(),
  ),
  APP_API_TOKEN: optionalString.pipe(
    z.string().min(24, 'must be at least 24 characters').optional(),
  ),
  APP_LAUNCH_SECRET: optionalString.pipe(
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  XENTRAL_URL: optionalString.pipe(httpUrl.optional()),
  XENTRAL_TOKEN: optionalString,
  HUBSPOT_API_URL: optionalString.pipe(httpUrl.optional()),
  HUBSPOT_AUTH_URL: optionalString.pipe(httpUrl.optional()),
  HUBSPOT_CLIENT_ID: optionalString,
  HUBSPOT_CLIENT_SECRET: optionalString,
  HUBSPOT_REDIRECT_URI: optionalString.pipe(httpUrl.optional()),
  MOCK_HUBSPOT_PORT: port(4010),
  MOCK_XENTRAL_PORT: port(4020),
  MOCK_XENTRAL_TOKEN: optionalString,
  MOCK_SEED: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce.number().int('must be a whole number').optional(),
  ),
  RATE_LIMIT_TIME_SCALE: z.preprocess(
    (value) => (value === undefined || value === '' ? 1 : value),
    z.coerce
      .number({ error: 'must be a number' })
      .min(1, "must be at least 1 (1 = the vendors' real limits)"),
  ),
  ENGINE_READ_LAG_MS: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number of milliseconds')
      .min(0, 'must not be negative')
      .optional(),
  ),
});

/** The personal access token the embedded Xentral mock accepts unless MOCK_XENTRAL_TOKEN says otherwise. */
export const DEFAULT_MOCK_XENTRAL_TOKEN = 'xentral-demo-token-0000000000000000';
export const DEFAULT_HUBSPOT_API_URL = 'https://api.hubapi.com';
export const DEFAULT_HUBSPOT_AUTH_URL = 'https://app.hubspot.com/oauth/authorize';

export type XentralTarget =
  | { mode: 'embedded-mock'; mockPort: number; mockToken: string }
  | { mode: 'remote'; url: string; token: string };

export type HubSpotTarget =
  | { mode: 'embedded-mock'; mockPort: number; redirectUri: string | undefined }
  | {
      mode: 'remote';
      apiUrl: string;
      authUrl: string;
      clientId: string;
      clientSecret: string;
      redirectUri: string | undefined;
    };

export interface Config {
  port: number;
  host: string;
  /** Absolute path of the folder that holds the SQLite file and generated keys. */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  appSecret: string | undefined;
  /** The APP_SECRET before a rotation: opens stored tokens so they are re-sealed with the new one. */
  previousAppSecret: string | undefined;
  apiToken: string | undefined;
  launchSecret: string | undefined;
  xentral: XentralTarget;
  hubspot: HubSpotTarget;
  mockSeed: number;
  /**
   * Test knob: the vendors' rate-limit windows are divided by this (1 = their real limits).
   * Only for mocks, whose limits are off unless a test turns them on.
   */
  rateLimitTimeScale: number;
  /**
   * Test knob: how old a change must be before a run reads it, for both systems; undefined
   * keeps the engine's defaults (HubSpot's search index trails writes by up to 30 s).
   */
  engineReadLagMs: number | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(
  env: Record<string, string | undefined>,
  cwd: string = process.cwd(),
): Config {
  const parsed = EnvSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (!parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  if (e.XENTRAL_URL && !e.XENTRAL_TOKEN) {
    problems.push(
      'XENTRAL_TOKEN: required when XENTRAL_URL is set (a Xentral personal access token)',
    );
  }
  if (!e.XENTRAL_URL && e.XENTRAL_TOKEN) {
    problems.push('XENTRAL_URL: required when XENTRAL_TOKEN is set (the base URL of your Xentral)');
  }
  if (e.HUBSPOT_CLIENT_ID) {
    if (!e.HUBSPOT_CLIENT_SECRET) {
      problems.push('HUBSPOT_CLIENT_SECRET: required when HUBSPOT_CLIENT_ID is set');
    }
  } else if (e.HUBSPOT_CLIENT_SECRET) {
    problems.push('HUBSPOT_CLIENT_ID: required when HUBSPOT_CLIENT_SECRET is set');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const xentral: XentralTarget =
    e.XENTRAL_URL && e.XENTRAL_TOKEN
      ? { mode: 'remote', url: e.XENTRAL_URL, token: e.XENTRAL_TOKEN }
      : {
          mode: 'embedded-mock',
          mockPort: e.MOCK_XENTRAL_PORT,
          mockToken: e.MOCK_XENTRAL_TOKEN ?? DEFAULT_MOCK_XENTRAL_TOKEN,
        };

  const hubspot: HubSpotTarget =
    e.HUBSPOT_CLIENT_ID && e.HUBSPOT_CLIENT_SECRET
      ? {
          mode: 'remote',
          apiUrl: e.HUBSPOT_API_URL ?? DEFAULT_HUBSPOT_API_URL,
          authUrl: e.HUBSPOT_AUTH_URL ?? DEFAULT_HUBSPOT_AUTH_URL,
          clientId: e.HUBSPOT_CLIENT_ID,
          clientSecret: e.HUBSPOT_CLIENT_SECRET,
          redirectUri: e.HUBSPOT_REDIRECT_URI,
        }
      : {
          mode: 'embedded-mock',
          mockPort: e.MOCK_HUBSPOT_PORT,
          redirectUri: e.HUBSPOT_REDIRECT_URI,
        };

  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    appSecret: e.APP_SECRET,
    previousAppSecret: e.APP_SECRET_PREVIOUS,
    apiToken: e.APP_API_TOKEN,
    launchSecret: e.APP_LAUNCH_SECRET,
    xentral,
    hubspot,
    mockSeed: e.MOCK_SEED ?? 42,
    rateLimitTimeScale: e.RATE_LIMIT_TIME_SCALE,
    engineReadLagMs: e.ENGINE_READ_LAG_MS,
  };
}
