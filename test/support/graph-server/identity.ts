/**
 * The sign-in side of the local server, as msal-node uses it: the tenant's OpenID configuration,
 * the device authorization endpoint, and the token endpoint (device code polling with
 * `authorization_pending` until the user approves, refresh tokens rotated on every use,
 * `invalid_grant` once they are revoked). Access tokens are random strings the Graph side checks.
 */
import { EventEmitter, once } from 'node:events';
import { json, randomId, type Call, type Reply } from './types.js';

export interface GraphUser {
  readonly oid: string;
  readonly tid: string;
  readonly userPrincipalName: string;
  readonly mail: string;
  readonly displayName: string;
}

interface DeviceCode {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly scopes: string;
  readonly expiresAt: number;
  polls: number;
  state: 'pending' | 'approved' | 'declined' | 'used';
}

export interface IdentityOptions {
  readonly origin: string;
  readonly clientId: string;
  readonly user: GraphUser;
}

/** A token request as the server saw it: which grant, and how it was answered. */
export interface TokenRequest {
  readonly grantType: string;
  readonly error: string | null;
}

/**
 * How Entra throttles token requests (https://learn.microsoft.com/entra/msal/dotnet/advanced/client-and-server-throttling):
 * a 429 with a Retry-After (seen as "StatusCode: 429, ResponseBody: Too Many Requests, Headers:
 * Retry-After: 60", AzureAD/microsoft-authentication-library-for-dotnet#2855), or, for a user's
 * requests, `invalid_grant` with "AADSTS50196: The server terminated an operation because it
 * encountered a loop while processing a request". Or it fails for a moment: a 500 or 503 without
 * Retry-After, `temporarily_unavailable` with AADSTS90033 ("Get Token request returned http error:
 * 503 and server response: {"error":"temporarily_unavailable","error_description":"AADSTS90033: A
 * transient error has occurred. Please try again.…","error_codes":[90033],…}", Azure/azure-sdk-for-python#14241).
 */
export type Throttling =
  | { readonly kind: 'too-many-requests'; readonly retryAfter?: string }
  | { readonly kind: 'loop-detected' }
  | { readonly kind: 'unavailable'; readonly status: 500 | 503 }
  /** A refusal as Entra words it (`error`, its AADSTS description and number, a `suberror`), given by the test with its source. */
  | { readonly kind: 'refused'; readonly error: string; readonly description: string; readonly code: number; readonly suberror?: string };

export class Identity {
  /** Seconds until an issued access token expires. msal refreshes tokens within 5 minutes of it. */
  accessTokenLifetime = 3600;
  /** Seconds between polls that the device authorization response asks for. */
  pollInterval = 0.05;
  readonly tokenRequests: TokenRequest[] = [];
  readonly #accessTokens = new Map<string, number>();
  readonly #refreshTokens = new Set<string>();
  readonly #deviceCodes = new Map<string, DeviceCode>();
  readonly #events = new EventEmitter();
  #throttling: Throttling | null = null;

  constructor(private readonly options: IdentityOptions) {}

  /** The user approves the sign-in on the verification page. */
  approve(userCode: string): void {
    this.#device(userCode).state = 'approved';
  }

  decline(userCode: string): void {
    this.#device(userCode).state = 'declined';
  }

  /** Resolves once the client has polled the token endpoint `count` times for this code. */
  async polled(userCode: string, count: number): Promise<void> {
    const code = this.#device(userCode);
    while (code.polls < count) await once(this.#events, 'poll');
  }

  /** The server forgets every access token it issued: the next Graph call with one is a 401. */
  revokeAccessTokens(): void {
    this.#accessTokens.clear();
  }

  /** Password changed, consent withdrawn: every refresh token now gets `invalid_grant`. */
  revokeRefreshTokens(): void {
    this.#refreshTokens.clear();
  }

  /** The next token request is throttled, or fails, this way. */
  throttle(throttling: Throttling): void {
    this.#throttling = throttling;
  }

  isValidAccessToken(token: string, now: number): boolean {
    const expiresAt = this.#accessTokens.get(token);
    return expiresAt !== undefined && expiresAt > now;
  }

  handle(call: Call, path: string): Reply | null {
    const match = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/devicecode|oauth2\/v2\.0\/token)$/.exec(path);
    if (!match) return null;
    const [, tenant, endpoint] = match as unknown as [string, string, string];
    const base = `${this.options.origin}/${tenant}`;
    if (endpoint.endsWith('openid-configuration')) {
      return json(200, {
        issuer: `${this.options.origin}/${this.options.user.tid}/v2.0`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      });
    }
    if (call.method !== 'POST') return oauthError(405, 'invalid_request', 'POST only');
    const form = new URLSearchParams(call.text);
    if (form.get('client_id') !== this.options.clientId) {
      return oauthError(400, 'unauthorized_client', `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found.`);
    }
    return endpoint.endsWith('devicecode') ? this.#deviceAuthorization(form) : this.#token(form);
  }

