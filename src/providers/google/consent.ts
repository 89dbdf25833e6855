/**
 * The installed-app consent flow that `ringback connect google` runs: the user brings their own
 * OAuth client ("Desktop app"); consent uses a loopback redirect on 127.0.0.1 with PKCE (RFC 8252),
 * and the refresh token it yields is stored encrypted by the caller.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodeChallengeMethod, OAuth2Client, type Credentials } from 'google-auth-library';
import { AuthError, PermanentError } from '../errors.js';
import { NO_RETRY, SCOPES, endpointOptions, type GoogleEndpoints, type GoogleTokens } from './auth.js';
import { toProviderError } from './errors.js';

export interface LoopbackConsentOptions {
  readonly clientId: string;
  readonly clientSecret?: string;
  /** @defaultValue {@link SCOPES} */
  readonly scopes?: readonly string[];
  readonly endpoints?: GoogleEndpoints;
  /** Shows the consent URL to the user (prints it, opens a browser when there is one). */
  readonly openUrl: (url: string) => Promise<void>;
  readonly signal: AbortSignal;
  /** Loopback port; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** How long to wait for the user to finish in the browser. @defaultValue 300000 */
  readonly timeoutMs?: number;
}

export interface ConsentResult {
  readonly tokens: GoogleTokens & { readonly access_token: string | null; readonly expiry_date: number | null };
  /** The scopes the user actually granted (Google lets them untick some). */
  readonly grantedScopes: readonly string[];
}

const CALLBACK_PATH = '/oauth2callback';
const PAGE_DONE = '<!doctype html><meta charset="utf-8"><title>ringback</title><p>ringback is connected. You can close this window.</p>';
const PAGE_FAILED = '<!doctype html><meta charset="utf-8"><title>ringback</title><p>ringback was not connected. Go back to the terminal for details.</p>';

/**
 * The installed-app consent flow: a one-shot HTTP server on 127.0.0.1 receives the redirect,
 * the `state` is checked, and the code is exchanged with its PKCE verifier (S256).
 */
export async function runLoopbackConsent(options: LoopbackConsentOptions): Promise<ConsentResult> {
  options.signal.throwIfAborted();
  const state = randomBytes(24).toString('base64url');
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  // Settles once: with the code, or with why there will be none (abort, timeout, a bad redirect).
  let settle: ((outcome: { code: string } | { error: unknown }) => void) | null = null;
  const outcome = new Promise<{ code: string } | { error: unknown }>((resolve) => {
    settle = resolve;
  });
  const finish = (result: { code: string } | { error: unknown }): void => {
    const pending = settle;
    settle = null;
    pending?.(result);
  };

  const server = createServer((request, response) => {
    const result = readCallback(request, state);
    if (result === null) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    page(response, 'code' in result ? 200 : 400, 'code' in result ? PAGE_DONE : PAGE_FAILED);
    finish(result);
  });
  const onAbort = (): void => finish({ error: options.signal.reason });
  options.signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => finish({ error: new AuthError('Google sign-in was not finished in time: run ringback connect google again') }),
    options.timeoutMs ?? 300_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
    const client = new OAuth2Client({
      clientId: options.clientId,
      ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
      redirectUri,
      endpoints: endpointOptions(options.endpoints),
      transporterOptions: { ...NO_RETRY, timeout: 30_000 },
    });
    const url = client.generateAuthUrl({
      access_type: 'offline',
      // Ask every time, so that Google returns a refresh token even to a client it has seen.
      prompt: 'consent',
      scope: [...(options.scopes ?? SCOPES)],
      state,
      code_challenge_method: CodeChallengeMethod.S256,
      code_challenge: challenge,
    });
    options.openUrl(url).catch((error: unknown) => finish({ error }));
    const arrived = await outcome;
    if ('error' in arrived) throw arrived.error;
    const { code } = arrived;
    let credentials: Credentials;
    try {
      ({ tokens: credentials } = await client.getToken({ code, codeVerifier: verifier, redirect_uri: redirectUri }));
    } catch (error) {
      throw toProviderError(error, 'exchanging the sign-in code', Date.now());
    }
    if (!credentials.refresh_token) {
      throw new PermanentError(
        'Google returned no refresh token: remove ringback under https://myaccount.google.com/permissions and run ringback connect google again',
      );
    }
    return {
      tokens: {
        refresh_token: credentials.refresh_token,
        access_token: credentials.access_token ?? null,
        expiry_date: credentials.expiry_date ?? null,
      },
      grantedScopes: (credentials.scope ?? '').split(/\s+/).filter((scope) => scope.length > 0),
    };
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
    await closeServer(server);
  }
}

/**
 * Stops the loopback server without cutting off the page the browser is still reading: idle
 * keep-alive connections go at once, busy ones get a second to finish.
 */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 1000);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/** The code from the redirect, an error for a redirect that failed, null for any other request. */
function readCallback(request: IncomingMessage, state: string): { code: string } | { error: unknown } | null {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH) return null;
  const params = url.searchParams;
  if (params.get('state') !== state) {
    return { error: new AuthError('the sign-in redirect carried the wrong state (an old browser tab, or not from Google): run ringback connect google again') };
  }
  const denied = params.get('error');
  if (denied !== null) {
    const reason = /^[a-z_]{1,64}$/.test(denied) ? denied : 'unknown error';
    return { error: new AuthError(`Google sign-in ended with "${reason}": run ringback connect google again and allow access`) };
  }
  const code = params.get('code');
  if (!code) return { error: new AuthError('the sign-in redirect carried no code: run ringback connect google again') };
  return { code };
}

function page(response: ServerResponse, status: number, html: string): void {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'",
    })
    .end(html);
}
