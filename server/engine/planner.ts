import {
  canonicalOf,
  patchFor,
  type CanonContext,
  type CanonValue,
  type OwnerLinks,
} from './canonical';
import {
  FIELDS,
  type ExchangeSettings,
  type Field,
  type HubSpotRecordByType,
  type Link,
  type ObjectType,
  type System,
  type XentralRecordByType,
} from './model';
import { companyNameKey, domainKey, emailKey } from './normalize';
import type {
  FieldChange,
  PairRef,
  Plan,
  PlannedConflict,
  PlannedCreate,
  PlannedSkip,
  SkipReason,
  SystemPatch,
} from './plan';

/**
 * The planner: SPEC §3 as a pure function. It sees a slice of both systems (snapshots), the
 * links and their per-field ledger, the settings, and what was already reported; it returns
 * what to do. It reads no clock, no storage and no network, so the same input always gives the
 * same plan, and an unchanged world gives an empty one.
 */

export interface PairSnapshot<T extends ObjectType> {
  link: Link;
  /** undefined when the record is gone from that system (rule 5: the link is a tombstone). */
  xentral: XentralRecordByType[T] | undefined;
  hubspot: HubSpotRecordByType[T] | undefined;
  /** Fields already exchanged (rule 4): never touched again. */
  exchanged: ReadonlySet<Field>;
  /** Fields with an open conflict: left alone until an admin resolves them. */
  frozen: ReadonlySet<Field>;
}

export interface GroupMember<R> {
  record: R;
  /** Linked to some record already: not a match candidate (rule 2). */
  linked: boolean;
}

/**
 * Every record of both systems that shares one match key: the e-mail for contacts and users,
 * the normalised name for companies (the domain rule is applied inside the group).
 */
export interface MatchGroup<T extends ObjectType> {
  key: string;
  xentral: GroupMember<XentralRecordByType[T]>[];
  hubspot: GroupMember<HubSpotRecordByType[T]>[];
}

export interface PlanInput<T extends ObjectType> {
  type: T;
  settings: ExchangeSettings;
  owners: OwnerLinks;
  pairs: PairSnapshot<T>[];
  groups: MatchGroup<T>[];
  /** Unlinked records without a match key (no e-mail, no company name). */
  keyless: { xentral: XentralRecordByType[T][]; hubspot: HubSpotRecordByType[T][] };
  /** Conflicts already open or settled as "keep": not raised again. */
  knownConflicts: ReadonlySet<string>;
  /** "system:id" → signature of the skip already reported for that record. */
  knownSkips: ReadonlyMap<string, string>;
}

type AnyX = XentralRecordByType[ObjectType];
type AnyH = HubSpotRecordByType[ObjectType];

/** The key that groups records for matching. '' means the record cannot be matched. */
export function matchKeyOf(type: ObjectType, record: AnyX | AnyH): string {
  if (type === 'company') return companyNameKey((record as { name: string }).name);
  return emailKey((record as { email: string }).email);
}

/** What the run log shows for a record: its name, else its e-mail, else its id. */
export function labelOf(record: AnyX | AnyH): string {
  const r = record as Partial<Record<'name' | 'firstName' | 'lastName' | 'email', string>>;
  const name = r.name ?? `${r.firstName ?? ''} ${r.lastName ?? ''}`.trim();
  return name || r.email || `#${record.id}`;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id.localeCompare(b.id, 'en', { numeric: true });
}

export function fieldConflictKey(type: ObjectType, pair: PairRef, field: Field): string {
  return `field:${type}:${pair.xentralId}:${pair.hubspotId}:${field}`;
}

export function ambiguityKey(
  type: ObjectType,
  matchKey: string,
  xentralIds: readonly string[],
  hubspotIds: readonly string[],
): string {
  return `ambiguous:${type}:${matchKey}:x${xentralIds.join(',')}:h${hubspotIds.join(',')}`;
}

/** Which way fields may flow for a pair or a source, under the mode and the import filter. */
function importEligible(type: ObjectType, settings: ExchangeSettings, record: AnyH): boolean {
  if (settings.mode === 'export') return false;
  if (type === 'user') return (record as HubSpotRecordByType['user']).active;
  // SPEC §3: the import considers only the selected lifecycle stages; none selected → users only.
  const stage = (record as HubSpotRecordByType['contact']).lifecycleStage;
  return settings.lifecycleStages.includes(stage);
}

