import { useId, useState } from 'react';
import { ConflictList } from './conflict-list';
import { RunDetail } from './run-detail';
import { RunLog } from './run-log';

export function OverviewTab() {
  const [openRunId, setOpenRunId] = useState<number | null>(null);
  const detailId = useId();
  return (
    <div className="stack">
      <RunLog openRunId={openRunId} onOpen={setOpenRunId} detailId={detailId} />
      {openRunId !== null && (
        <RunDetail
          key={openRunId}
          runId={openRunId}
          id={detailId}
          onClose={() => setOpenRunId(null)}
        />
      )}
      <ConflictList />
    </div>
  );
}
