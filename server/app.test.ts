import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEnvelope } from '../shared/api/errors';
import { HealthResponse } from '../shared/api/health';
import { composeApp, type ComposedApp } from './compose';
import { listen, type ListeningServer } from './http/listen';
import { createLogger } from './logger';

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logLines.push(chunk.toString());
    callback();
  },
});

let server: ListeningServer;
let composed: ComposedApp;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-shell-'));
  // Nothing here reaches Xentral or HubSpot: their URLs are never called.
  composed = composeApp({
    dataDir,
    logger: createLogger({ level: 'info' }, sink),
    clock: () => new Date('2026-01-01T00:00:00Z'),
    version: '9.9.9',
    secrets: { appSecret: 's'.repeat(32), apiToken: 't'.repeat(24), launchSecret: 'l'.repeat(32) },
    xentral: { url: 'http://127.0.0.1:9', token: 'x', mode: 'embedded-mock' },
    hubspot: {
      apiUrl: 'http://127.0.0.1:9',
      authUrl: 'http://127.0.0.1:9/oauth/authorize',
      clientId: 'c',
      clientSecret: 's',
      mode: 'remote',
    },
    redirectUri: () => 'http://127.0.0.1/api/oauth/callback',
    secureCookies: false,
    appCenterUrl: null,
    clientDir: undefined,
  });
  server = await listen(composed.app, '127.0.0.1', 0);
});
afterAll(async () => {
  await server.close();
  await composed.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the HTTP shell', () => {
  it('answers GET /api/health without credentials', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.status).toBe(200);
    expect(HealthResponse.parse(await response.json())).toEqual({
      status: 'ok',
      version: '9.9.9',
      uptimeSeconds: 0,
      xentral: { mode: 'embedded-mock' },
      hubspot: { mode: 'remote' },
      appCenterUrl: null,
    });
  });

  it('sends security headers with a CSP the SPA satisfies', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('answers unknown API routes with the error envelope', async () => {
    const response = await fetch(`${server.url}/api/nope`, {
      headers: { authorization: `Bearer ${'t'.repeat(24)}` },
    });
    expect(response.status).toBe(404);
    expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('route_not_found');
  });

  it('turns malformed JSON into a 400 envelope', async () => {
    const response = await fetch(`${server.url}/api/settings`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', authorization: `Bearer ${'t'.repeat(24)}` },
      body: '{"mode":',
    });
    expect(response.status).toBe(400);
    expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('malformed_json');
  });

  it('turns an oversized body into a 413 envelope', async () => {
    const response = await fetch(`${server.url}/api/settings`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', authorization: `Bearer ${'t'.repeat(24)}` },
      body: JSON.stringify({ blob: 'x'.repeat(200_000) }),
    });
    expect(response.status).toBe(413);
    expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('payload_too_large');
  });

  it('redacts credentials from log lines', () => {
    const logger = createLogger({ level: 'info' }, sink);
    logger.info(
      { accessToken: 'at-secret', nested: { refresh_token: 'rt-secret' }, password: 'pw' },
      'connected',
    );
    const line = logLines.at(-1) ?? '';
    expect(line).toContain('connected');
    expect(line).not.toMatch(/at-secret|rt-secret|"pw"/);
  });
});
