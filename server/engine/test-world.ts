import type {
  ExchangeSettings,
  Field,
  HubSpotRecordByType,
  Link,
  ObjectType,
  XentralRecordByType,
} from './model';
import { restampSignature, type Plan, type PairRef } from './plan';
import { planExchange } from './planner';
import { assemblePlanInput } from './snapshot';
import { buildSettings, ownerLinks } from './test-builders';

/**
 * Both systems and the ledger in memory, with a naive executor: enough to run the planner
 * several times in a row and watch what the rules do across runs.
 */
export class FakeWorld<T extends ObjectType> {
  xentral = new Map<string, XentralRecordByType[T]>();
  hubspot = new Map<string, HubSpotRecordByType[T]>();
  links: Link[] = [];
  exchanged = new Map<number, Set<Field>>();
  openConflicts = new Map<string, { linkId: number | null; field: Field | null }>();
  skips = new Map<string, string>();
  settings: ExchangeSettings;
  owners = ownerLinks();
  private nextId = 7000;
  private clockTick = 0;

  constructor(
    readonly type: T,
    seed: { xentral?: XentralRecordByType[T][]; hubspot?: HubSpotRecordByType[T][] } = {},
    settings: Partial<ExchangeSettings> = {},
  ) {
    for (const record of seed.xentral ?? []) this.xentral.set(record.id, record);
    for (const record of seed.hubspot ?? []) this.hubspot.set(record.id, record);
    this.settings = buildSettings(settings);
  }

  private stamp(): string {
    this.clockTick += 1;
    return new Date(Date.UTC(2026, 1, 1, 0, 0, this.clockTick)).toISOString();
  }

  /** Changes a record the way an admin would in that system. */
  edit(system: 'xentral' | 'hubspot', id: string, patch: Record<string, unknown>): void {
    const map = (system === 'xentral' ? this.xentral : this.hubspot) as Map<string, object>;
    const record = map.get(id);
    if (!record) throw new Error(`no ${system} record ${id}`);
    map.set(id, { ...record, ...patch, updatedAt: this.stamp() });
  }

  remove(system: 'xentral' | 'hubspot', id: string): void {
    (system === 'xentral' ? this.xentral : this.hubspot).delete(id);
  }

  linkOf(pair: PairRef): Link {
    const link =
      pair.linkId !== null
        ? this.links.find((l) => l.id === pair.linkId)
        : this.links.find((l) => l.xentralId === pair.xentralId && l.hubspotId === pair.hubspotId);
    if (!link) throw new Error(`no link for ${JSON.stringify(pair)}`);
    return link;
  }

  plan(): Plan<T> {
    const linkedX = new Set(this.links.map((l) => l.xentralId));
    const linkedH = new Set(this.links.map((l) => l.hubspotId));
    const frozen = new Map<number, Set<Field>>();
    for (const conflict of this.openConflicts.values()) {
      if (conflict.linkId === null || conflict.field === null) continue;
      const set = frozen.get(conflict.linkId) ?? new Set<Field>();
      set.add(conflict.field);
      frozen.set(conflict.linkId, set);
    }
    return planExchange(
      assemblePlanInput({
        type: this.type,
        settings: this.settings,
        owners: this.owners,
        xentral: [...this.xentral.values()],
        hubspot: [...this.hubspot.values()],
        pairs: this.links.map((link) => ({
          link,
          exchanged: this.exchanged.get(link.id) ?? new Set(),
          frozen: frozen.get(link.id) ?? new Set(),
        })),
        linkedXentral: linkedX,
        linkedHubSpot: linkedH,
        knownConflicts: new Set(this.openConflicts.keys()),
        knownSkips: this.skips,
      }),
    );
  }

  private addLink(xentralId: string, hubspotId: string, matchedBy: Link['matchedBy']): Link {
    const link: Link = {
      id: this.links.length + 1,
      type: this.type,
      xentralId,
      hubspotId,
      matchedBy,
    };
    this.links.push(link);
    return link;
  }

  private markExchanged(link: Link, fields: Iterable<Field>): void {
    const set = this.exchanged.get(link.id) ?? new Set<Field>();
    for (const field of fields) set.add(field);
    this.exchanged.set(link.id, set);
  }

  /** Applies a plan the way the real executor does, minus the network. */
  apply(plan: Plan<T>): void {
    for (const link of plan.links) this.addLink(link.xentralId, link.hubspotId, link.matchedBy);
    // Remembered before the writes go out, as the executor does.
    for (const skip of plan.skips) this.skips.set(`${skip.system}:${skip.id}`, skip.signature);
    for (const create of plan.creates) {
      const source = create.target === 'xentral' ? 'hubspot' : 'xentral';
      if (create.note) this.skips.set(`${source}:${create.sourceId}`, create.note.signature);
      const id = String(this.nextId++);
      const base = { id, updatedAt: this.stamp() };
      if (create.target === 'xentral') {
        this.xentral.set(id, { ...base, ...create.patch } as XentralRecordByType[T]);
        this.markExchanged(this.addLink(id, create.sourceId, 'created'), create.exchanged);
      } else {
        this.hubspot.set(id, { ...base, ...create.patch } as HubSpotRecordByType[T]);
        this.markExchanged(this.addLink(create.sourceId, id, 'created'), create.exchanged);
      }
    }
    for (const write of plan.writes) {
      const key = `${write.target}:${write.targetId}`;
      const before = (write.target === 'xentral' ? this.xentral : this.hubspot).get(write.targetId);
      this.edit(write.target, write.targetId, write.patch);
      const after = (write.target === 'xentral' ? this.xentral : this.hubspot).get(write.targetId);
      const known = this.skips.get(key);
      const restamped =
        known && before && after
          ? restampSignature(known, before.updatedAt, after.updatedAt)
          : undefined;
      if (restamped) this.skips.set(key, restamped);
      this.markExchanged(
        this.linkOf(write.pair),
        write.changes.map((c) => c.field),
      );
    }
    for (const mark of plan.marks) this.markExchanged(this.linkOf(mark.pair), mark.fields);
    for (const conflict of plan.conflicts) {
      this.openConflicts.set(conflict.key, {
        linkId: conflict.kind === 'field' ? this.linkOf(conflict.pair).id : null,
        field: conflict.kind === 'field' ? conflict.field : null,
      });
    }
  }

  run(): Plan<T> {
    const plan = this.plan();
    this.apply(plan);
    return plan;
  }
}
