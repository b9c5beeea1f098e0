import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CryptoBox, UnsealError } from './crypto-box';
import { loadSecrets } from './secrets';

describe('CryptoBox', () => {
  it('round-trips, never repeats a ciphertext and refuses a tampered or foreign one', () => {
    const box = new CryptoBox('k'.repeat(32));
    const sealed = box.seal('refresh-token-123');
    expect(sealed).not.toContain('refresh-token-123');
    expect(box.seal('refresh-token-123')).not.toBe(sealed);
    expect(box.open(sealed)).toBe('refresh-token-123');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new CryptoBox('z'.repeat(32)).open(sealed)).toThrow();
  });
});

describe('CryptoBox key rotation', () => {
  it('opens with a previous key and says so, but seals with the current one only', () => {
    const sealedWithOld = new CryptoBox('o'.repeat(32)).seal('refresh-token-123');
    const rotated = new CryptoBox('n'.repeat(32), ['o'.repeat(32)]);
    expect(rotated.unseal(sealedWithOld)).toEqual({
      plain: 'refresh-token-123',
      withPreviousKey: true,
    });
    const resealed = rotated.seal('refresh-token-123');
    expect(new CryptoBox('n'.repeat(32)).unseal(resealed).withPreviousKey).toBe(false);
    expect(() => new CryptoBox('o'.repeat(32)).open(resealed)).toThrow(UnsealError);
    expect(() => new CryptoBox('n'.repeat(32)).open(sealedWithOld)).toThrow(UnsealError);
  });
});

describe('loadSecrets', () => {
  it('keeps a generated APP_SECRET that a configured one replaced as a previous key', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-secrets-'));
    const generated = loadSecrets({
      dataDir,
      appSecret: undefined,
      apiToken: undefined,
      launchSecret: undefined,
    });
    expect(generated.previousAppSecrets).toEqual([]);
    const configured = loadSecrets({
      dataDir,
      appSecret: 'c'.repeat(32),
      previousAppSecret: 'p'.repeat(32),
      apiToken: undefined,
      launchSecret: undefined,
    });
    expect(configured.appSecret).toBe('c'.repeat(32));
    expect(configured.previousAppSecrets).toEqual(['p'.repeat(32), generated.appSecret]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates missing secrets once, in a private file, and keeps configured ones', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xhs-secrets-'));
    const first = loadSecrets({
      dataDir,
      appSecret: undefined,
      apiToken: 'a'.repeat(24),
      launchSecret: undefined,
    });
    expect(first.apiToken).toBe('a'.repeat(24));
    expect(first.generated.sort()).toEqual(['appSecret', 'launchSecret']);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);
    const second = loadSecrets({
      dataDir,
      appSecret: undefined,
      apiToken: undefined,
      launchSecret: undefined,
    });
    expect(second.appSecret).toBe(first.appSecret);
    expect(second.launchSecret).toBe(first.launchSecret);
    fs.rmSync(dataDir, { recursive: true });
  });
});