function exportEligible(type: ObjectType, settings: ExchangeSettings): boolean {
  // HubSpot users cannot be created or changed through the API: users flow one way only.
  return settings.mode !== 'import' && type !== 'user';
}

class PlanBuilder<T extends ObjectType> {
  readonly plan: Plan<T>;
  private readonly ctx: CanonContext;
  private readonly fields: readonly Field[];

  constructor(private readonly input: PlanInput<T>) {
    this.plan = {
      type: input.type,
      links: [],
      creates: [],
      writes: [],
      marks: [],
      conflicts: [],
      skips: [],
      ambiguityKeys: [],
    };
    this.ctx = { defaultSalutation: input.settings.defaultSalutation, owners: input.owners };
    this.fields = FIELDS[input.type];
  }

  private canon(system: System, record: AnyX | AnyH, field: Field): CanonValue | null {
    return canonicalOf(system, this.input.type, field, record as never, this.ctx);
  }

  private patch(system: System, field: Field, value: string): SystemPatch<T> | null {
    return patchFor<T>(system, this.input.type, field, value, this.ctx);
  }

  private skip(
    system: System,
    record: AnyX | AnyH,
    reason: SkipReason,
    detail: string,
    params?: Record<string, string>,
  ): void {
    const key = `${system}:${record.id}`;
    const signature = `${reason}@${record.updatedAt}`;
    if (this.input.knownSkips.get(key) === signature) return;
    const skip: PlannedSkip = {
      system,
      id: record.id,
      reason,
      signature,
      detail,
      ...(params ? { params } : {}),
      label: labelOf(record),
    };
    this.plan.skips.push(skip);
  }

  private conflict(conflict: PlannedConflict): void {
    if (this.input.knownConflicts.has(conflict.key)) return;
    this.plan.conflicts.push(conflict);
  }

  /** Rule 3 (and 4, 5) for one linked pair. */
  pair(
    pair: PairRef,
    x: AnyX | undefined,
    h: AnyH | undefined,
    exchanged: ReadonlySet<Field>,
    frozen: ReadonlySet<Field>,
  ): void {
    if (!x || !h) return; // rule 5: a record deleted on one side is neither re-created nor deleted
    const { type, settings } = this.input;
    const toHubSpot = exportEligible(type, settings);
    const toXentral = importEligible(type, settings, h);
    if (!toHubSpot && !toXentral) return;

    const marks: Field[] = [];
    const writes: Record<System, { patch: SystemPatch<T>; changes: FieldChange[] }> = {
      xentral: { patch: {}, changes: [] },
      hubspot: { patch: {}, changes: [] },
    };
    for (const field of this.fields) {
      if (exchanged.has(field) || frozen.has(field)) continue;
      const xv = this.canon('xentral', x, field);
      const hv = this.canon('hubspot', h, field);
      if (xv === null || hv === null) continue;
      if (xv.value === '' && hv.value === '') continue;
      if (xv.key === hv.key) {
        marks.push(field);
        continue;
      }
      const fill = (target: System, value: string) => {
        const patch = this.patch(target, field, value);
        if (!patch) return;
        Object.assign(writes[target].patch, patch);
        writes[target].changes.push({ field, before: '', after: value });
      };
      if (hv.value === '') {
        if (toHubSpot) fill('hubspot', xv.value);
      } else if (xv.value === '') {
        if (toXentral) fill('xentral', hv.value);
      } else {
        this.conflict({
          kind: 'field',
          key: fieldConflictKey(type, pair, field),
          pair,
          field,
          xentralValue: xv.value,
          hubspotValue: hv.value,
          label: labelOf(x),
        });
      }
    }
    if (marks.length > 0) this.plan.marks.push({ pair, fields: marks });
    for (const target of ['hubspot', 'xentral'] as const) {
      const { patch, changes } = writes[target];
      if (changes.length === 0) continue;
      this.plan.writes.push({
        target,
        targetId: target === 'xentral' ? x.id : h.id,
        pair,
        patch,
        changes,
        label: labelOf(target === 'xentral' ? x : h),
      });
    }
  }

