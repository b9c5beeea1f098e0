import type { Conflict } from '../../../shared/api/conflicts';

/**
 * The conflicts to show: the list as the server has it now, plus those resolved here since the
 * view opened, each in its old place. A resolved conflict leaves the "open" list on the next
 * load; if its card vanished, the next card would slide under the pointer and a second click
 * would resolve that one by accident. The answer of the resolve call is newer than a list loaded
 * before it, so it wins. Both come newest first, as the server orders them (by id).
 */
export function keepResolvedInPlace(
  loaded: readonly Conflict[],
  resolvedHere: ReadonlyMap<number, Conflict>,
): Conflict[] {
  if (resolvedHere.size === 0) return [...loaded];
  const byId = new Map(loaded.map((conflict) => [conflict.id, conflict]));
  for (const [id, conflict] of resolvedHere) byId.set(id, conflict);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
