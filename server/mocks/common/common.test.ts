import { describe, expect, it } from 'vitest';
import { asciiSlug, demoCompany, demoPerson } from './demo-data';
import { hashSeed, SeededRandom } from './random';
import { SlidingWindowLimiter } from './rate-limit';
import { endpointTemplate, RequestStats } from './stats';

describe('seeded data', () => {
  it('is the same for the same seed and index, and differs across seeds', () => {
    expect(demoPerson(7, 123)).toEqual(demoPerson(7, 123));
    expect(demoCompany(7, 5)).toEqual(demoCompany(7, 5));
    expect(demoPerson(8, 123)).not.toEqual(demoPerson(7, 123));
    expect(new SeededRandom(hashSeed(1, 2)).next()).toBe(new SeededRandom(hashSeed(1, 2)).next());
  });

  it('gives every index its own e-mail and domain', () => {
    const emails = new Set(Array.from({ length: 2000 }, (_, i) => demoPerson(1, i).email));
    const domains = new Set(Array.from({ length: 2000 }, (_, i) => demoCompany(1, i).domain));
    expect(emails.size).toBe(2000);
    expect(domains.size).toBe(2000);
    expect(demoPerson(1, 3).email).toMatch(/^[a-z0-9.-]+\.3@[a-z.]+$/);
  });

  it('slugs German and accented names to ASCII', () => {
    expect(asciiSlug('Jürgen Öztürk-Groß')).toBe('juergen-oeztuerk-gross');
    expect(asciiSlug('Zoë van der Berg')).toBe('zoe-van-der-berg');
  });
});

describe('SlidingWindowLimiter', () => {
  it('allows `limit` requests in any window and frees slots as they age out', () => {
    const limiter = new SlidingWindowLimiter();
    for (let i = 0; i < 3; i++) expect(limiter.take('p', 3, 1000, i * 100).allowed).toBe(true);
    const refused = limiter.take('p', 3, 1000, 500);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, resetMs: 500 });
    expect(limiter.take('other', 3, 1000, 500).allowed).toBe(true);
    expect(limiter.take('p', 3, 1000, 1000)).toMatchObject({ allowed: true, remaining: 0 });
  });
});

describe('RequestStats', () => {
  it('groups ids into one endpoint and counts 429s', () => {
    expect(endpointTemplate('/crm/v3/objects/contacts/12345')).toBe('/crm/v3/objects/contacts/:id');
    const stats = new RequestStats(() => new Date('2026-01-01T00:00:00Z'));
    stats.record('GET /a', 200);
    stats.record('GET /a', 429);
    expect(stats.snapshot()).toEqual({
      since: '2026-01-01T00:00:00.000Z',
      total: 2,
      rateLimited: 1,
      endpoints: { 'GET /a': { count: 2, statuses: { '200': 1, '429': 1 } } },
    });
  });
});