  /** Rule 1: a new target record with every non-empty, expressible source field. */
  private create(source: System, record: AnyX | AnyH, matchKey: string): void {
    const target: System = source === 'xentral' ? 'hubspot' : 'xentral';
    const { type, settings } = this.input;
    const patch: Record<string, unknown> = {};
    const exchanged: Field[] = [];
    const changes: FieldChange[] = [];
    for (const field of this.fields) {
      const value = this.canon(source, record, field);
      if (value === null || value.value === '') continue;
      const fieldPatch = this.patch(target, field, value.value);
      if (!fieldPatch) continue;
      Object.assign(patch, fieldPatch);
      exchanged.push(field);
      changes.push({ field, before: '', after: value.value });
    }
    let full: Record<string, unknown>;
    if (target === 'hubspot') {
      // Our unique property makes the create an upsert: a retry after a lost answer finds the
      // record it made instead of making a second one.
      full = { ...patch, xentralId: record.id };
    } else {
      // Xentral requires these on create (SPEC §1): empty strings, the default country, and the
      // project from Settings for every record the import creates (never for existing ones).
      const defaults: Record<string, unknown> = {
        name: '',
        street: '',
        zip: '',
        city: '',
        country: settings.defaultCountry,
        type: type === 'company' ? 'company' : settings.defaultSalutation,
        projectId: settings.projectId ?? '',
      };
      if (type === 'user') {
        // An employee is an address and needs a name: an owner without one is named by e-mail.
        defaults.name = (record as HubSpotRecordByType['user']).email;
        delete defaults.street;
        delete defaults.zip;
        delete defaults.city;
        delete defaults.country;
      }
      full = { ...defaults, ...patch };
      // A default we had to fill in counts as exchanged: otherwise a sync would push the
      // default back into HubSpot as if someone had typed it into Xentral.
      const filled: [Field, string][] = [];
      if (type === 'contact') filled.push(['salutation', settings.defaultSalutation]);
      if (type !== 'user') filled.push(['country', settings.defaultCountry]);
      for (const [field, value] of filled) {
        if (exchanged.includes(field)) continue;
        exchanged.push(field);
        changes.push({ field, before: '', after: value });
      }
    }
    const create: PlannedCreate<T> = {
      target,
      sourceId: record.id,
      patch: full as SystemPatch<T>,
      exchanged,
      changes,
      matchKey,
      label: labelOf(record),
    };
    this.plan.creates.push(create);
  }

  private isSource(system: System, record: AnyX | AnyH): boolean {
    const { type, settings } = this.input;
    return system === 'xentral'
      ? exportEligible(type, settings)
      : importEligible(type, settings, record as AnyH);
  }

  /** Companies: name and domain; name alone only when one side has no domain (SPEC §1). */
  private candidates<R extends AnyX | AnyH, S extends AnyX | AnyH>(
    system: System,
    record: R,
    others: readonly S[],
  ): S[] {
    if (this.input.type !== 'company') return [...others];
    const other: System = system === 'xentral' ? 'hubspot' : 'xentral';
    const domainOf = (s: System, r: AnyX | AnyH) =>
      domainKey(
        s === 'xentral'
          ? (r as XentralRecordByType['company']).website
          : (r as HubSpotRecordByType['company']).domain,
      );
    const own = domainOf(system, record);
    const full = own === '' ? [] : others.filter((o) => domainOf(other, o) === own);
    if (full.length > 0) return full;
    return others.filter((o) => own === '' || domainOf(other, o) === '');
  }

