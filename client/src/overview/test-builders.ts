import type { Conflict } from '../../../shared/api/conflicts';

/** An open phone conflict with fixed dates; tests override what they are about. */
export function buildConflict(overrides: Partial<Conflict> = {}): Conflict {
  return {
    id: 1,
    kind: 'field',
    type: 'contact',
    label: 'Erika Mustermann',
    field: 'phone',
    matchKey: null,
    xentralIds: ['17'],
    hubspotIds: ['901'],
    xentralValue: '+49 30 1234567',
    hubspotValue: '+49 30 7654321',
    status: 'open',
    resolution: null,
    runId: 3,
    createdAt: '2026-03-02T08:00:00.000Z',
    resolvedAt: null,
    ...overrides,
  };
}

export const resolvedAs = (
  conflict: Conflict,
  resolution: NonNullable<Conflict['resolution']>,
): Conflict => ({
  ...conflict,
  status: 'resolved',
  resolution,
  resolvedAt: '2026-03-02T09:30:00.000Z',
});
