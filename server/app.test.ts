import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEnvelope } from '../shared/api/errors';
import { HealthResponse } from '../shared/api/health';
import { createApp } from './app';
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
beforeAll(async () => {
  const app = createApp({
    logger: createLogger({ level: 'info' }, sink),
    clock: () => new Date('2026-01-01T00:00:00Z'),
    version: '9.9.9',
    modes: { xentral: 'embedded-mock', hubspot: 'remote' },
    clientDir: undefined,
  });
  server = await listen(app, '127.0.0.1', 0);
});
afterAll(() => server.close());

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
    });
  });

  it('answers unknown API routes with the error envelope and 404', async () => {
    const response = await fetch(`${server.url}/api/nope`);
    expect(response.status).toBe(404);
    const body = ErrorEnvelope.parse(await response.json());
    expect(body.error.code).toBe('route_not_found');
  });

  it('turns malformed JSON into a 400 envelope', async () => {
    const response = await fetch(`${server.url}/api/health`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"mode":',
    });
    expect(response.status).toBe(400);
    expect(ErrorEnvelope.parse(await response.json()).error.code).toBe('malformed_json');
  });

  it('turns an oversized body into a 413 envelope', async () => {
    const response = await fetch(`${server.url}/api/health`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
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
