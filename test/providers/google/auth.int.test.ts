/**
 * Signing in to Google with the real google-auth-library client against the fake Google server:
 * refreshes and their saving, refused sign-ins, no blind retries, and the loopback consent flow
 * with a fake browser that follows the consent redirect.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountUnusableError, AuthError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import { accountTrouble } from '../../../src/engine/outage.js';
import { SCOPES, createGoogleAuth } from '../../../src/providers/google/auth.js';
import { runLoopbackConsent } from '../../../src/providers/google/consent.js';
import { gmailAddress } from '../../../src/providers/google/gmail.js';
import { startGoogleServer, type GoogleServer } from '../../support/google-server.js';
import { authFor } from '../../support/google-server/harness.js';

describe('google auth', () => {
  let server: GoogleServer;
  beforeEach(async () => {
    server = await startGoogleServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const tokenRequests = () => server.requests.filter((request) => request.path === '/token');
  const profile = (fixture: ReturnType<typeof authFor>) => gmailAddress({ auth: fixture.auth, rootUrl: server.url });

  it('refreshes on first use and hands the new tokens to onTokens', async () => {
    const fixture = authFor(server);
    expect(await profile(fixture)).toBe(server.userEmail);
    expect(tokenRequests()).toHaveLength(1);
    expect(fixture.saved).toHaveLength(1);
    expect(fixture.saved[0]).toMatchObject({ refresh_token: fixture.refreshToken, access_token: expect.stringMatching(/^ya29\./) });
    expect(fixture.saved[0]!.expiry_date).toBeGreaterThan(Date.now());
    await profile(fixture);
    expect(tokenRequests()).toHaveLength(1); // the access token is reused while it lives
  });

  it('keeps and saves a rotated refresh token, and uses it for the next refresh', async () => {
    server.oauth.rotateRefreshTokens = true;
    const fixture = authFor(server);
    await profile(fixture);
    const rotated = fixture.saved[0]!.refresh_token;
    expect(rotated).not.toBe(fixture.refreshToken);
    server.oauth.expireAccessTokens(); // the API now answers 401: refresh once more, with the rotated token
    expect(await profile(fixture)).toBe(server.userEmail);
    expect(fixture.saved).toHaveLength(2);
    expect(fixture.saved[1]!.refresh_token).not.toBe(rotated);
    expect(tokenRequests().map((request) => request.status)).toEqual([200, 200]);
  });

  it('turns invalid_grant into an AuthError that says to connect again, without calling the API', async () => {
    const fixture = authFor(server);
    server.revokeRefreshToken(fixture.refreshToken);
    const error = await profile(fixture).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('Google refused the saved sign-in (invalid_grant)');
    expect((error as Error).message).toContain('run ringback connect google again');
    expect((error as Error).message).not.toContain(fixture.refreshToken);
    expect(server.apiRequests()).toHaveLength(0);
    expect(tokenRequests()).toHaveLength(1);
  });

  // A refresh token of an OAuth client left in "Testing" expires after 7 days ("A Google Cloud
  // Platform project with an OAuth consent screen configured for an external user type and a
  // publishing status of 'Testing' is issued a refresh token expiring in 7 days",
  // developers.google.com/identity/protocols/oauth2#expiration), answered like a revoked one:
  // invalid_grant "Token has been expired or revoked." (the fake's answer, as Google's). Signing in
  // again alone brings it back a week later: the message says what ends it.
  it('says, on "Token has been expired or revoked.", that a Testing client’s sign-in lasts 7 days', async () => {
    const fixture = authFor(server);
    server.revokeRefreshToken(fixture.refreshToken);
    const error = await profile(fixture).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('Token has been expired or revoked.');
    expect((error as Error).message).toMatch(/every 7 days.*Testing.*publish/);
  });

  // invalid_grant "Bad Request" (googleapis/google-api-nodejs-client#1707: a password changed, the
  // token over its limit of 100 per client): a new sign-in, as any invalid_grant (guard).
  it('takes invalid_grant "Bad Request" as a sign-in to make again', async () => {
    const fixture = authFor(server);
    server.failNext(1, { status: 400, reason: 'invalid_grant', message: 'Bad Request' }, 'token');
    const error = await profile(fixture).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect(accountTrouble(error)).toBe('needs-reauth');
  });

  // A Workspace administrator's policy refusing the app, on refresh: admin_policy_enforced, "The
  // Google Account is unable to authorize one or more scopes requested due to the policies of
  // their Google Workspace administrator." (developers.google.com/identity/protocols/oauth2/
  // web-server#authorization-errors-admin-policy-enforced, quoted in dust-tt/dust#31975), and
  // policy_enforced, an account in Advanced Protection (twentyhq/twenty#25148). A 400 that is no
  // fault of any email: read as one, each confirmation failed for good.
  it.each([
    ['admin_policy_enforced', 'The Google Account is unable to authorize one or more scopes requested due to the policies of their Google Workspace administrator.', /administrator/],
    ['policy_enforced', 'Access to your account data is restricted by policies.', /Advanced Protection/],
  ])('takes %s on refresh as the account to fix, not a fault of the email', async (reason, message, fix) => {
    const fixture = authFor(server);
    server.failNext(1, { status: 400, reason, message }, 'token');
    const error = await profile(fixture).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(error)).toBe('unusable');
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toMatch(fix);
  });

  it('refreshes once on a 401 and gives up with an AuthError when the new token is refused too', async () => {
    const fixture = authFor(server);
    await profile(fixture);
    server.failNext(2, { status: 401, reason: 'authError' });
    await expect(profile(fixture)).rejects.toBeInstanceOf(AuthError);
    expect(server.apiRequests().map((request) => request.status)).toEqual([200, 401, 401]);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('does not retry the token endpoint by itself: 500 is one TransientError, 429 one RateLimitError', async () => {
    const fixture = authFor(server);
    server.failNext(1, { status: 500 }, 'token');
    await expect(profile(fixture)).rejects.toBeInstanceOf(TransientError);
    expect(tokenRequests()).toHaveLength(1);
    server.failNext(1, { status: 429, retryAfter: 5 }, 'token');
    const error = await profile(fixture).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(5000);
    expect(tokenRequests()).toHaveLength(2);
    expect(await profile(fixture)).toBe(server.userEmail);
  });

  it('reports a failed token save on the call that refreshed, and works on', async () => {
    let fail = true;
    const fixture = authFor(server, {
      onTokens: async () => {
        if (fail) throw new Error('store unavailable');
      },
    });
    await expect(profile(fixture)).rejects.toThrow('store unavailable');
    fail = false;
    expect(await profile(fixture)).toBe(server.userEmail);
  });

  it('starts with a given access token and its expiry, without a refresh', async () => {
    const seed = authFor(server);
    await profile(seed);
    const tokens = seed.saved[0]!;
    const auth = createGoogleAuth({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      tokens,
      endpoints: { tokenUrl: server.tokenUrl },
      onTokens: async () => undefined,
    });
    expect(await gmailAddress({ auth, rootUrl: server.url })).toBe(server.userEmail);
    expect(tokenRequests()).toHaveLength(1);
  });
});

describe('loopback consent', () => {
  let server: GoogleServer;
  beforeEach(async () => {
    server = await startGoogleServer();
  });
  afterEach(async () => {
    await server.close();
  });

  /** A browser: follows the consent URL to Google, which redirects to the loopback callback. */
  interface Seen {
    url?: URL;
    page?: string;
    status?: number;
    done?: Promise<void>;
  }
  const browser = (seen: Seen) => async (url: string) => {
    seen.url = new URL(url);
    seen.done = (async () => {
      const response = await fetch(url);
      seen.status = response.status;
      seen.page = await response.text();
    })();
    await seen.done;
  };
  const consent = (openUrl: (url: string) => Promise<void>, signal = new AbortController().signal) =>
    runLoopbackConsent({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      endpoints: { authUrl: server.authUrl, tokenUrl: server.tokenUrl },
      openUrl,
      signal,
    });

  it('runs end to end with PKCE and state, and yields a refresh token that works', async () => {
    const seen: Seen = {};
    const result = await consent(browser(seen));
    const params = seen.url!.searchParams;
    expect(seen.url!.origin + seen.url!.pathname).toBe(server.authUrl);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('state')).toMatch(/^[\w-]{32}$/);
    expect(params.get('access_type')).toBe('offline');
    expect(params.get('prompt')).toBe('consent');
    expect(params.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2callback$/);
    expect(params.get('scope')?.split(' ')).toEqual([...SCOPES]);
    expect(seen.status).toBe(200);
    expect(seen.page).toContain('ringback is connected');
    expect(result.grantedScopes).toEqual([...SCOPES]);
    const auth = createGoogleAuth({
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      tokens: result.tokens,
      endpoints: { tokenUrl: server.tokenUrl },
      onTokens: async () => undefined,
    });
    expect(await gmailAddress({ auth, rootUrl: server.url })).toBe(server.userEmail);
    // The loopback server is gone.
    const port = new URL(params.get('redirect_uri')!).port;
    await expect(fetch(`http://127.0.0.1:${port}/oauth2callback`)).rejects.toThrow();
  });

  it('reports the scopes the user actually granted', async () => {
    server.setConsent({ grantScopes: [SCOPES[0], SCOPES[2]] });
    const result = await consent(browser({}));
    expect(result.grantedScopes).toEqual([SCOPES[0], SCOPES[2]]);
  });

  it('turns a refused consent into an AuthError', async () => {
    server.setConsent({ deny: true });
    const seen: Seen = {};
    await expect(consent(browser(seen))).rejects.toThrow(/access_denied/);
    await seen.done;
    expect(seen.status).toBe(400);
    expect(seen.page).toContain('ringback was not connected');
  });

  it('refuses a redirect with the wrong state', async () => {
    const forged = async (url: string) => {
      const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
      redirect.searchParams.set('code', 'stolen');
      redirect.searchParams.set('state', 'not-the-state');
      await fetch(redirect);
    };
    await expect(consent(forged)).rejects.toBeInstanceOf(AuthError);
    expect(server.requests.filter((request) => request.path === '/token')).toHaveLength(0);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = consent(async () => {
      controller.abort(new Error('user pressed Ctrl-C'));
    }, controller.signal);
    await expect(waiting).rejects.toThrow('user pressed Ctrl-C');
  });
});
