import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_MOCK_XENTRAL_TOKEN, loadConfig } from './config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs both mocks embedded with the documented defaults when nothing is set', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/app', 'data'),
      logLevel: 'info',
      xentral: { mode: 'embedded-mock', mockPort: 4020, mockToken: DEFAULT_MOCK_XENTRAL_TOKEN },
      hubspot: { mode: 'embedded-mock', mockPort: 4010 },
    });
  });

  it('treats empty strings as unset, as .env files write them', () => {
    const config = loadConfig({ PORT: '', XENTRAL_URL: '', HUBSPOT_CLIENT_ID: '  ' }, '/srv');
    expect(config.port).toBe(3000);
    expect(config.xentral.mode).toBe('embedded-mock');
    expect(config.hubspot.mode).toBe('embedded-mock');
  });

  it('targets the real systems when their credentials are configured', () => {
    const config = loadConfig({
      XENTRAL_URL: 'https://acme.xentral.biz/',
      XENTRAL_TOKEN: 'pat-123',
      HUBSPOT_CLIENT_ID: 'client',
      HUBSPOT_CLIENT_SECRET: 'secret',
      HUBSPOT_REDIRECT_URI: 'https://app.example.com/api/oauth/callback',
    });
    expect(config.xentral).toEqual({
      mode: 'remote',
      url: 'https://acme.xentral.biz',
      token: 'pat-123',
    });
    expect(config.hubspot).toEqual({
      mode: 'remote',
      apiUrl: 'https://api.hubapi.com',
      authUrl: 'https://app.hubspot.com/oauth/authorize',
      clientId: 'client',
      clientSecret: 'secret',
      redirectUri: 'https://app.example.com/api/oauth/callback',
    });
  });

  it('lists every problem at once instead of stopping at the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      MOCK_HUBSPOT_PORT: '70000',
      APP_SECRET: 'short',
      XENTRAL_URL: 'ftp://xentral',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^MOCK_HUBSPOT_PORT: must be between 0 and 65535/),
        expect.stringMatching(/^APP_SECRET: must be at least 32 characters/),
        expect.stringMatching(/^XENTRAL_URL: must be an http\(s\) URL/),
        expect.stringMatching(/^LOG_LEVEL: /),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('reads the test knobs for pacing and read lag, off by default', () => {
    expect(loadConfig({}, '/srv')).toMatchObject({
      rateLimitTimeScale: 1,
      engineReadLagMs: undefined,
    });
    expect(
      loadConfig({ RATE_LIMIT_TIME_SCALE: '1000', ENGINE_READ_LAG_MS: '0' }, '/srv'),
    ).toMatchObject({ rateLimitTimeScale: 1000, engineReadLagMs: 0 });
    expect(problemsOf({ RATE_LIMIT_TIME_SCALE: '0.5', ENGINE_READ_LAG_MS: '-1' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_TIME_SCALE: must be at least 1/),
      expect.stringMatching(/^ENGINE_READ_LAG_MS: must not be negative/),
    ]);
  });

  it('names the missing half of a credential pair', () => {
    expect(problemsOf({ XENTRAL_URL: 'https://x.example' })).toEqual([
      expect.stringMatching(/^XENTRAL_TOKEN: required when XENTRAL_URL is set/),
    ]);
    expect(problemsOf({ HUBSPOT_CLIENT_ID: 'id', XENTRAL_TOKEN: 't' })).toEqual([
      expect.stringMatching(/^XENTRAL_URL: required/),
      expect.stringMatching(/^HUBSPOT_CLIENT_SECRET: required/),
    ]);
  });
});
