import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import { AppHeader } from './header/app-header';
import { ReconnectBanner } from './header/connection-panel';
import { dispatchLive } from './live/queries';
import { useServerEvents } from './live/use-server-events';
import { MessageBar } from './messages/message-bar';
import { ModeChoice } from './mode/mode-choice';
import { isExpired } from './session/kept-draft';
import { NotSignedIn, SessionExpiredBanner } from './session/not-signed-in';
import { sessionQuery } from './session/queries';
import { SettingsTab } from './settings/settings-tab';
import { Tabs } from './ui/tabs';
import { LoadError, Loading } from './ui/query-state';

// The settings tab is the first screen; the other two load when first opened (and are fetched
// in the background once the first screen is up, so opening them rarely waits).
const loadActionTab = () => import('./action/action-tab');
const loadOverviewTab = () => import('./overview/overview-tab');
const ActionTab = lazy(() => loadActionTab().then((module) => ({ default: module.ActionTab })));
const OverviewTab = lazy(() =>
  loadOverviewTab().then((module) => ({ default: module.OverviewTab })),
);

/** Fetches the code of the tabs not shown yet, shortly after the first screen is up. */
function usePrefetchTabs() {
  useEffect(() => {
    const handle = window.setTimeout(() => {
      void loadActionTab();
      void loadOverviewTab();
    }, 1_000);
    return () => window.clearTimeout(handle);
  }, []);
}

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

function SignedInApp({ user, expired }: { user: string; expired: boolean }) {
  const { t } = useTranslation();
  const online = useServerEvents();
  useConnectedNotice();
  usePrefetchTabs();
  const [tab, setTab] = useTabFromHash();
  return (
    <>
      <AppHeader user={user} />
      {expired ? <SessionExpiredBanner /> : <ReconnectBanner />}
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
  // A session that ends while the page is open keeps the page (and what was typed on it).
  const expired = isExpired(session.data !== undefined, session.error);
  if (session.data === undefined || (session.isError && !expired)) {
    if (session.error instanceof ApiError && session.error.status === 401) return <NotSignedIn />;
    return (
      <main className="page">
        <LoadError error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  return <SignedInApp user={session.data.user} expired={expired} />;
}
