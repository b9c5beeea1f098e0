import { Suspense, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Loading } from './query-state';

export interface TabDefinition<Id extends string> {
  id: Id;
  label: string;
  panel: ReactNode;
}

/**
 * WAI-ARIA tabs: one tab stop for the list, arrow keys (and Home/End) move between tabs.
 * A panel mounts when its tab is first selected (so a tab whose code loads lazily is fetched
 * only then) and then stays mounted (hidden), so unsaved input survives a look at another tab.
 */
export function Tabs<Id extends string>(props: {
  label: string;
  tabs: TabDefinition<Id>[];
  selected: Id;
  onSelect: (id: Id) => void;
}) {
  const { tabs, selected, onSelect } = props;
  const refs = useRef(new Map<Id, HTMLButtonElement>());
  const [visited, setVisited] = useState<ReadonlySet<Id>>(() => new Set([selected]));
  // Derived during render, not in an effect: the selected panel mounts in the same render.
  if (!visited.has(selected)) setVisited(new Set([...visited, selected]));

  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = tabs.length - 1;
    const target =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    if (target === null) return;
    event.preventDefault();
    const tab = tabs[target];
    if (!tab) return;
    onSelect(tab.id);
    refs.current.get(tab.id)?.focus();
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label={props.label} className="tab-list">
        {tabs.map((tab, index) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) refs.current.set(tab.id, element);
              else refs.current.delete(tab.id);
            }}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-controls={`panel-${tab.id}`}
            aria-selected={tab.id === selected}
            tabIndex={tab.id === selected ? 0 : -1}
            className="tab"
            onClick={() => onSelect(tab.id)}
            onKeyDown={(event) => move(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tabpanel"
          id={`panel-${tab.id}`}
          aria-labelledby={`tab-${tab.id}`}
          hidden={tab.id !== selected}
          className="tab-panel"
          tabIndex={0}
        >
          {visited.has(tab.id) && <Suspense fallback={<Loading />}>{tab.panel}</Suspense>}
        </div>
      ))}
    </div>
  );
}
