import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ENDPOINTS, urlOf } from '../../../shared/api/endpoints';
import { SERVER_EVENTS, type ServerEvent, type ServerEventName } from '../../../shared/api/events';
import { actionKeys } from '../action/queries';
import { connectionKeys } from '../connection/queries';
import { overviewKeys, runsPageQuery } from '../overview/queries';
import { sessionKeys } from '../session/queries';
import { settingsKeys } from '../settings/queries';
import { parseServerEvent } from './parse-server-event';
import { dispatchLive } from './queries';

const EVENT_NAMES = Object.keys(SERVER_EVENTS) as ServerEventName[];

/** Feeds an event into the live state and marks what it changed as stale. */
export function applyServerEvent(client: QueryClient, event: ServerEvent): void {
  dispatchLive(client, event);
  const invalidate = (queryKey: readonly unknown[]) => {
    void client.invalidateQueries({ queryKey });
  };
  switch (event.name) {
    case 'run.started':
      invalidate(overviewKeys.runs());
      invalidate(actionKeys.processStarter());
      break;
    case 'run.finished':
      invalidate(overviewKeys.runs());
      invalidate(overviewKeys.conflicts());
      invalidate(actionKeys.processStarter());
      break;
    case 'connection.changed':
      invalidate(connectionKeys.all);
      invalidate(settingsKeys.stages());
      invalidate(overviewKeys.conflicts());
      invalidate(actionKeys.processStarter());
      break;
    case 'run.progress':
    case 'run.message':
      break;
  }
}

/**
 * Subscribes to GET /api/events for as long as the signed-in app is shown. After the stream
 * was lost (server restart, network), everything is fetched again: events sent meanwhile are
 * gone. Returns whether the stream is up.
 */
export function useServerEvents(): boolean {
  const client = useQueryClient();
  const [online, setOnline] = useState(true);

  // A page opened while a run is active learns about it from the run log.
  const latest = useQuery(runsPageQuery(null));
  const newest = latest.data?.runs[0];
  useEffect(() => {
    if (newest) dispatchLive(client, { name: 'run.known', data: newest });
  }, [client, newest]);

  useEffect(() => {
    const source = new EventSource(urlOf(ENDPOINTS.events));
    let lost = false;
    const onEvent = (message: MessageEvent<string>) => {
      const event = parseServerEvent(message.type, message.data);
      if (event) applyServerEvent(client, event);
    };
    for (const name of EVENT_NAMES) source.addEventListener(name, onEvent);
    source.onopen = () => {
      setOnline(true);
      if (lost) {
        lost = false;
        void client.invalidateQueries({
          predicate: (query) => query.queryKey[0] !== 'live' && query.queryKey[0] !== 'session',
        });
      }
    };
    source.onerror = () => {
      lost = true;
      setOnline(false);
      // A closed stream is not retried by the browser (e.g. 401): is the session still there?
      if (source.readyState === EventSource.CLOSED) {
        void client.invalidateQueries({ queryKey: sessionKeys.session });
      }
    };
    return () => {
      for (const name of EVENT_NAMES) source.removeEventListener(name, onEvent);
      source.close();
    };
  }, [client]);

  return online;
}
