import type { OwnerLinks } from './canonical';
import type {
  ExchangeSettings,
  Field,
  HubSpotRecordByType,
  Link,
  ObjectType,
  XentralRecordByType,
} from './model';
import { matchKeyOf, type MatchGroup, type PairSnapshot, type PlanInput } from './planner';

export interface LedgerEntry {
  link: Link;
  exchanged: ReadonlySet<Field>;
  frozen: ReadonlySet<Field>;
}

export interface SnapshotSlice<T extends ObjectType> {
  type: T;
  settings: ExchangeSettings;
  owners: OwnerLinks;
  /** Every record of the slice: the ones to plan and their possible partners. */
  xentral: readonly XentralRecordByType[T][];
  hubspot: readonly HubSpotRecordByType[T][];
  /** Links whose pairs this slice plans. */
  pairs: readonly LedgerEntry[];
  /** Ids of every linked record among `xentral` / `hubspot` (linked ones are no candidates). */
  linkedXentral: ReadonlySet<string>;
  linkedHubSpot: ReadonlySet<string>;
  /** Unlinked records whose matching this slice plans; the others only serve as candidates. */
  subjects?: { xentral: ReadonlySet<string>; hubspot: ReadonlySet<string> };
  knownConflicts: ReadonlySet<string>;
  knownSkips: ReadonlyMap<string, string>;
}

/** Turns a slice of both systems into the planner's input: pairs, match groups, keyless. */
export function assemblePlanInput<T extends ObjectType>(slice: SnapshotSlice<T>): PlanInput<T> {
  const { type } = slice;
  const xentralById = new Map(slice.xentral.map((r) => [r.id, r]));
  const hubspotById = new Map(slice.hubspot.map((r) => [r.id, r]));

  const pairs: PairSnapshot<T>[] = slice.pairs.map(({ link, exchanged, frozen }) => ({
    link,
    xentral: xentralById.get(link.xentralId),
    hubspot: hubspotById.get(link.hubspotId),
    exchanged,
    frozen,
  }));

  const groups = new Map<string, MatchGroup<T>>();
  const groupFor = (key: string) => {
    let group = groups.get(key);
    if (!group) {
      group = { key, xentral: [], hubspot: [] };
      groups.set(key, group);
    }
    return group;
  };
  const keyless: PlanInput<T>['keyless'] = { xentral: [], hubspot: [] };
  const isSubjectX = (id: string) => !slice.subjects || slice.subjects.xentral.has(id);
  const isSubjectH = (id: string) => !slice.subjects || slice.subjects.hubspot.has(id);

  // Groups exist for keys of unlinked subjects; other records join them as candidates.
  const subjectKeys = new Set<string>();
  for (const record of slice.xentral) {
    if (slice.linkedXentral.has(record.id) || !isSubjectX(record.id)) continue;
    const key = matchKeyOf(type, record);
    if (key === '') keyless.xentral.push(record);
    else subjectKeys.add(key);
  }
  // A HubSpot record made from a Xentral record carries its id (our unique property): it joins
  // that record's group even when its own key has changed since, so it is found, not re-made.
  const keyOfHubSpot = (record: HubSpotRecordByType[T]): string => {
    const xentralId = 'xentralId' in record ? record.xentralId : '';
    const origin = xentralId ? xentralById.get(xentralId) : undefined;
    if (origin && !slice.linkedXentral.has(origin.id) && !slice.linkedHubSpot.has(record.id)) {
      const key = matchKeyOf(type, origin);
      if (key !== '') return key;
    }
    return matchKeyOf(type, record);
  };
  for (const record of slice.hubspot) {
    if (slice.linkedHubSpot.has(record.id) || !isSubjectH(record.id)) continue;
    const key = keyOfHubSpot(record);
    if (key === '') keyless.hubspot.push(record);
    else subjectKeys.add(key);
  }
  for (const record of slice.xentral) {
    const key = matchKeyOf(type, record);
    if (!subjectKeys.has(key)) continue;
    groupFor(key).xentral.push({ record, linked: slice.linkedXentral.has(record.id) });
  }
  for (const record of slice.hubspot) {
    const key = keyOfHubSpot(record);
    if (!subjectKeys.has(key)) continue;
    groupFor(key).hubspot.push({ record, linked: slice.linkedHubSpot.has(record.id) });
  }

  return {
    type,
    settings: slice.settings,
    owners: slice.owners,
    pairs,
    groups: [...groups.values()].sort((a, b) => a.key.localeCompare(b.key)),
    keyless,
    knownConflicts: slice.knownConflicts,
    knownSkips: slice.knownSkips,
  };
}
