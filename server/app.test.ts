import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENDPOINT_NAMES, ENDPOINTS } from '../shared/api/endpoints';
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

/** What Express keeps of each registered route and middleware (the `router` package's Layer). */
const Layers = z.array(
  z.object({
    name: z.string(),
    route: z.object({ path: z.unknown(), methods: z.record(z.string(), z.boolean()) }).optional(),
  }),
);

describe('the routes', () => {
  const layers = () => Layers.parse(composed.app.router.stack);

  it('are exactly the endpoints of the table: none missing, none beside it', () => {
    const registered = layers().flatMap((layer) =>
      layer.route && typeof layer.route.path === 'string'
        ? Object.keys(layer.route.methods).map(
            (method) => `${method.toUpperCase()} ${String(layer.route?.path)}`,
          )
        : [],
    );
    const table = ENDPOINT_NAMES.map((name) => `${ENDPOINTS[name].method} ${ENDPOINTS[name].path}`);
    expect(registered.sort()).toEqual(table.sort());
  });

  it('each need credentials, walked from what Express registered, unless the table says public', async () => {
    const routes = layers().flatMap((layer) =>
      layer.route && typeof layer.route.path === 'string'
        ? Object.keys(layer.route.methods).map((method) => ({
            method: method.toUpperCase(),
            path: String(layer.route?.path),
          }))
        : [],
    );
    const isPublic = (method: string, routePath: string) =>
      ENDPOINT_NAMES.some(
        (name) =>
          ENDPOINTS[name].method === method &&
          ENDPOINTS[name].path === routePath &&
          ENDPOINTS[name].access === 'public',
      );
    let refused = 0;
    for (const { method, path: routePath } of routes) {
      if (isPublic(method, routePath)) continue;
      const url = `${server.url}${routePath.replace(/:[A-Za-z]+/g, '1')}`;
      const response = await fetch(url, { method, redirect: 'manual' });
      expect(response.status, `${method} ${routePath}`).toBe(401);
      refused++;
    }
    expect(refused).toBe(ENDPOINT_NAMES.filter((n) => ENDPOINTS[n].access !== 'public').length);
  });

  it('are not hidden in routers of their own, where the comparison would not see them', () => {
    expect(layers().filter((layer) => layer.name === 'router')).toEqual([]);
  });

  it('are all in the README, with the same method and path', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const section = /## App API\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const listed = [...section.matchAll(/^\| `(GET|POST|PUT|DELETE) (\/[^`?\s]*)/gm)].map(
      (match) => `${match[1]} ${match[2]}`,
    );
    const table = ENDPOINT_NAMES.map((name) => `${ENDPOINTS[name].method} ${ENDPOINTS[name].path}`);
    expect(listed.sort()).toEqual(table.sort());
  });
});
