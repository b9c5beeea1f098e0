import { useQuery } from '@tanstack/react-query';
import { settingsQuery } from '../settings/queries';
import { LoadError, Loading } from '../ui/query-state';
import { RunProgress } from './run-progress';
import { ScheduleForm } from './schedule-form';
import { StartPanel } from './start-panel';

export function ActionTab() {
  const settings = useQuery(settingsQuery);
  if (settings.isPending) return <Loading />;
  if (settings.isError) {
    return <LoadError error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  return (
    <div className="action-grid">
      <div className="stack">
        <ScheduleForm saved={settings.data} />
        <StartPanel saved={settings.data} />
      </div>
      <RunProgress />
    </div>
  );
}
