import { describe, expect, it } from 'vitest';
import { buildConflict, resolvedAs } from './test-builders';
import { keepResolvedInPlace } from './resolved-in-place';

const [newest, middle, oldest] = [3, 2, 1].map((id) => buildConflict({ id, label: `#${id}` })) as [
  ReturnType<typeof buildConflict>,
  ReturnType<typeof buildConflict>,
  ReturnType<typeof buildConflict>,
];
const ids = (list: { id: number }[]) => list.map((conflict) => conflict.id);

describe('keepResolvedInPlace', () => {
  it('shows the loaded list as it is when nothing was resolved here', () => {
    expect(keepResolvedInPlace([newest, middle, oldest], new Map())).toEqual([
      newest,
      middle,
      oldest,
    ]);
  });

  it('keeps a conflict resolved here in its old place after the open list reloads without it', () => {
    const resolved = resolvedAs(middle, 'hubspot');
    const shown = keepResolvedInPlace([newest, oldest], new Map([[middle.id, resolved]]));
    expect(ids(shown)).toEqual([3, 2, 1]);
    expect(shown[1]).toBe(resolved);
  });

  it('shows the resolved state before the reload has answered', () => {
    const resolved = resolvedAs(newest, 'keep');
    const shown = keepResolvedInPlace([newest, middle], new Map([[newest.id, resolved]]));
    expect(shown).toEqual([resolved, middle]);
  });

  it('keeps several resolved conflicts, the first and the last of the list too', () => {
    const resolved = new Map([
      [newest.id, resolvedAs(newest, 'xentral')],
      [oldest.id, resolvedAs(oldest, 'hubspot')],
    ]);
    expect(ids(keepResolvedInPlace([middle], resolved))).toEqual([3, 2, 1]);
    expect(ids(keepResolvedInPlace([], resolved))).toEqual([3, 1]);
  });

  it('does not change the list it was given', () => {
    const loaded = [newest, oldest];
    keepResolvedInPlace(loaded, new Map([[middle.id, resolvedAs(middle, 'keep')]]));
    expect(ids(loaded)).toEqual([3, 1]);
  });
});
