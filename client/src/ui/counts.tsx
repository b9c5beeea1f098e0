import { useTranslation } from 'react-i18next';
import type { RunCounts } from '../../../shared/api/runs';
import { useFormat } from '../i18n/format';

const SHOWN = ['created', 'edited', 'conflicts', 'skipped', 'failed'] as const;

/** erstellt / bearbeitet / Konflikte / übersprungen / fehlgeschlagen as a compact row of pills. */
export function Counts({ counts, testId }: { counts: RunCounts; testId?: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <dl className="counts" data-testid={testId}>
      {SHOWN.map((key) => (
        <div
          key={key}
          className={`count count-${key}${counts[key] > 0 ? ' count-nonzero' : ''}`}
          data-count={key}
        >
          <dt>{t(`countPill.${key}`, { count: counts[key] })}</dt>
          <dd>{format.number(counts[key])}</dd>
        </div>
      ))}
    </dl>
  );
}
