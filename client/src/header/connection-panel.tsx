import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionResponse } from '../../../shared/api/connection';
import { useRemoveConnection } from '../connection/mutations';
import { CONNECT_URL, connectionQuery } from '../connection/queries';
import { errorText } from '../i18n/error-text';
import { useFormat } from '../i18n/format';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { LoadError, Loading } from '../ui/query-state';

export function ConnectLink() {
  const { t } = useTranslation();
  // A plain link: the server answers with a redirect to HubSpot's authorize page.
  return (
    <a className="btn btn-primary" href={CONNECT_URL}>
      {t('connection.connect')}
    </a>
  );
}

function PortalFacts({ connection }: { connection: ConnectionResponse }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!connection.portal) return null;
  return (
    <dl className="facts facts-inline" data-testid="connection-facts">
      <div>
        <dt>{t('connection.portal')}</dt>
        <dd>{connection.portal.hubId}</dd>
      </div>
      <div>
        <dt>{t('connection.domain')}</dt>
        <dd>{connection.portal.domain}</dd>
      </div>
      <div>
        <dt>{t('connection.user')}</dt>
        <dd>{connection.portal.user}</dd>
      </div>
      {connection.connectedAt && (
        <div>
          <dt>{t('connection.since')}</dt>
          <dd>{format.dateTime(connection.connectedAt)}</dd>
        </div>
      )}
    </dl>
  );
}

function RemoveConnection({ hubId }: { hubId: string }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const remove = useRemoveConnection();
  const cancel = useCallback(() => setConfirming(false), []);
  return (
    <>
      <button
        type="button"
        className="btn btn-danger-outline"
        onClick={() => {
          remove.reset();
          setConfirming(true);
        }}
      >
        {t('connection.remove')}
      </button>
      <ConfirmDialog
        open={confirming}
        title={t('connection.confirmTitle')}
        confirmLabel={remove.isPending ? t('connection.removing') : t('connection.remove')}
        busy={remove.isPending}
        danger
        onCancel={cancel}
        onConfirm={() =>
          // The message bar says so when the server announces the change (connection.changed).
          remove.mutate(undefined, { onSuccess: () => setConfirming(false) })
        }
      >
        <p>{t('connection.confirmText', { hubId })}</p>
        {remove.isError && (
          <p className="field-error" role="alert">
            {t('connection.removeFailed', { message: errorText(remove.error, t) })}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}

/** The connection area of the header: what is connected and the one thing to do about it. */
export function ConnectionPanel() {
  const { t } = useTranslation();
  const connection = useQuery(connectionQuery);

  if (connection.isPending) return <Loading />;
  if (connection.isError) {
    return <LoadError error={connection.error} onRetry={() => void connection.refetch()} />;
  }
  const data = connection.data;
  if (data.status === 'disconnected') {
    return (
      <div className="connection-state">
        <span className="status-dot status-off" aria-hidden="true" />
        <span className="connection-label">{t('connection.notConnected')}</span>
        <div className="connection-actions">
          <ConnectLink />
        </div>
      </div>
    );
  }
  return (
    <div className="connection-state">
      <span
        className={`status-dot ${data.status === 'connected' ? 'status-on' : 'status-bad'}`}
        aria-hidden="true"
      />
      <span className="connection-label">
        {data.status === 'connected' ? t('connection.connected') : t('connection.needsReconnect')}
      </span>
      <PortalFacts connection={data} />
      {/* In "needs reconnect" the banner below carries the way to connect again. */}
      <div className="connection-actions">
        {data.portal && <RemoveConnection hubId={data.portal.hubId} />}
      </div>
    </div>
  );
}

/**
 * Shown across the page while HubSpot refuses the stored sign-in: runs fail until the admin
 * reconnects.
 */
export function ReconnectBanner() {
  const { t } = useTranslation();
  const connection = useQuery(connectionQuery);
  if (connection.data?.status !== 'needs_reconnect') return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="reconnect-banner">
      <div>
        <strong>{t('connection.needsReconnectTitle')}</strong>
        {connection.data.reason === 'secret_changed' ? (
          <p>{t('connection.needsReconnectSecretChanged')}</p>
        ) : (
          <>
            <p>{t('connection.needsReconnectText')}</p>
            {connection.data.message && (
              <p>{t('connection.reason', { message: connection.data.message })}</p>
            )}
          </>
        )}
      </div>
      <ConnectLink />
    </div>
  );
}
