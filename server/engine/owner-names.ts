import type { HubSpotOwnerRecord, XentralEmployeeRecord } from './model';
import { joinName, textKey } from './normalize';

/**
 * HubSpot users on a stock Xentral (RULES.md, rule 13): its public API lists employees with id,
 * number and name only, and cannot create one. An owner is linked to the one unlinked employee with
 * the same normalised full name; an owner without such an employee waits until an admin creates it
 * in Xentral. Pure: what to link and what to report.
 */

/** Case, spacing and accents do not tell two names apart: "Jürgen  MÜLLER" is "jurgen muller". */
export function personNameKey(name: string): string {
  return textKey(name)
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .normalize('NFC');
}

export interface OwnerNamePlan {
  links: { owner: HubSpotOwnerRecord; employee: XentralEmployeeRecord }[];
  /** No employee has the owner's name. */
  missing: HubSpotOwnerRecord[];
  /** Several unlinked employees have it: nothing is linked, the admin decides. */
  ambiguous: { owner: HubSpotOwnerRecord; employees: XentralEmployeeRecord[] }[];
}

export function planOwnerLinksByName(
  owners: readonly HubSpotOwnerRecord[],
  employees: readonly XentralEmployeeRecord[],
  linkedOwners: ReadonlySet<string>,
  linkedEmployees: ReadonlySet<string>,
): OwnerNamePlan {
  const byName = new Map<string, XentralEmployeeRecord[]>();
  for (const employee of employees) {
    if (linkedEmployees.has(employee.id)) continue;
    const key = personNameKey(employee.name);
    if (key === '') continue;
    byName.set(key, [...(byName.get(key) ?? []), employee]);
  }
  const plan: OwnerNamePlan = { links: [], missing: [], ambiguous: [] };
  const ownersByName = new Map<string, HubSpotOwnerRecord[]>();
  for (const owner of [...owners].sort((a, b) =>
    a.id.localeCompare(b.id, 'en', { numeric: true }),
  )) {
    if (!owner.active || linkedOwners.has(owner.id)) continue;
    const key = personNameKey(joinName(owner.firstName, owner.lastName));
    ownersByName.set(key, [...(ownersByName.get(key) ?? []), owner]);
  }
  for (const [key, named] of ownersByName) {
    const candidates = key === '' ? [] : (byName.get(key) ?? []);
    for (const owner of named) {
      if (candidates.length === 0) plan.missing.push(owner);
      // Two owners of one name, or two employees: which is which is the admin's call.
      else if (candidates.length > 1 || named.length > 1) {
        plan.ambiguous.push({ owner, employees: candidates });
      } else plan.links.push({ owner, employee: candidates[0]! });
    }
  }
  return plan;
}
