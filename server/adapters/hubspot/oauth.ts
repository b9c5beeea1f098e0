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

/**
 * AccessTokenResponse (Auth OAuth v1, POST /oauth/v1/token). access_token, refresh_token,
 * expires_in and token_type are what the app needs. token_use tells an access token answer from
 * the other kinds the endpoint gives (client_credentials); answers from before HubSpot added it
 * may lack it, so only a different value is refused.
 */
const TokenResponse = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().regex(/^bearer$/i, 'token_type must be bearer'),
  token_use: z.literal('access_token').optional(),
  hub_id: z.number().int().positive().optional(),
  user_id: z.number().int().optional(),
  scopes: z.array(z.string()).optional(),
});

/**
 * AccessTokenInfoResponse (Auth OAuth v1, GET /oauth/v1/access-tokens/{token}), as the SDK hands it
 * over: hubId, userId, appId, scopes, tokenType, expiresIn and token are required by the spec;
 * user and hubDomain are optional.
 */
const AccessTokenInfo = z.looseObject({
  token: z.string().min(1),
  hubId: z.number().int().positive(),
  userId: z.number().int(),
  appId: z.number().int(),
  scopes: z.array(z.string()),
  tokenType: z.string().min(1),
  expiresIn: z.number().int(),
  hubDomain: z.string().nullish(),
  user: z.string().nullish(),
});

/** HubSpot's OAuth error: the reason code in `status` (BAD_REFRESH_TOKEN, …), else `category`. */
const ErrorBody = z.looseObject({
  status: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refusalFrom(status: number, raw: unknown): OAuthRefusedError {
  const body = ErrorBody.safeParse(raw).data;
  const code = body?.status !== undefined && body.status !== 'error' ? body.status : body?.category;
  return new OAuthRefusedError(
    code ?? `HTTP_${status}`,
    body?.message ?? 'HubSpot refused the request',
  );
}

/** An SDK ApiException with a 4xx: HubSpot refused (the token is gone or was never valid). */
function refusal(error: unknown): OAuthRefusedError | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const status = error.code;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const raw = (error as { body?: unknown }).body;
  return refusalFrom(status, typeof raw === 'string' ? parseJson(raw) : raw);
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
    return this.grant({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: this.app.clientId,
      client_secret: this.app.clientSecret,
    });
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    return this.grant({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.app.clientId,
      client_secret: this.app.clientSecret,
    });
  }

  /**
   * POST /oauth/v1/token through the SDK's raw request: its generated TokenResponseIF keeps only
   * five fields and drops token_use, hub_id and scopes, which are checked here.
   */
  private async grant(form: Record<string, string>): Promise<TokenSet> {
    const response = await this.client.apiRequest({
      method: 'POST',
      path: '/oauth/v1/token',
      defaultJson: false,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
    });
    const body = parseJson(await response.text());
    if (response.status >= 400 && response.status < 500) {
      throw refusalFrom(response.status, body);
    }
    if (!response.ok) {
      throw new Error(`HubSpot's token endpoint answered ${response.status}`);
    }
    const tokens = TokenResponse.safeParse(body);
    if (!tokens.success) {
      throw new Error(
        `HubSpot's token answer is not an access token: ${tokens.error.issues
          .map((issue) => `${issue.path.map(String).join('.') || 'body'} ${issue.message}`)
          .join('; ')}`,
      );
    }
    return {
      accessToken: tokens.data.access_token,
      refreshToken: tokens.data.refresh_token,
      expiresInSeconds: tokens.data.expires_in,
    };
  }

  async tokenInfo(accessToken: string): Promise<TokenInfo> {
    const info = AccessTokenInfo.parse(await this.client.oauth.accessTokensApi.get(accessToken));
    return {
      hubId: String(info.hubId),
      hubDomain: info.hubDomain ?? '',
      user: info.user ?? '',
      scopes: info.scopes,
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
