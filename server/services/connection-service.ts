import { createHash, randomBytes } from 'node:crypto';
import type { ConnectionResponse } from '../../shared/api/connection';
import { OAuthRefusedError, type HubSpotOAuth, type TokenSet } from '../adapters/hubspot/oauth';
import type { Clock } from '../clock';
import { RunAbortedError } from '../engine/errors';
import { BadRequestError, ConflictError } from '../http/errors';
import type { Logger } from '../logger';
import type { AppStore, StoredConnection } from '../storage/app-store';
import type { CryptoBox } from './crypto-box';
import type { EventBus } from './event-bus';

/** Refresh this long before expiry, so no request goes out with a token about to die. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const STATE_TTL_MS = 10 * 60_000;

export const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

export interface ConnectionDeps {
  store: AppStore;
  box: CryptoBox;
  oauth: HubSpotOAuth;
  authUrl: string;
  redirectUri: () => string;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  /** Runs after a portal is connected: custom properties, lifecycle stages. */
  onConnected: (hubId: string) => Promise<void>;
  /** Runs after the connection is removed: stop automatic runs. */
  onDisconnected: () => void;
}

/**
 * The HubSpot connection (SPEC §5): the OAuth dance, tokens encrypted at rest, refresh before
 * expiry one at a time, "needs reconnect" when HubSpot refuses, and removal.
 */
export class ConnectionService {
  private refreshing: Promise<string> | undefined;

  constructor(private readonly deps: ConnectionDeps) {}

  private now(): Date {
    return this.deps.clock();
  }

  status(): ConnectionResponse {
    const connection = this.deps.store.connection();
    if (!connection) {
      return { status: 'disconnected', portal: null, connectedAt: null, scopes: [], message: null };
    }
    return {
      status: connection.status,
      portal: { hubId: connection.hubId, domain: connection.hubDomain, user: connection.user },
      connectedAt: connection.connectedAt,
      scopes: connection.scopes,
      message: connection.message,
    };
  }

  /** The authorize URL, with a fresh state bound to the admin's session. */
  start(sessionHash: string | null): string {
    const state = randomBytes(24).toString('base64url');
    const now = this.now();
    this.deps.store.addOAuthState(
      hashOf(state),
      sessionHash,
      now.toISOString(),
      new Date(now.getTime() + STATE_TTL_MS).toISOString(),
    );
    return this.deps.oauth.authorizeUrl(this.deps.authUrl, this.deps.redirectUri(), state);
  }

  /** The OAuth callback: checks the state, exchanges the code, stores the portal. */
  async complete(
    code: string,
    state: string,
    sessionHash: string | null,
  ): Promise<ConnectionResponse> {
    const known = this.deps.store.takeOAuthState(hashOf(state), this.now().toISOString());
    if (!known) {
      throw new BadRequestError(
        'This sign-in link is unknown, expired or was used already. Start the connection again.',
        undefined,
        'invalid_state',
      );
    }
    if (known.sessionHash !== null && known.sessionHash !== sessionHash) {
      throw new BadRequestError(
        'This sign-in was started in another session. Start the connection again.',
        undefined,
        'invalid_state',
      );
    }
    let tokens: TokenSet;
    try {
      tokens = await this.deps.oauth.exchangeCode(code, this.deps.redirectUri());
    } catch (error) {
      if (error instanceof OAuthRefusedError) {
        throw new BadRequestError(
          `HubSpot refused the sign-in (${error.code}).`,
          undefined,
          'oauth_refused',
        );
      }
      throw error;
    }
    const info = await this.deps.oauth.tokenInfo(tokens.accessToken);
    const previous = this.deps.store.connection();
    if (previous && previous.hubId !== info.hubId) {
      // Another portal: the old one's tokens are revoked; its links stay under its own hub id.
      await this.revokeQuietly(previous);
    }
    const now = this.now();
    this.deps.store.saveConnection({
      status: 'connected',
      hubId: info.hubId,
      hubDomain: info.hubDomain,
      user: info.user,
      scopes: info.scopes,
      accessToken: this.deps.box.seal(tokens.accessToken),
      refreshToken: this.deps.box.seal(tokens.refreshToken),
      expiresAt: new Date(now.getTime() + tokens.expiresInSeconds * 1000).toISOString(),
      connectedAt: now.toISOString(),
      message: null,
    });
    this.deps.logger.info({ hubId: info.hubId, user: info.user }, 'HubSpot portal connected');
    await this.deps.onConnected(info.hubId);
    this.deps.events.publish({
      name: 'connection.changed',
      data: { status: 'connected', at: now.toISOString() },
    });
    return this.status();
  }

