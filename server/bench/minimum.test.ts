import { describe, expect, it } from 'vitest';
import {
  batches,
  changedWorkload,
  changeSet,
  dealsWorkload,
  describeMinimum,
  exportWorkload,
  importWorkload,
  minimumRequests,
  onlyOnOneSide,
  pages,
  syncWorkload,
  unchangedWorkload,
  worldSize,
} from './minimum';

const tenThousand = worldSize(10_000, 10, 10);

describe('pages and batches', () => {
  it('an empty read still takes one request, an empty write none', () => {
    expect(pages(0, 100)).toBe(1);
    expect(pages(100, 100)).toBe(1);
    expect(pages(101, 100)).toBe(2);
    expect(batches(0, 100)).toBe(0);
    expect(batches(1, 100)).toBe(1);
    expect(batches(250, 100)).toBe(3);
  });
});

describe('minimum requests per scenario', () => {
  it('export into an empty HubSpot: Xentral pages of 100, HubSpot batches of 100, constants', () => {
    const minimum = minimumRequests(exportWorkload(tenThousand));
    // property 2 + owners 1 + empty searches 2 + contacts 100 + companies 20
    expect(minimum.hubspot).toBe(125);
    // customers ceil(12,000/100) + employees 1
    expect(minimum.xentral).toBe(121);
    expect(minimum.total).toBe(246);
  });

  it('import into an empty Xentral: search pages of 200, one POST per record and owner', () => {
    const minimum = minimumRequests(importWorkload(tenThousand));
    // owners 1 + contacts 50 + companies 10; no HubSpot writes, so no custom property
    expect(minimum.hubspot).toBe(61);
    // empty customer and employee lists 2 + 10,000 + 2,000 + 10 owners
    expect(minimum.xentral).toBe(12_012);
  });

  it('first sync with 30 % overlap creates what one side alone has, plus the edits counted by the run', () => {
    expect(onlyOnOneSide(10_000)).toBe(7_000);
    expect(onlyOnOneSide(2_000)).toBe(1_400);
    const minimum = minimumRequests(
      syncWorkload(tenThousand, { hubspot: { contact: 150, company: 0 }, xentral: 1_800 }),
    );
    // 2 + 1 + 50 + 10 searches + ceil(7,000/100) + ceil(1,400/100) creates + ceil(150/100) updates
    expect(minimum.hubspot).toBe(2 + 1 + 50 + 10 + 70 + 14 + 2);
    // reads 120 + 1, creates 7,000 + 1,400 + 10 owners, updates 1,800
    expect(minimum.xentral).toBe(121 + 8_410 + 1_800);
  });

  it('an unchanged sync costs one look per change feed: 5 requests at any size', () => {
    expect(minimumRequests(unchangedWorkload(tenThousand)).total).toBe(5);
    expect(minimumRequests(unchangedWorkload(worldSize(100_000, 10, 10))).total).toBe(5);
  });

  it('1 % changed on each side: half edited, half new; only the new ones are written', () => {
    const changes = changeSet(tenThousand);
    expect(changes).toEqual({
      edited: { contact: 50, company: 10 },
      added: { contact: 50, company: 10 },
    });
    const minimum = minimumRequests(changedWorkload(tenThousand, changes));
    // owners 1 + one search page per type + one batch create per type
    expect(minimum.hubspot).toBe(5);
    // one page of 120 changed customers... is two pages, employees 1, 60 creates
    expect(minimum.xentral).toBe(2 + 1 + 60);
  });

  it('deal sync: the change checks, one page of orders, the pipeline, deals in batches of 100', () => {
    const minimum = minimumRequests(dealsWorkload(tenThousand, 1_000));
    // owners 1 + two empty searches + pipelines 1 + ceil(1,000/100) batch creates
    expect(minimum.hubspot).toBe(1 + 2 + 1 + 10);
    // customers and employees checks + ceil(1,000/1,000) order pages
    expect(minimum.xentral).toBe(3);
  });

  it('describes each API as a sum of formulas', () => {
    const [hubspot, xentral] = describeMinimum(minimumRequests(exportWorkload(tenThousand)));
    expect(hubspot).toBe(
      'HubSpot 125 = xentral_id property 1 create per object type (409 = exists)=2 + owners max(1, ceil(10/500))=1 + contact search max(1, ceil(0/200))=1 + contact batch create ceil(10,000/100)=100 + company search max(1, ceil(0/200))=1 + company batch create ceil(2,000/100)=20',
    );
    expect(xentral).toBe(
      'Xentral 121 = customers read max(1, ceil(12,000/100))=120 + employees read max(1, ceil(10/50))=1',
    );
  });
});
