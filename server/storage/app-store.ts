import { z } from 'zod';
import { LifecycleStage } from '../../shared/api/catalog';
import { ReconnectReason } from '../../shared/api/connection';
import { DEFAULT_SETTINGS, Settings } from '../../shared/api/settings';
import type { Db } from './db';

/**
 * The app's own state beside the engine's: settings, the HubSpot connection (tokens stay
 * encrypted: this store only ever sees ciphertext), sessions, one-time launch and OAuth ids,
 * the lifecycle stages per portal and the process starter's schedule.
 */

const StoredSettings = Settings.extend({
  dealSyncActivatedAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type StoredSettings = z.infer<typeof StoredSettings>;

const StoredStages = z.object({ stages: z.array(LifecycleStage), refreshedAt: z.string() });

const ProcessStarterState = z.object({
  lastRunAt: z.string().nullable(),
  lastRunId: z.number().int().nullable(),
  nextRunAt: z.string().nullable(),
});
export type ProcessStarterState = z.infer<typeof ProcessStarterState>;

export interface StoredConnection {
  status: 'connected' | 'needs_reconnect';
  /** Why it needs to be renewed (null while connected). */
  reason: ReconnectReason | null;
  hubId: string;
  hubDomain: string;
  user: string;
  scopes: string[];
  /** Ciphertexts (see crypto-box). */
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  connectedAt: string;
  message: string | null;
}

interface ConnectionRow {
  status: 'connected' | 'needs_reconnect';
  reason: string | null;
  hub_id: string;
  hub_domain: string;
  user: string;
  scopes: string;
  access_token: string;
  refresh_token: string;
  expires_at: string;
  connected_at: string;
  message: string | null;
}

export class AppStore {
  constructor(readonly db: Db) {}

  private getKv<T>(key: string, schema: z.ZodType<T>): T | undefined {
    const row = this.db
      .prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?')
      .get(key);
    if (!row) return undefined;
    const parsed = schema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : undefined;
  }

  private setKv(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, JSON.stringify(value));
  }

  // ---- settings -----------------------------------------------------------------------------

  settings(): StoredSettings {
    return (
      this.getKv('settings', StoredSettings) ?? {
        ...DEFAULT_SETTINGS,
        dealSyncActivatedAt: null,
        updatedAt: null,
      }
    );
  }

  saveSettings(settings: StoredSettings): void {
    this.setKv('settings', StoredSettings.parse(settings));
  }

  // ---- lifecycle stages ---------------------------------------------------------------------

  lifecycleStages(hubId: string): z.infer<typeof StoredStages> | undefined {
    return this.getKv(`portal:${hubId}:lifecycle_stages`, StoredStages);
  }

  saveLifecycleStages(hubId: string, stages: LifecycleStage[], at: string): void {
    this.setKv(`portal:${hubId}:lifecycle_stages`, { stages, refreshedAt: at });
  }

  // ---- process starter ----------------------------------------------------------------------

  processStarter(): ProcessStarterState {
    return (
      this.getKv('process_starter', ProcessStarterState) ?? {
        lastRunAt: null,
        lastRunId: null,
        nextRunAt: null,
      }
    );
  }

  saveProcessStarter(state: ProcessStarterState): void {
    this.setKv('process_starter', state);
  }

  // ---- the connection -----------------------------------------------------------------------

  connection(): StoredConnection | undefined {
    const row = this.db.prepare<[], ConnectionRow>('SELECT * FROM connection WHERE id = 1').get();
    if (!row) return undefined;
    return {
      status: row.status,
      reason: ReconnectReason.nullable().catch('hubspot_refused').parse(row.reason),
      hubId: row.hub_id,
      hubDomain: row.hub_domain,
      user: row.user,
      scopes: z.array(z.string()).parse(JSON.parse(row.scopes)),
      accessToken: row.access_token,
      refreshToken: row.refresh_token,
      expiresAt: row.expires_at,
      connectedAt: row.connected_at,
      message: row.message,
    };
  }

  saveConnection(connection: StoredConnection): void {
    this.db
      .prepare(
        `INSERT INTO connection (id, status, reason, hub_id, hub_domain, user, scopes, access_token,
           refresh_token, expires_at, connected_at, message)
         VALUES (1, @status, @reason, @hubId, @hubDomain, @user, @scopes, @accessToken, @refreshToken,
           @expiresAt, @connectedAt, @message)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
           hub_id = excluded.hub_id,
           hub_domain = excluded.hub_domain, user = excluded.user, scopes = excluded.scopes,
           access_token = excluded.access_token, refresh_token = excluded.refresh_token,
           expires_at = excluded.expires_at, connected_at = excluded.connected_at,
           message = excluded.message`,
      )
      .run({ ...connection, scopes: JSON.stringify(connection.scopes) });
  }

  updateTokens(accessToken: string, refreshToken: string, expiresAt: string): void {
    this.db
      .prepare(
        'UPDATE connection SET access_token = ?, refresh_token = ?, expires_at = ? WHERE id = 1',
      )
      .run(accessToken, refreshToken, expiresAt);
  }

  markNeedsReconnect(message: string, reason: ReconnectReason): void {
    this.db
      .prepare(
        "UPDATE connection SET status = 'needs_reconnect', reason = ?, message = ? WHERE id = 1",
      )
      .run(reason, message);
  }

  /** The stored sign-in works again (the old APP_SECRET is back). */
  markConnected(): void {
    this.db
      .prepare(
        "UPDATE connection SET status = 'connected', reason = NULL, message = NULL WHERE id = 1",
      )
      .run();
  }

  deleteConnection(): void {
    this.db.prepare('DELETE FROM connection WHERE id = 1').run();
  }

  // ---- sessions, launch ids, OAuth states ---------------------------------------------------

  createSession(
    idHash: string,
    user: string,
    csrfToken: string,
    at: string,
    expiresAt: string,
  ): void {
    this.db
      .prepare(
        `INSERT INTO sessions (id_hash, user, csrf_token, created_at, expires_at, last_seen_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(idHash, user, csrfToken, at, expiresAt, at);
  }

  /**
   * A live session: before its absolute expiry and seen since `idleSince`. Marks it seen now;
   * the write is skipped while the last one is younger than `touchAfter`, so a polling client
   * does not write on every request.
   */
  session(
    idHash: string,
    now: string,
    idleSince: string,
    touchAfter: string,
  ): { user: string; csrfToken: string; expiresAt: string; lastSeenAt: string } | undefined {
    const row = this.db
      .prepare<
        [string, string, string],
        { user: string; csrf_token: string; expires_at: string; last_seen_at: string }
      >(
        `SELECT user, csrf_token, expires_at, last_seen_at FROM sessions
         WHERE id_hash = ? AND expires_at > ? AND last_seen_at > ?`,
      )
      .get(idHash, now, idleSince);
    if (!row) return undefined;
    let lastSeenAt = row.last_seen_at;
    if (lastSeenAt < touchAfter) {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now, idHash);
      lastSeenAt = now;
    }
    return {
      user: row.user,
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
      lastSeenAt,
    };
  }

  deleteSession(idHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Ends every session but `keep` (the one that asked, if any). */
  deleteOtherSessions(keep: string | null): number {
    return this.db.prepare('DELETE FROM sessions WHERE id_hash IS NOT ?').run(keep).changes;
  }

  /** Records a launch token id; false when it was used before (a replay). */
  useLaunchToken(jti: string, expiresAt: string, now: string): boolean {
    this.db.prepare('DELETE FROM used_launch_tokens WHERE expires_at < ?').run(now);
    const result = this.db
      .prepare(
        'INSERT INTO used_launch_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING',
      )
      .run(jti, expiresAt);
    return result.changes === 1;
  }

  addOAuthState(
    stateHash: string,
    sessionHash: string | null,
    bindingHash: string,
    at: string,
    expiresAt: string,
  ): void {
    this.db
      .prepare(
        `INSERT INTO oauth_states (state_hash, session_hash, binding_hash, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(stateHash, sessionHash, bindingHash, at, expiresAt);
  }

  /** A state that is known, unused and fresh, without using it up. */
  oauthState(
    stateHash: string,
    now: string,
  ): { sessionHash: string | null; bindingHash: string | null } | undefined {
    const row = this.db
      .prepare<[string, string], { session_hash: string | null; binding_hash: string | null }>(
        `SELECT session_hash, binding_hash FROM oauth_states
         WHERE state_hash = ? AND used_at IS NULL AND expires_at > ?`,
      )
      .get(stateHash, now);
    return row ? { sessionHash: row.session_hash, bindingHash: row.binding_hash } : undefined;
  }

  /** Uses a state up; false when it was used (or expired) in the meantime. */
  takeOAuthState(stateHash: string, now: string): boolean {
    return (
      this.db
        .prepare(
          'UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL AND expires_at > ?',
        )
        .run(now, stateHash, now).changes === 1
    );
  }

  pruneExpired(now: string, idleSince: string): void {
    this.db
      .prepare('DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?')
      .run(now, idleSince);
    this.db.prepare('DELETE FROM oauth_states WHERE expires_at < ?').run(now);
  }
}
