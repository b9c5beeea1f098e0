import { useQuery } from '@tanstack/react-query';
import { HealthResponse } from '../../shared/api/health';
import { apiFetch } from './api';

const modeLabel = { 'embedded-mock': 'Demo (eingebettet)', remote: 'verbunden' } as const;

export function App() {
  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => apiFetch('/api/health', HealthResponse),
  });

  return (
    <main className="page">
      <header className="page-header">
        <h1>HubSpot</h1>
        <p className="subtitle">Xentral App Center</p>
      </header>
      <section className="card" aria-live="polite">
        {health.isPending && <p>Verbindung zum Server wird geprüft …</p>}
        {health.isError && (
          <p role="alert" className="error">
            Der Server ist nicht erreichbar: {health.error.message}
          </p>
        )}
        {health.isSuccess && (
          <dl className="status" data-testid="health">
            <dt>Status</dt>
            <dd>Bereit (Version {health.data.version})</dd>
            <dt>Xentral</dt>
            <dd>{modeLabel[health.data.xentral.mode]}</dd>
            <dt>HubSpot</dt>
            <dd>{modeLabel[health.data.hubspot.mode]}</dd>
          </dl>
        )}
      </section>
    </main>
  );
}
