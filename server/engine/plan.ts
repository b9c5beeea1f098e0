import type {
  Field,
  HubSpotRecordByType,
  MatchedBy,
  ObjectType,
  System,
  XentralRecordByType,
} from './model';

/** A linked pair, by its link id when it exists already, or new from this plan (linkId null). */
export interface PairRef {
  linkId: number | null;
  xentralId: string;
  hubspotId: string;
}

export interface FieldChange {
  field: Field;
  /** Canonical values; `before` is the target's value, '' for an empty field. */
  before: string;
  after: string;
}

export type SystemPatch<T extends ObjectType> =
  Partial<XentralRecordByType[T]> | Partial<HubSpotRecordByType[T]>;

export interface PlannedLink {
  xentralId: string;
  hubspotId: string;
  matchedBy: MatchedBy;
  label: string;
}

/** Rule 1: create on the target, then link and mark `exchanged` (the non-empty source fields). */
export interface PlannedCreate<T extends ObjectType> {
  target: System;
  sourceId: string;
  /** System-record fields for the new target record, including required defaults. */
  patch: SystemPatch<T>;
  exchanged: Field[];
  changes: FieldChange[];
  /** Match keys of the new record, for finding it again if the answer to the create is lost. */
  matchKey: string;
  label: string;
  /** What the run item says besides the fields: a value that could not go across as it was. */
  note?: PlannedNote;
}

/**
 * A reason on a created record's item (rule 9: on a create the default applies, and the run
 * item says so). `signature` is the skip the next runs would report for the same
 * source version; it is remembered with the create, so the record is not reported twice.
 */
export interface PlannedNote {
  reason: 'default_country' | 'unknown_country';
  detail: string;
  params: Record<string, string>;
  signature: string;
}

/** Rule 3: fill empty target fields of a linked pair, then mark them exchanged. */
export interface PlannedWrite<T extends ObjectType> {
  target: System;
  targetId: string;
  pair: PairRef;
  patch: SystemPatch<T>;
  changes: FieldChange[];
  label: string;
}

/** Rule 3: equal after normalisation — mark exchanged without writing. */
export interface PlannedMark {
  pair: PairRef;
  fields: Field[];
}

export type PlannedConflict =
  | {
      kind: 'field';
      key: string;
      pair: PairRef;
      field: Field;
      xentralValue: string;
      hubspotValue: string;
      label: string;
    }
  | {
      kind: 'ambiguous';
      key: string;
      /** The match key the records share (e-mail, or company name). */
      matchKey: string;
      xentralIds: string[];
      hubspotIds: string[];
      label: string;
    };

export type SkipReason =
  | 'no_email'
  | 'no_name'
  | 'possible_duplicate'
  | 'unknown_country'
  | 'lifecycle_stage_not_selected';

export interface PlannedSkip {
  system: System;
  id: string;
  reason: SkipReason;
  /**
   * The record's reasons in this plan plus its version: the same skip is reported once, and
   * again after a change. Every skip of one record in one plan carries the same signature.
   */
  signature: string;
  detail: string;
  /** Values the detail names, for saying it in another language. */
  params?: Record<string, string>;
  label: string;
}

/** The signature of a record's skips: its reasons and the version they were seen in. */
export function skipSignature(reasons: readonly string[], version: string): string {
  return `${[...reasons].sort().join('+')}@${version}`;
}

/**
 * The same skips after the app itself wrote the record: a version of our own making is no news
 * to report again. undefined when `signature` was not taken at `from`.
 */
export function restampSignature(signature: string, from: string, to: string): string | undefined {
  const suffix = `@${from}`;
  return signature.endsWith(suffix) ? `${signature.slice(0, -suffix.length)}@${to}` : undefined;
}

export interface Plan<T extends ObjectType> {
  type: T;
  links: PlannedLink[];
  creates: PlannedCreate<T>[];
  writes: PlannedWrite<T>[];
  marks: PlannedMark[];
  conflicts: PlannedConflict[];
  skips: PlannedSkip[];
  /**
   * Every ambiguity the planner saw, new or already known. Not an action: it lets the executor
   * retire open ambiguity conflicts whose records have since been sorted out.
   */
  ambiguityKeys: string[];
}

export function isEmptyPlan(plan: Plan<ObjectType>): boolean {
  return (
    plan.links.length === 0 &&
    plan.creates.length === 0 &&
    plan.writes.length === 0 &&
    plan.marks.length === 0 &&
    plan.conflicts.length === 0 &&
    plan.skips.length === 0
  );
}
