/**
 * Google's OAuth 2.0 endpoints for an installed app, in memory: the consent page (the user
 * always agrees, unless told otherwise) that redirects to the loopback address with a code, and
 * the token endpoint with the `authorization_code` grant (PKCE S256 checked, codes single use)
 * and the `refresh_token` grant (`invalid_grant` for revoked or unknown refresh tokens).
 * Errors use the OAuth format: `{"error": "invalid_grant", "error_description": "..."}`.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiRequest, ApiResponse } from './http.js';

export interface OAuthOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** @defaultValue 3600 */
  readonly accessTokenTtlSeconds: number;
}

/** How the fake user answers the next consent screen. */
export interface ConsentBehaviour {
  /** Press "Cancel": the redirect carries `error=access_denied`. */
  readonly deny?: boolean;
  /** Untick some boxes: only these scopes are granted. */
  readonly grantScopes?: readonly string[];
}

interface PendingCode {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly scope: string;
  used: boolean;
}

export class FakeOAuth {
  readonly #refreshTokens = new Map<string, { revoked: boolean; scope: string }>();
  readonly #accessTokens = new Map<string, { expiresAt: number }>();
  readonly #codes = new Map<string, PendingCode>();
  /** Hand out a new refresh token with every refresh (Google may; most clients must cope). */
  rotateRefreshTokens = false;
  nextConsent: ConsentBehaviour = {};
  /** Every token set issued, newest last (for assertions). */
  readonly issued: Array<{ grant: string; refreshToken: string | null; accessToken: string }> = [];

  constructor(private readonly options: OAuthOptions) {}

  /** A valid refresh token, as a finished consent would have produced. */
  issueRefreshToken(scope = 'https://www.googleapis.com/auth/calendar.events.readonly'): string {
    const token = `1//rt-${randomBytes(12).toString('hex')}`;
    this.#refreshTokens.set(token, { revoked: false, scope });
    return token;
  }

  /** The user removed the app's access (or a "Testing" client's 7 days ran out). */
  revokeRefreshToken(token?: string): void {
    for (const [value, entry] of this.#refreshTokens) if (token === undefined || token === value) entry.revoked = true;
  }

  /** Every access token stops working before its expiry (the server-side revocation case). */
  expireAccessTokens(): void {
    this.#accessTokens.clear();
  }

  checkBearer(authorization: string | undefined): boolean {
    const match = /^Bearer (\S+)$/.exec(authorization ?? '');
    const entry = match ? this.#accessTokens.get(match[1]!) : undefined;
    return entry !== undefined && entry.expiresAt > Date.now();
  }

  /** GET /o/oauth2/v2/auth: the consent screen, answered at once by the fake user. */
  consent(request: ApiRequest): ApiResponse {
    const query = request.query;
    const redirectUri = query.get('redirect_uri') ?? '';
    const problems: string[] = [];
    if (query.get('client_id') !== this.options.clientId) problems.push('unknown client_id');
    if (query.get('response_type') !== 'code') problems.push('response_type must be code');
    if (!/^http:\/\/127\.0\.0\.1:\d+\/[\w/]*$/.test(redirectUri)) problems.push('redirect_uri must be a loopback address');
    if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')) problems.push('PKCE S256 is required');
    if (!query.get('scope')) problems.push('scope is missing');
    if (query.get('access_type') !== 'offline') problems.push('access_type must be offline to get a refresh token');
    if (problems.length > 0) {
      return { status: 400, body: `<!doctype html><p>Error 400: invalid_request (${problems.join('; ')})</p>`, headers: { 'content-type': 'text/html' } };
    }
    const target = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    const behaviour = this.nextConsent;
    this.nextConsent = {};
    if (behaviour.deny) {
      target.searchParams.set('error', 'access_denied');
    } else {
      const requested = (query.get('scope') ?? '').split(' ');
      const scope = (behaviour.grantScopes ?? requested).join(' ');
      const code = `4/code-${randomBytes(12).toString('hex')}`;
      this.#codes.set(code, { challenge: query.get('code_challenge')!, redirectUri, scope, used: false });
      target.searchParams.set('code', code);
      target.searchParams.set('scope', scope);
    }
    return { status: 302, headers: { location: target.toString() } };
  }

  /** POST /token. */
  token(request: ApiRequest): ApiResponse {
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    const basic = /^Basic (\S+)$/.exec(String(request.headers.authorization ?? ''));
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    const clientId = form.get('client_id') ?? basicId;
    const clientSecret = form.get('client_secret') ?? basicSecret;
    if (clientId !== this.options.clientId || clientSecret !== this.options.clientSecret) {
      return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    }
    switch (form.get('grant_type')) {
      case 'authorization_code':
        return this.#exchangeCode(form);
      case 'refresh_token':
        return this.#refresh(form);
      default:
        return oauthError(400, 'unsupported_grant_type', 'Invalid grant_type.');
    }
  }

  #exchangeCode(form: URLSearchParams): ApiResponse {
    const pending = this.#codes.get(form.get('code') ?? '');
    if (!pending || pending.used) return oauthError(400, 'invalid_grant', 'Malformed auth code.');
    pending.used = true;
    if (form.get('redirect_uri') !== pending.redirectUri) return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
      return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
    }
    const refreshToken = this.issueRefreshToken(pending.scope);
    return this.#tokens('authorization_code', refreshToken, pending.scope, true);
  }

  #refresh(form: URLSearchParams): ApiResponse {
    const token = form.get('refresh_token') ?? '';
    const entry = this.#refreshTokens.get(token);
    if (!entry || entry.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    if (!this.rotateRefreshTokens) return this.#tokens('refresh_token', token, entry.scope, false);
    entry.revoked = true;
    const rotated = this.issueRefreshToken(entry.scope);
    return this.#tokens('refresh_token', rotated, entry.scope, true);
  }

  #tokens(grant: string, refreshToken: string, scope: string, includeRefresh: boolean): ApiResponse {
    const accessToken = `ya29.at-${randomBytes(12).toString('hex')}`;
    this.#accessTokens.set(accessToken, { expiresAt: Date.now() + this.options.accessTokenTtlSeconds * 1000 });
    this.issued.push({ grant, refreshToken: includeRefresh ? refreshToken : null, accessToken });
    return {
      status: 200,
      headers: { 'cache-control': 'no-store' },
      body: {
        access_token: accessToken,
        expires_in: this.options.accessTokenTtlSeconds,
        scope,
        token_type: 'Bearer',
        ...(includeRefresh ? { refresh_token: refreshToken } : {}),
      },
    };
  }
}

function oauthError(status: number, error: string, description: string): ApiResponse {
  return { status, body: { error, error_description: description } };
}