  /** Rules 1 and 2 inside one match group. */
  group(group: MatchGroup<T>): void {
    const { type } = this.input;
    const xs: AnyX[] = group.xentral
      .filter((m) => !m.linked)
      .map((m) => m.record)
      .sort(byId);
    const hs: AnyH[] = group.hubspot
      .filter((m) => !m.linked)
      .map((m) => m.record)
      .sort(byId);
    const linkedHubSpot = group.hubspot.some((m) => m.linked);
    let hubspotTakenInPlan = false;

    const link = (x: AnyX, h: AnyH, matchedBy: Plan<T>['links'][number]['matchedBy']) => {
      this.plan.links.push({ xentralId: x.id, hubspotId: h.id, matchedBy, label: labelOf(x) });
      xs.splice(xs.indexOf(x), 1);
      hs.splice(hs.indexOf(h), 1);
      hubspotTakenInPlan = true;
      const pair: PairRef = { linkId: null, xentralId: x.id, hubspotId: h.id };
      this.pair(pair, x, h, new Set(), new Set());
    };

    // A HubSpot record we created carries the Xentral id: that is a certain match (it also
    // re-finds records whose create answer was lost in a crash).
    if (type !== 'user') {
      for (const h of [...hs]) {
        const xentralId = (h as HubSpotRecordByType['contact']).xentralId;
        const x = xentralId ? xs.find((candidate) => candidate.id === xentralId) : undefined;
        if (x) link(x, h, 'xentral_id');
      }
    }

    // Link mutual unique matches until none is left; each link can free up others.
    const matchedBy = type === 'company' ? undefined : 'email';
    for (let changed = true; changed;) {
      changed = false;
      for (const x of xs) {
        const forX = this.candidates('xentral', x, hs);
        if (forX.length !== 1) continue;
        const h = forX[0] as AnyH;
        const forH = this.candidates('hubspot', h, xs);
        if (forH.length !== 1 || forH[0] !== x) continue;
        // A pair is linked only when the mode considers one of them (users: always, so the
        // owner ↔ Back office mapping works in every mode).
        if (type !== 'user' && !this.isSource('xentral', x) && !this.isSource('hubspot', h)) {
          continue;
        }
        const how =
          matchedBy ??
          (domainKey((x as XentralRecordByType['company']).website) !== '' &&
          domainKey((h as HubSpotRecordByType['company']).domain) !== ''
            ? 'name_domain'
            : 'name');
        link(x, h, how);
        changed = true;
        break;
      }
    }

    // More than one possible partner: an ambiguous match, nothing linked or created.
    const ambiguousX = xs.filter(
      (x) => this.isSource('xentral', x) && this.candidates('xentral', x, hs).length > 0,
    );
    const ambiguousH = hs.filter(
      (h) => this.isSource('hubspot', h) && this.candidates('hubspot', h, xs).length > 0,
    );
    if (ambiguousX.length > 0 || ambiguousH.length > 0) {
      const involvedX = new Set(ambiguousX.map((x) => x.id));
      const involvedH = new Set(ambiguousH.map((h) => h.id));
      for (const x of ambiguousX)
        for (const h of this.candidates('xentral', x, hs)) involvedH.add(h.id);
      for (const h of ambiguousH)
        for (const x of this.candidates('hubspot', h, xs)) involvedX.add(x.id);
      const xentralIds = [...involvedX].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      const hubspotIds = [...involvedH].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      const key = ambiguityKey(type, group.key, xentralIds, hubspotIds);
      this.plan.ambiguityKeys.push(key);
      this.conflict({
        kind: 'ambiguous',
        key,
        matchKey: group.key,
        xentralIds,
        hubspotIds,
        label: group.key,
      });
    }

    // No candidate left (or only linked ones): rule 1, create on the target.
    const hubspotEmailTaken = linkedHubSpot || hubspotTakenInPlan;
    let hubspotCreated = false;
    for (const x of xs) {
      if (!this.isSource('xentral', x) || this.candidates('xentral', x, hs).length > 0) continue;
      if (type === 'contact') {
        // HubSpot keeps one contact per e-mail: a second one can never be created.
        if (hubspotEmailTaken) {
          this.skip(
            'xentral',
            x,
            'duplicate_email',
            `A HubSpot contact with the e-mail ${group.key} is already linked to another Xentral customer.`,
            { email: group.key, case: 'taken' },
          );
          continue;
        }
        if (hubspotCreated) {
          this.skip(
            'xentral',
            x,
            'duplicate_email',
            `Another Xentral customer with the e-mail ${group.key} is exported to HubSpot instead.`,
            { email: group.key, case: 'twin' },
          );
          continue;
        }
        hubspotCreated = true;
      }
      this.create('xentral', x, group.key);
    }
    for (const h of hs) {
      if (!this.isSource('hubspot', h) || this.candidates('hubspot', h, xs).length > 0) continue;
      this.create('hubspot', h, group.key);
    }
  }

  keyless(system: System, record: AnyX | AnyH): void {
    if (!this.isSource(system, record)) return;
    if (this.input.type === 'company') {
      this.skip(system, record, 'no_name', 'Companies without a name are not exchanged.');
    } else {
      this.skip(system, record, 'no_email', 'Records without an e-mail address are not exchanged.');
    }
  }
}

export function planExchange<T extends ObjectType>(input: PlanInput<T>): Plan<T> {
  const builder = new PlanBuilder(input);
  for (const snapshot of input.pairs) {
    const { link } = snapshot;
    builder.pair(
      { linkId: link.id, xentralId: link.xentralId, hubspotId: link.hubspotId },
      snapshot.xentral,
      snapshot.hubspot,
      snapshot.exchanged,
      snapshot.frozen,
    );
  }
  for (const group of input.groups) builder.group(group);
  for (const record of input.keyless.xentral) builder.keyless('xentral', record);
  for (const record of input.keyless.hubspot) builder.keyless('hubspot', record);
  return builder.plan;
}
