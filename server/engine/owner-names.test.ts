import { describe, expect, it } from 'vitest';
import type { HubSpotOwnerRecord, XentralEmployeeRecord } from './model';
import { personNameKey, planOwnerLinksByName } from './owner-names';

const AT = '2026-02-01T00:00:00.000Z';

function owner(id: string, firstName: string, lastName: string, active = true): HubSpotOwnerRecord {
  return { id, updatedAt: AT, email: `${id}@example.com`, firstName, lastName, active };
}

function employee(id: string, name: string): XentralEmployeeRecord {
  return { id, updatedAt: AT, number: `9000${id}`, type: 'other', name, email: '', projectId: '' };
}

describe('owners by name on a stock Xentral', () => {
  it('normalises case, spacing and accents', () => {
    expect(personNameKey('  Jürgen   MÜLLER ')).toBe('jurgen muller');
    expect(personNameKey('Jürgen Müller')).toBe(personNameKey('Jurgen Muller'));
  });

  it('links the one employee of the same full name, names the missing and the ambiguous', () => {
    const plan = planOwnerLinksByName(
      [
        owner('1', 'Anna', 'Schmidt'),
        owner('2', 'Tim', 'Schulz'),
        owner('3', 'Max', 'Meier'),
        owner('4', 'Ida', 'Inaktiv', false),
        owner('5', '', ''),
      ],
      [employee('11', 'anna  schmidt'), employee('13', 'Max Meier'), employee('14', 'Max Meier')],
      new Set(),
      new Set(),
    );
    expect(plan.links.map((l) => [l.owner.id, l.employee.id])).toEqual([['1', '11']]);
    expect(plan.missing.map((o) => o.id)).toEqual(['2', '5']);
    expect(plan.ambiguous.map((a) => [a.owner.id, a.employees.map((e) => e.id)])).toEqual([
      ['3', ['13', '14']],
    ]);
  });

  it('leaves linked owners and employees alone, and two owners of one name unlinked', () => {
    const plan = planOwnerLinksByName(
      [owner('1', 'Anna', 'Schmidt'), owner('2', 'Lukas', 'Weber'), owner('3', 'Lukas', 'Weber')],
      [employee('11', 'Anna Schmidt'), employee('12', 'Lukas Weber')],
      new Set(['1']),
      new Set(['11']),
    );
    expect(plan.links).toEqual([]);
    expect(plan.missing).toEqual([]);
    expect(plan.ambiguous.map((a) => a.owner.id)).toEqual(['2', '3']);
  });

  it('an employee linked to another owner is no match: the owner waits for its own', () => {
    const plan = planOwnerLinksByName(
      [owner('2', 'Anna', 'Schmidt')],
      [employee('11', 'Anna Schmidt')],
      new Set(),
      new Set(['11']),
    );
    expect(plan.missing.map((o) => o.id)).toEqual(['2']);
  });
});
