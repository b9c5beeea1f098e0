import { Client } from '@hubspot/api-client';
import { z } from 'zod';

/**
 * HubSpot OAuth v1 through the official SDK: code exchange, refresh, token info, revocation.
 * https://developers.hubspot.com/docs/api/oauth/tokens
 */

/** What the app asks for: the CRM objects it exchanges, owners, and the schemas it extends. */
export const HUBSPOT_SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.companies.write',
  'crm.schemas.deals.read',
  'crm.schemas.deals.write',
] as const;

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface TokenInfo {
  hubId: string;
  hubDomain: string;
  user: string;
  scopes: string[];
}

/** HubSpot refused a code or refresh token: the admin has to connect again. */
export class OAuthRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OAuthRefusedError';
  }
}

const TokenResponse = z.looseObject({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresIn: z.number().int().positive(),
});

const AccessTokenInfo = z.looseObject({
  hubId: z.number().int(),
  hubDomain: z.string().nullish(),
  user: z.string().nullish(),
  scopes: z.array(z.string()).nullish(),
});

const ErrorBody = z.looseObject({ status: z.string().optional(), message: z.string().optional() });

function refusal(error: unknown): OAuthRefusedError | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const status = error.code;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const raw = (error as { body?: unknown }).body;
  const body = ErrorBody.safeParse(typeof raw === 'string' ? JSON.parse(raw) : raw).data;
  return new OAuthRefusedError(
    body?.status ?? `HTTP_${status}`,
    body?.message ?? 'HubSpot refused the request',
  );
}

/** A client for one portal and token (the SDK client the adapters are handed). */
export function createHubSpotClient(apiUrl: string, accessToken?: string): Client {
  return new Client({ basePath: apiUrl, ...(accessToken ? { accessToken } : {}) });
}

export class HubSpotOAuth {
  private readonly client: Client;

  constructor(private readonly app: { apiUrl: string; clientId: string; clientSecret: string }) {
    this.client = createHubSpotClient(app.apiUrl);
  }

  /** The URL of HubSpot's authorize page for this app. */
  authorizeUrl(authUrl: string, redirectUri: string, state: string): string {
    const url = new URL(authUrl);
    url.searchParams.set('client_id', this.app.clientId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
    url.searchParams.set('state', state);
    return url.toString();
  }

  async exchangeCode(code: string, redirectUri: string): Promise<TokenSet> {
    return this.grant(() =>
      this.client.oauth.tokensApi.create(
        'authorization_code',
        code,
        redirectUri,
        this.app.clientId,
        this.app.clientSecret,
      ),
    );
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.grant(() =>
      this.client.oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        this.app.clientId,
        this.app.clientSecret,
        refreshToken,
      ),
    );
  }

  private async grant(send: () => Promise<unknown>): Promise<TokenSet> {
    let answer: unknown;
    try {
      answer = await send();
    } catch (error) {
      throw refusal(error) ?? error;
    }
    const tokens = TokenResponse.parse(answer);
    return {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresInSeconds: tokens.expiresIn,
    };
  }

  async tokenInfo(accessToken: string): Promise<TokenInfo> {
    const info = AccessTokenInfo.parse(await this.client.oauth.accessTokensApi.get(accessToken));
    return {
      hubId: String(info.hubId),
      hubDomain: info.hubDomain ?? '',
      user: info.user ?? '',
      scopes: info.scopes ?? [],
    };
  }

  /** Revokes a refresh token (and with it the access it grants). Already gone is fine. */
  async revoke(refreshToken: string): Promise<void> {
    try {
      await this.client.oauth.refreshTokensApi.archive(refreshToken);
    } catch (error) {
      if (!refusal(error)) throw error;
    }
  }
}
