import { createHash, randomBytes } from 'node:crypto';
import type { ConnectionResponse } from '../../shared/api/connection';
import { OAuthRefusedError, type HubSpotOAuth, type TokenSet } from '../adapters/hubspot/oauth';
import type { Clock } from '../clock';
import { RunAbortedError } from '../engine/errors';
import type { Logger } from '../logger';
import type { AppStore, StoredConnection } from '../storage/app-store';
import { UnsealError, type CryptoBox } from './crypto-box';
import { BadRequestError, ConflictError } from './errors';
import type { EventBus } from './event-bus';

/** Refresh this long before expiry, so no request goes out with a token about to die. */
const REFRESH_MARGIN_MS = 5 * 60_000;
const STATE_TTL_MS = 10 * 60_000;

const SECRET_CHANGED_MESSAGE =
  'APP_SECRET changed since the HubSpot sign-in was stored, and the stored tokens cannot be ' +
  'read. Connect again (or restart the app with the old secret as APP_SECRET_PREVIOUS).';

const connectionRemoved = () =>
  new RunAbortedError(
    'connection_removed',
    'The HubSpot connection was removed while the run was active; the run stopped.',
  );

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
 * The HubSpot connection: the OAuth dance, tokens encrypted at rest (they never reach the
 * browser, a log or an API answer), refresh before expiry one at a time, "needs reconnect" when
 * HubSpot refuses, and removal, which revokes the tokens and stops automatic runs.
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
      return {
        status: 'disconnected',
        portal: null,
        connectedAt: null,
        scopes: [],
        message: null,
        reason: null,
      };
    }
    return {
      status: connection.status,
      portal: { hubId: connection.hubId, domain: connection.hubDomain, user: connection.user },
      connectedAt: connection.connectedAt,
      scopes: connection.scopes,
      message: connection.message,
      reason: connection.status === 'connected' ? null : (connection.reason ?? 'hubspot_refused'),
    };
  }

  /**
   * At start: can APP_SECRET open the stored tokens? Tokens sealed with a previous key
   * (APP_SECRET_PREVIOUS) are re-sealed with the current one. Tokens no key opens mean the
   * secret changed: the connection needs to be renewed, instead of every run failing with
   * "unable to authenticate data" while the header says "connected".
   */
  checkStoredTokens(): void {
    const connection = this.deps.store.connection();
    if (!connection) return;
    let access: { plain: string; withPreviousKey: boolean };
    let refresh: { plain: string; withPreviousKey: boolean };
    try {
      access = this.deps.box.unseal(connection.accessToken);
      refresh = this.deps.box.unseal(connection.refreshToken);
    } catch (error) {
      if (!(error instanceof UnsealError)) throw error;
      if (connection.status === 'needs_reconnect' && connection.reason === 'secret_changed') return;
      this.deps.store.markNeedsReconnect(SECRET_CHANGED_MESSAGE, 'secret_changed');
      this.deps.logger.error(
        { hubId: connection.hubId },
        'APP_SECRET cannot open the stored HubSpot tokens: it changed since they were saved. ' +
          'Set APP_SECRET_PREVIOUS to the old value and restart to keep the connection, or ' +
          'connect the portal again. The connection is marked "needs reconnect".',
      );
      return;
    }
    if (access.withPreviousKey || refresh.withPreviousKey) {
      this.deps.store.updateTokens(
        this.deps.box.seal(access.plain),
        this.deps.box.seal(refresh.plain),
        connection.expiresAt,
      );
      this.deps.logger.info(
        { hubId: connection.hubId },
        'HubSpot tokens re-sealed with the new APP_SECRET; APP_SECRET_PREVIOUS is no longer needed',
      );
    }
    if (connection.status === 'needs_reconnect' && connection.reason === 'secret_changed') {
      // The key that sealed them is back (or given as APP_SECRET_PREVIOUS).
      this.deps.store.markConnected();
      this.deps.logger.info({ hubId: connection.hubId }, 'the stored HubSpot tokens open again');
    }
  }

  /**
   * The authorize URL, with a fresh state bound to the client that asks: to its session, if
   * any, and always to `binding`, a nonce the caller hands to that client in a cookie.
   */
  start(sessionHash: string | null): { url: string; binding: string } {
    const state = randomBytes(24).toString('base64url');
    const binding = randomBytes(24).toString('base64url');
    const now = this.now();
    this.deps.store.addOAuthState(
      hashOf(state),
      sessionHash,
      hashOf(binding),
      now.toISOString(),
      new Date(now.getTime() + STATE_TTL_MS).toISOString(),
    );
    return {
      url: this.deps.oauth.authorizeUrl(this.deps.authUrl, this.deps.redirectUri(), state),
      binding,
    };
  }

  /**
   * The OAuth callback: checks the state, exchanges the code, stores the portal. A callback
   * from another client (another session, a browser that did not start the dance) is refused
   * without using the state up, so it cannot spoil the admin's own callback either.
   */
  async complete(
    code: string,
    state: string,
    from: { sessionHash: string | null; binding: string | null },
  ): Promise<ConnectionResponse> {
    const at = this.now().toISOString();
    const known = this.deps.store.oauthState(hashOf(state), at);
    if (!known) {
      throw new BadRequestError(
        'This sign-in link is unknown, expired or was used already. Start the connection again.',
        undefined,
        'invalid_state',
      );
    }
    const otherSession = known.sessionHash !== null && known.sessionHash !== from.sessionHash;
    const otherClient =
      known.bindingHash !== null &&
      (from.binding === null || hashOf(from.binding) !== known.bindingHash);
    if (otherSession || otherClient) {
      throw new BadRequestError(
        'This sign-in was started in another session or browser. Start the connection again.',
        undefined,
        'invalid_state',
      );
    }
    if (!this.deps.store.takeOAuthState(hashOf(state), at)) {
      throw new BadRequestError(
        'This sign-in link was used already. Start the connection again.',
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
      reason: null,
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
        this.deps.store.markNeedsReconnect(message, 'hubspot_refused');
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

  /**
   * HubSpot refused the access itself (revoked in HubSpot, a scope withdrawn), or the admin
   * removed the connection, which revoked the tokens: then the run says that instead.
   */
  accessRefused(message: string): RunAbortedError | undefined {
    const connection = this.deps.store.connection();
    if (!connection) return connectionRemoved();
    if (connection.status !== 'connected') return undefined;
    this.deps.store.markNeedsReconnect(message, 'hubspot_refused');
    this.deps.logger.warn('HubSpot refused the access: needs reconnect');
    this.deps.events.publish({
      name: 'connection.changed',
      data: { status: 'needs_reconnect', at: this.now().toISOString() },
    });
    return undefined;
  }

  /** Forces a refresh after HubSpot said the token expired (clock drift, revoked access). */
  async renewAfterExpiry(): Promise<string> {
    // Asked for by a run's adapter: a connection gone since the run started was removed.
    if (!this.deps.store.connection()) throw connectionRemoved();
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
