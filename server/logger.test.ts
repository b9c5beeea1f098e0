import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ level: 'info' }, sink), lines };
}

describe('the logger', () => {
  it('hides credentials but shows the codes of errors', () => {
    const { logger, lines } = capture();
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    logger.warn({ code: 'invalid_grant', err: reset }, 'HubSpot refresh refused');
    logger.info(
      {
        accessToken: 'at-1',
        nested: { refresh_token: 'rt-1', code: 'SQLITE_BUSY' },
        req: { query: { code: 'oauth-authorization-code', state: 's' } },
      },
      'with secrets',
    );
    expect(lines[0]).toMatchObject({ code: 'invalid_grant', err: { code: 'ECONNRESET' } });
    expect(lines[1]).toMatchObject({
      accessToken: '[redacted]',
      nested: { refresh_token: '[redacted]', code: 'SQLITE_BUSY' },
      req: { query: { code: '[redacted]', state: 's' } },
    });
    expect(JSON.stringify(lines)).not.toMatch(/at-1|rt-1|oauth-authorization-code/);
  });
});