  #deviceAuthorization(form: URLSearchParams): Reply {
    const userCode = randomId(8).toUpperCase();
    const code: DeviceCode = {
      deviceCode: randomId(32),
      userCode,
      scopes: form.get('scope') ?? '',
      expiresAt: Date.now() + 900_000,
      polls: 0,
      state: 'pending',
    };
    this.#deviceCodes.set(code.deviceCode, code);
    const verificationUri = `${this.options.origin}/devicelogin`;
    return json(200, {
      device_code: code.deviceCode,
      user_code: userCode,
      verification_uri: verificationUri,
      expires_in: 900,
      interval: this.pollInterval,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate.`,
    });
  }

  #token(form: URLSearchParams): Reply {
    const grantType = form.get('grant_type') ?? '';
    const answer = (reply: Reply, error: string | null = null): Reply => {
      this.tokenRequests.push({ grantType, error });
      return reply;
    };
    const throttling = this.#throttling;
    if (throttling !== null) {
      this.#throttling = null;
      if (throttling.kind === 'loop-detected') {
        const description = 'AADSTS50196: The server terminated an operation because it encountered a loop while processing a request.';
        return answer(oauthError(400, 'invalid_grant', description, [50196]), 'invalid_grant');
      }
      if (throttling.kind === 'refused') {
        const reply = oauthError(400, throttling.error, throttling.description, [throttling.code]);
        const body = throttling.suberror === undefined ? reply.body : { ...(reply.body as Record<string, unknown>), suberror: throttling.suberror };
        return answer({ ...reply, body }, throttling.error);
      }
      if (throttling.kind === 'unavailable') {
        const description = 'AADSTS90033: A transient error has occurred. Please try again.';
        return answer(oauthError(throttling.status, 'temporarily_unavailable', description, [90033]), 'temporarily_unavailable');
      }
      const headers: Record<string, string> = { 'content-type': 'text/plain' };
      if (throttling.retryAfter !== undefined) headers['retry-after'] = throttling.retryAfter;
      return answer({ status: 429, headers, body: 'Too Many Requests' }, 'too_many_requests');
    }
    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code' || grantType === 'device_code') {
      const code = this.#deviceCodes.get(form.get('device_code') ?? '');
      if (!code) return answer(oauthError(400, 'invalid_grant', 'AADSTS70000: unknown device code'), 'invalid_grant');
      code.polls += 1;
      this.#events.emit('poll');
      if (code.expiresAt < Date.now()) return answer(oauthError(400, 'expired_token', 'AADSTS70019: Verification code expired.'), 'expired_token');
      if (code.state === 'declined') return answer(oauthError(400, 'authorization_declined', 'AADSTS70000: The user declined.'), 'authorization_declined');
      if (code.state === 'used') return answer(oauthError(400, 'invalid_grant', 'AADSTS54005: the code was already redeemed.'), 'invalid_grant');
      if (code.state === 'pending') {
        return answer(oauthError(400, 'authorization_pending', 'AADSTS70016: OAuth 2.0 device flow error. Authorization is pending.'), 'authorization_pending');
      }
      code.state = 'used';
      return answer(this.#issue(code.scopes));
    }
    if (grantType === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      if (!this.#refreshTokens.delete(refreshToken)) {
        return answer(
          oauthError(400, 'invalid_grant', 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.', [50173]),
          'invalid_grant',
        );
      }
      return answer(this.#issue(form.get('scope') ?? ''));
    }
    return answer(oauthError(400, 'unsupported_grant_type', `AADSTS70003: unsupported grant ${grantType}`), 'unsupported_grant_type');
  }

  #issue(scopes: string): Reply {
    const user = this.options.user;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = `at-${randomId(24)}`;
    const refreshToken = `rt-${randomId(24)}`;
    this.#accessTokens.set(accessToken, Date.now() + this.accessTokenLifetime * 1000);
    this.#refreshTokens.add(refreshToken);
    const idToken = [
      base64url({ typ: 'JWT', alg: 'none' }),
      base64url({
        aud: this.options.clientId,
        iss: `${this.options.origin}/${user.tid}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        oid: user.oid,
        sub: user.oid,
        tid: user.tid,
        ver: '2.0',
      }),
      '',
    ].join('.');
    const granted = scopes
      .split(/\s+/)
      .filter((scope) => scope !== '' && !['openid', 'profile', 'offline_access'].includes(scope))
      .join(' ');
    return json(200, {
      token_type: 'Bearer',
      scope: granted,
      expires_in: this.accessTokenLifetime,
      ext_expires_in: this.accessTokenLifetime,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: base64url({ uid: user.oid, utid: user.tid }),
    });
  }

  #device(userCode: string): DeviceCode {
    const code = [...this.#deviceCodes.values()].find((entry) => entry.userCode === userCode);
    if (!code) throw new Error(`test server: no device code ${userCode}`);
    return code;
  }
}

function oauthError(status: number, error: string, description: string, codes: number[] = []): Reply {
  return json(status, {
    error,
    error_description: description,
    error_codes: codes,
    timestamp: new Date().toISOString(),
    trace_id: randomId(8),
    correlation_id: randomId(8),
  });
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