  /** The portal of the connection, or an error a run can show. */
  requireConnection(): StoredConnection {
    const connection = this.deps.store.connection();
    if (!connection) {
      throw new ConflictError('Connect a HubSpot portal first.', 'not_connected');
    }
    if (connection.status === 'needs_reconnect') {
      throw new ConflictError(
        `HubSpot connection needs to be renewed${connection.message ? `: ${connection.message}` : '.'}`,
        'needs_reconnect',
      );
    }
    return connection;
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const connection = this.requireConnection();
    if (Date.parse(connection.expiresAt) - this.now().getTime() > REFRESH_MARGIN_MS) {
      return this.deps.box.open(connection.accessToken);
    }
    return this.refresh();
  }

  /** Refreshes the token; concurrent callers share one refresh. */
  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const connection = this.requireConnection();
    // Another caller may have refreshed while we waited for our turn.
    if (Date.parse(connection.expiresAt) - this.now().getTime() > REFRESH_MARGIN_MS) {
      return this.deps.box.open(connection.accessToken);
    }
    let tokens: TokenSet;
    try {
      tokens = await this.deps.oauth.refresh(this.deps.box.open(connection.refreshToken));
    } catch (error) {
      if (error instanceof OAuthRefusedError) {
        const message = `HubSpot refused the stored authorisation (${error.code}). Connect again.`;
        this.deps.store.markNeedsReconnect(message);
        this.deps.logger.warn({ code: error.code }, 'HubSpot refresh refused: needs reconnect');
        this.deps.events.publish({
          name: 'connection.changed',
          data: { status: 'needs_reconnect', at: this.now().toISOString() },
        });
        throw new RunAbortedError(
          'hubspot_auth',
          `HubSpot connection needs to be renewed: ${message}`,
        );
      }
      throw error;
    }
    this.deps.store.updateTokens(
      this.deps.box.seal(tokens.accessToken),
      this.deps.box.seal(tokens.refreshToken),
      new Date(this.now().getTime() + tokens.expiresInSeconds * 1000).toISOString(),
    );
    return tokens.accessToken;
  }

  /** HubSpot refused the access itself (revoked in HubSpot, a scope withdrawn). */
  accessRefused(message: string): void {
    if (this.deps.store.connection()?.status !== 'connected') return;
    this.deps.store.markNeedsReconnect(message);
    this.deps.logger.warn('HubSpot refused the access: needs reconnect');
    this.deps.events.publish({
      name: 'connection.changed',
      data: { status: 'needs_reconnect', at: this.now().toISOString() },
    });
  }

  /** Forces a refresh after HubSpot said the token expired (clock drift, revoked access). */
  async renewAfterExpiry(): Promise<string> {
    const connection = this.requireConnection();
    this.deps.store.updateTokens(
      connection.accessToken,
      connection.refreshToken,
      this.now().toISOString(),
    );
    return this.refresh();
  }

  /** Revokes and deletes the tokens, stops automatic runs; the run history stays. */
  async disconnect(): Promise<void> {
    const connection = this.deps.store.connection();
    if (!connection) return;
    await this.revokeQuietly(connection);
    this.deps.store.deleteConnection();
    this.deps.onDisconnected();
    this.deps.logger.info({ hubId: connection.hubId }, 'HubSpot connection removed');
    this.deps.events.publish({
      name: 'connection.changed',
      data: { status: 'disconnected', at: this.now().toISOString() },
    });
  }

  private async revokeQuietly(connection: StoredConnection): Promise<void> {
    try {
      await this.deps.oauth.revoke(this.deps.box.open(connection.refreshToken));
    } catch (error) {
      // Removing the connection must work even when HubSpot cannot be reached.
      this.deps.logger.warn({ err: error }, 'revoking the HubSpot refresh token failed');
    }
  }
}
