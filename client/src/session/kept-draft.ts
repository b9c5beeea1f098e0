import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { ApiError } from '../api';
import { sessionQuery } from './queries';

/**
 * The session was there and has ended (it idled out, or was signed out elsewhere): the session
 * query answered 401 after it had answered with a user. The page stays as it is, so nothing typed
 * is lost, and says how to sign in again.
 */
export function useSessionExpired(): boolean {
  const session = useQuery(sessionQuery);
  return isExpired(session.data !== undefined, session.error);
}

export function isExpired(hadSession: boolean, error: unknown): boolean {
  return hadSession && error instanceof ApiError && error.status === 401;
}

const PREFIX = 'hubspot-app:kept-draft:';

/** A draft kept in this tab's session storage, read back (and forgotten) once; `parse` checks it. */
export function takeKeptDraft<T>(
  name: string,
  parse: (value: unknown) => T | undefined,
  storage: Pick<Storage, 'getItem' | 'removeItem'> | undefined = browserStorage(),
): T | undefined {
  if (!storage) return undefined;
  const text = storage.getItem(PREFIX + name);
  if (text === null) return undefined;
  storage.removeItem(PREFIX + name);
  try {
    return parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function keepDraft(
  name: string,
  draft: unknown,
  storage: Pick<Storage, 'setItem'> | undefined = browserStorage(),
): void {
  try {
    storage?.setItem(PREFIX + name, JSON.stringify(draft));
  } catch {
    // Storage full or switched off: the draft still stays on the page.
  }
}

function browserStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}

/**
 * A form's unsaved edit that survives the end of the session: when the session expires the
 * draft is kept in this tab, and the form opened again after signing in starts from it.
 * `restored` tells the form to say so.
 */
export function useKeptDraft<T>(
  name: string,
  parse: (value: unknown) => T | undefined,
  empty: T,
  isEmpty: (draft: T) => boolean,
): [T, Dispatch<SetStateAction<T>>, boolean] {
  const [initial] = useState(() => takeKeptDraft(name, parse));
  const [draft, setDraft] = useState<T>(initial ?? empty);
  const expired = useSessionExpired();
  useEffect(() => {
    if (expired && !isEmpty(draft)) keepDraft(name, draft);
  }, [expired, draft, name, isEmpty]);
  return [draft, setDraft, initial !== undefined && !isEmpty(initial)];
}
