import { describe, expect, it } from 'vitest';
import { WorkTally } from './run-context';

describe('WorkTally', () => {
  it('adds every part into one total that grows while a read has no count', () => {
    const work = new WorkTally();
    work.plansPending();
    work.report('reading:user', 5, 5);
    work.report('reading:hubspot:contact', 100, null);
    // Plans not counted yet: one per record read.
    expect(work.overall()).toEqual({ done: 105, total: 210, growing: true });
    work.finish('reading:hubspot:contact');
    expect(work.overall()).toEqual({ done: 105, total: 210, growing: true });
    work.expect('writing:user', 5);
    work.expect('writing:contact', 40);
    work.planned();
    expect(work.overall()).toEqual({ done: 105, total: 150, growing: false });
    work.report('writing:user', 5, 5);
    work.report('writing:contact', 10, 40);
    expect(work.overall()).toEqual({ done: 120, total: 150, growing: false });
  });

  it('knows a read’s size ahead from the list’s count, and never counts more done than there is', () => {
    const work = new WorkTally();
    work.expect('reading:xentral:customers', 250);
    work.report('reading:xentral:customers', 50, null);
    expect(work.overall()).toEqual({ done: 50, total: 250, growing: false });
    // A window that gained records while it was read: the size follows what was done.
    work.report('reading:xentral:customers', 260, null);
    expect(work.overall()).toEqual({ done: 260, total: 260, growing: false });
    // A part that finishes short of its estimate is as big as what it did.
    work.expect('writing:contact', 40);
    work.report('writing:contact', 30, null);
    work.finish('writing:contact');
    expect(work.overall()).toEqual({ done: 290, total: 290, growing: false });
  });
});
