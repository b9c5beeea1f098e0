import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { isExpired, keepDraft, takeKeptDraft } from './kept-draft';

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const numberOf = (value: unknown) => (typeof value === 'number' ? value : undefined);

describe('a draft kept across the end of a session', () => {
  it('is read back once, then forgotten', () => {
    const storage = memoryStorage();
    keepDraft('settings', 42, storage);
    expect(takeKeptDraft('settings', numberOf, storage)).toBe(42);
    expect(takeKeptDraft('settings', numberOf, storage)).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });

  it('belongs to one form', () => {
    const storage = memoryStorage();
    keepDraft('mode', 1, storage);
    expect(takeKeptDraft('settings', numberOf, storage)).toBeUndefined();
    expect(takeKeptDraft('mode', numberOf, storage)).toBe(1);
  });

  it('is dropped when it does not parse, or is not JSON', () => {
    const storage = memoryStorage();
    keepDraft('settings', 'not a number', storage);
    expect(takeKeptDraft('settings', numberOf, storage)).toBeUndefined();
    storage.setItem('hubspot-app:kept-draft:settings', '{broken');
    expect(takeKeptDraft('settings', numberOf, storage)).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });

  it('survives a storage that refuses writes', () => {
    const refusing = {
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => keepDraft('settings', 1, refusing)).not.toThrow();
  });
});

describe('an expired session', () => {
  const unauthorized = new ApiError(401, 'unauthorized', 'Not signed in');
  it('is a 401 after the session was there', () => {
    expect(isExpired(true, unauthorized)).toBe(true);
  });
  it('is not a visit that never had a session', () => {
    expect(isExpired(false, unauthorized)).toBe(false);
  });
  it('is not another failure', () => {
    expect(isExpired(true, new ApiError(503, 'unavailable', 'Down'))).toBe(false);
    expect(isExpired(true, null)).toBe(false);
  });
});
