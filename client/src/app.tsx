import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionTab } from './action/action-tab';
import { ApiError } from './api';
import { AppHeader } from './header/app-header';
import { ReconnectBanner } from './header/connection-panel';
import { dispatchLive } from './live/queries';
import { useServerEvents } from './live/use-server-events';
import { MessageBar } from './messages/message-bar';
import { ModeChoice } from './mode/mode-choice';
import { OverviewTab } from './overview/overview-tab';
import { NotSignedIn } from './session/not-signed-in';
import { sessionQuery } from './session/queries';
import { SettingsTab } from './settings/settings-tab';
import { Tabs } from './ui/tabs';
import { LoadError, Loading } from './ui/query-state';

const TAB_IDS = ['settings', 'action', 'overview'] as const;
type TabId = (typeof TAB_IDS)[number];

function tabFromHash(): TabId {
  const hash = window.location.hash.replace(/^#/, '');
  return TAB_IDS.find((id) => id === hash) ?? 'settings';
}

/** The tab lives in the URL hash, so a reload or a shared link opens the same tab. */
function useTabFromHash(): [TabId, (id: TabId) => void] {
  const [tab, setTab] = useState<TabId>(tabFromHash);
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const select = (id: TabId) => {
    setTab(id);
    window.history.replaceState(null, '', `#${id}`);
  };
  return [tab, select];
}

/** After the OAuth dance the server sends the admin to /?connected=1: say so once. */
function useConnectedNotice() {
  const client = useQueryClient();
  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.get('connected') !== '1') return;
    url.searchParams.delete('connected');
    window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
    dispatchLive(client, {
      name: 'notice',
      data: { key: 'connectedNotice', level: 'success', at: new Date().toISOString() },
    });
  }, [client]);
}

function SignedInApp({ user }: { user: string }) {
  const { t } = useTranslation();
  const online = useServerEvents();
  useConnectedNotice();
  const [tab, setTab] = useTabFromHash();
  return (
    <>
      <AppHeader user={user} />
      <ReconnectBanner />
      <main className="page">
        <ModeChoice />
        <MessageBar online={online} />
        <Tabs
          label={t('tabs.label')}
          selected={tab}
          onSelect={setTab}
          tabs={[
            { id: 'settings', label: t('tabs.settings'), panel: <SettingsTab /> },
            { id: 'action', label: t('tabs.action'), panel: <ActionTab /> },
            { id: 'overview', label: t('tabs.overview'), panel: <OverviewTab /> },
          ]}
        />
      </main>
    </>
  );
}

export function App() {
  const session = useQuery(sessionQuery);
  if (session.isPending) {
    return (
      <main className="page">
        <Loading />
      </main>
    );
  }
  if (session.isError) {
    if (session.error instanceof ApiError && session.error.status === 401) return <NotSignedIn />;
    return (
      <main className="page">
        <LoadError error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  return <SignedInApp user={session.data.user} />;
}
