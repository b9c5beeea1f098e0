import {
  canonicalOf,
  patchFor,
  unmappedCountry,
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
import { cleanText, companyNameKey, domainKey, emailKey } from './normalize';
import {
  skipSignature,
  type FieldChange,
  type PairRef,
  type Plan,
  type PlannedConflict,
  type PlannedCreate,
  type PlannedNote,
  type PlannedSkip,
  type SkipReason,
  type SystemPatch,
} from './plan';

/**
 * The planner: the rules of RULES.md (mapping, rules 1–13) as a pure function. It sees a slice of
 * both systems (snapshots), the links and their per-field ledger, the settings, and what was
 * already reported; it returns what to do. It reads no clock, no storage and no network, so the
 * same input always gives the same plan, and an unchanged world gives an empty one.
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

const SYSTEM_NAME: Record<System, string> = { xentral: 'Xentral', hubspot: 'HubSpot' };

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

function unknownCountryText(value: string): string {
  return `The country "${value}" names no ISO 3166 country, so it is not exchanged; a corrected value is.`;
}

/** Which way fields may flow for a pair or a source, under the mode and the import filter. */
function importEligible(type: ObjectType, settings: ExchangeSettings, record: AnyH): boolean {
  if (settings.mode === 'export') return false;
  if (type === 'user') return (record as HubSpotRecordByType['user']).active;
  // Rule 11: the import considers only the selected lifecycle stages; none selected → users only.
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
  private readonly skipped = new Map<
    string,
    { version: string; skips: Omit<PlannedSkip, 'signature'>[] }
  >();

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

  /**
   * Notes a skip. A record's skips in one plan are reported together, under one signature
   * (its reasons and version), so a record with two reasons is not reported in every run.
   */
  private skip(
    system: System,
    record: AnyX | AnyH,
    reason: SkipReason,
    detail: string,
    params?: Record<string, string>,
  ): void {
    const key = `${system}:${record.id}`;
    let entry = this.skipped.get(key);
    if (!entry) {
      entry = { version: record.updatedAt, skips: [] };
      this.skipped.set(key, entry);
    }
    if (entry.skips.some((skip) => skip.reason === reason)) return;
    entry.skips.push({
      system,
      id: record.id,
      reason,
      detail,
      ...(params ? { params } : {}),
      label: labelOf(record),
    });
  }

  /** The skips not already reported for the same reasons and record version. */
  finishSkips(): void {
    for (const [key, entry] of this.skipped) {
      const signature = skipSignature(
        entry.skips.map((skip) => skip.reason),
        entry.version,
      );
      if (this.input.knownSkips.get(key) === signature) continue;
      for (const skip of entry.skips) this.plan.skips.push({ ...skip, signature });
    }
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
    if (this.stageExcluded(h)) this.heldByStage(x, h, exchanged, frozen);
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
      if (xv === null || hv === null) {
        if (field === 'country') this.unmappedCountries(x, h, xv, hv, toHubSpot, toXentral);
        continue;
      }
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

  /** In Import and Sync mode, a HubSpot record whose lifecycle stage is not selected. */
  private stageExcluded(record: AnyH): boolean {
    const { type, settings } = this.input;
    if (type === 'user' || settings.mode === 'export') return false;
    return !settings.lifecycleStages.includes(
      (record as HubSpotRecordByType['contact']).lifecycleStage,
    );
  }

  /** Rule 8: a HubSpot record read and not imported because of its stage says so. */
  private stageSkip(record: AnyH): void {
    const stage = cleanText((record as HubSpotRecordByType['contact']).lifecycleStage);
    this.skip(
      'hubspot',
      record,
      'lifecycle_stage_not_selected',
      stage === ''
        ? 'It has no lifecycle stage; the import takes only the stages selected in Settings.'
        : `Its lifecycle stage "${stage}" is not selected for the import in Settings.`,
      { stage },
    );
  }

  /** A linked HubSpot record with values the import would fill in, but for its stage. */
  private heldByStage(
    x: AnyX,
    h: AnyH,
    exchanged: ReadonlySet<Field>,
    frozen: ReadonlySet<Field>,
  ): void {
    const held = this.fields.some((field) => {
      if (exchanged.has(field) || frozen.has(field)) return false;
      const xv = this.canon('xentral', x, field);
      const hv = this.canon('hubspot', h, field);
      return xv !== null && hv !== null && xv.value === '' && hv.value !== '';
    });
    if (held) this.stageSkip(h);
  }

  /**
   * Rule 9: a country that names no ISO country is never replaced by a default or written
   * across; the field is skipped with its reason wherever a known value would have gone
   * somewhere (into an empty field the mode writes, or against the other side's value).
   */
  private unmappedCountries(
    x: AnyX,
    h: AnyH,
    xv: CanonValue | null,
    hv: CanonValue | null,
    toHubSpot: boolean,
    toXentral: boolean,
  ): void {
    const inHubSpot = hv === null ? unmappedCountry(h as HubSpotRecordByType['contact']) : null;
    const inXentral = xv === null ? unmappedCountry(x as XentralRecordByType['contact']) : null;
    if (inHubSpot !== null && (xv === null || xv.value !== '' || toXentral)) {
      this.countrySkip('hubspot', h, inHubSpot);
    }
    if (inXentral !== null && (hv === null || hv.value !== '' || toHubSpot)) {
      this.countrySkip('xentral', x, inXentral);
    }
  }

  private countrySkip(system: System, record: AnyX | AnyH, value: string): void {
    this.skip(system, record, 'unknown_country', unknownCountryText(value), {
      field: 'country',
      value,
    });
  }

  /** Rule 1: a new target record with every non-empty, expressible source field. */
  private create(source: System, record: AnyX | AnyH, matchKey: string): void {
    const target: System = source === 'xentral' ? 'hubspot' : 'xentral';
    const { type, settings } = this.input;
    const patch: Record<string, unknown> = {};
    const exchanged: Field[] = [];
    const changes: FieldChange[] = [];
    let unknownCountry: string | null = null;
    for (const field of this.fields) {
      const value = this.canon(source, record, field);
      if (value === null && field === 'country') {
        unknownCountry = unmappedCountry(record as HubSpotRecordByType['contact']);
      }
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
      // Xentral requires these on create (M6): empty strings, the default country, and the project
      // from Settings for every record the import creates, never for existing ones (rule 12).
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
      // A default filled in for an empty value counts as exchanged: otherwise a sync would push
      // the default back into HubSpot as if someone had typed it into Xentral. One standing in
      // for a country that names no country does not (rule 9): when the value is corrected in
      // HubSpot, it meets the default and the admin decides.
      const filled: [Field, string][] = [];
      if (type === 'contact') filled.push(['salutation', settings.defaultSalutation]);
      if (type !== 'user') filled.push(['country', settings.defaultCountry]);
      for (const [field, value] of filled) {
        if (exchanged.includes(field)) continue;
        if (field !== 'country' || unknownCountry === null) exchanged.push(field);
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
    if (unknownCountry !== null) create.note = this.countryNote(target, record, unknownCountry);
    this.plan.creates.push(create);
  }

  /** Rule 9 on a create: the run item says what became of a country that names no country. */
  private countryNote(target: System, record: AnyX | AnyH, value: string): PlannedNote {
    // The skip the next runs would report for this version of the source: said once, here.
    const signature = skipSignature(['unknown_country'], record.updatedAt);
    if (target === 'xentral') {
      const country = this.input.settings.defaultCountry;
      return {
        reason: 'default_country',
        detail: `The country "${value}" names no ISO 3166 country: the default country ${country} was used.`,
        params: { field: 'country', value, country },
        signature,
      };
    }
    return {
      reason: 'unknown_country',
      detail: unknownCountryText(value),
      params: { field: 'country', value },
      signature,
    };
  }

  private isSource(system: System, record: AnyX | AnyH): boolean {
    const { type, settings } = this.input;
    return system === 'xentral'
      ? exportEligible(type, settings)
      : importEligible(type, settings, record as AnyH);
  }

  private domainOf(system: System, record: AnyX | AnyH): string {
    return domainKey(
      system === 'xentral'
        ? (record as XentralRecordByType['company']).website
        : (record as HubSpotRecordByType['company']).domain,
    );
  }

  /** Companies: name and domain; name alone only when one side has no domain (M1). */
  private byDomain<O extends AnyX | AnyH>(
    own: string,
    others: readonly O[],
    domainOf: (other: O) => string,
  ): O[] {
    if (this.input.type !== 'company') return [...others];
    const full = own === '' ? [] : others.filter((o) => domainOf(o) === own);
    if (full.length > 0) return full;
    return others.filter((o) => own === '' || domainOf(o) === '');
  }

  /** The records of the other system that `record` matches by the keys of its type. */
  private candidates<R extends AnyX | AnyH, S extends AnyX | AnyH>(
    system: System,
    record: R,
    others: readonly S[],
  ): S[] {
    const other: System = system === 'xentral' ? 'hubspot' : 'xentral';
    return this.byDomain(this.domainOf(system, record), others, (o) => this.domainOf(other, o));
  }

  /**
   * Rule 7: a new record whose only match on the other side is linked to another record, or
   * that matches a record of its own system created across in this plan, is a possible
   * duplicate: it is skipped, naming that record, rather than mirrored as a second one.
   */
  private possibleDuplicate(
    system: System,
    record: AnyX | AnyH,
    taken: readonly (AnyX | AnyH)[],
    created: readonly (AnyX | AnyH)[],
    key: string,
  ): boolean {
    if (this.input.type === 'user') return false;
    const other: System = system === 'xentral' ? 'hubspot' : 'xentral';
    const linked = this.candidates(system, record, taken);
    const twins =
      linked.length > 0
        ? []
        : this.byDomain(this.domainOf(system, record), created, (o) => this.domainOf(system, o));
    const named = linked.length > 0 ? linked : twins;
    if (named.length === 0) return false;
    const namedSystem = linked.length > 0 ? other : system;
    const ids = named.map((r) => r.id).join(', ');
    const labels = named.map((r) => labelOf(r)).join(', ');
    const match =
      this.input.type === 'contact'
        ? 'email'
        : this.domainOf(system, record) !== '' && this.domainOf(namedSystem, named[0]!) !== ''
          ? 'name_domain'
          : 'name';
    const how =
      match === 'email' ? 'e-mail address' : match === 'name' ? 'name' : 'name and domain';
    const subject = `${SYSTEM_NAME[namedSystem]} record "${labels}" (${ids}) matches it by ${how}`;
    this.skip(
      system,
      record,
      'possible_duplicate',
      linked.length > 0
        ? `Possible duplicate: ${subject} and is already linked to another record, so this one is not created there.`
        : `Possible duplicate: ${subject} and is exchanged instead, so this one is not created a second time.`,
      {
        case: linked.length > 0 ? 'taken' : 'twin',
        match,
        key,
        system: SYSTEM_NAME[namedSystem],
        id: ids,
        label: labels,
      },
    );
    return true;
  }

  /** Rules 1, 2 and 7 inside one match group. */
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
    // Records of the group linked already, or by this plan: no candidates, but what a new
    // record may be a duplicate of.
    const taken = {
      xentral: group.xentral.filter((m) => m.linked).map((m): AnyX => m.record),
      hubspot: group.hubspot.filter((m) => m.linked).map((m): AnyH => m.record),
    };

    const link = (x: AnyX, h: AnyH, matchedBy: Plan<T>['links'][number]['matchedBy']) => {
      this.plan.links.push({ xentralId: x.id, hubspotId: h.id, matchedBy, label: labelOf(x) });
      xs.splice(xs.indexOf(x), 1);
      hs.splice(hs.indexOf(h), 1);
      taken.xentral.push(x);
      taken.hubspot.push(h);
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
          (this.domainOf('xentral', x) !== '' && this.domainOf('hubspot', h) !== ''
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
    const involvedX = new Set(ambiguousX.map((x) => x.id));
    const involvedH = new Set(ambiguousH.map((h) => h.id));
    if (ambiguousX.length > 0 || ambiguousH.length > 0) {
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

    // No candidate left: rule 1, create on the target, unless it may be a duplicate (rule 7).
    const created = { xentral: [] as AnyX[], hubspot: [] as AnyH[] };
    for (const x of xs) {
      if (!this.isSource('xentral', x) || this.candidates('xentral', x, hs).length > 0) continue;
      if (this.possibleDuplicate('xentral', x, taken.hubspot, created.xentral, group.key)) continue;
      created.xentral.push(x);
      this.create('xentral', x, group.key);
    }
    for (const h of hs) {
      if (!this.isSource('hubspot', h)) {
        if (this.stageExcluded(h) && !involvedH.has(h.id)) this.stageSkip(h);
        continue;
      }
      if (this.candidates('hubspot', h, xs).length > 0) continue;
      if (this.possibleDuplicate('hubspot', h, taken.xentral, created.hubspot, group.key)) continue;
      created.hubspot.push(h);
      this.create('hubspot', h, group.key);
    }
  }

  keyless(system: System, record: AnyX | AnyH): void {
    if (!this.isSource(system, record)) {
      if (system === 'hubspot' && this.stageExcluded(record as AnyH))
        this.stageSkip(record as AnyH);
      return;
    }
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
  builder.finishSkips();
  return builder.plan;
}
