/**
 * Signing in to Microsoft with the real msal-node against the local identity server: the device
 * code flow end to end (msal polls until the user approves), refresh, `invalid_grant`, a declined
 * or abandoned sign-in, and the token cache that lives only in what the save callback gets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import { createMicrosoftAuth, scopesFor, SCOPES } from '../../../src/providers/microsoft/auth.js';
import { createGraphApi } from '../../../src/providers/microsoft/graph.js';
import { startGraphServer, type GraphServer } from '../../support/graph-server.js';
import { authFor, memoryStorage, signIn } from '../../support/graph-server/sign-in.js';

describe('Microsoft sign-in with msal-node', () => {
  let server: GraphServer;

  beforeEach(async () => {
    server = await startGraphServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('signs in with a device code: shows the URL and code, and msal polls until the user approves', async () => {
    const storage = memoryStorage();
    const auth = authFor(server, storage);
    const prompts: string[] = [];
    let approved = false;
    const account = await auth.signInWithDeviceCode({
      signal: AbortSignal.timeout(20_000),
      onPrompt: (prompt) => {
        prompts.push(prompt.message);
        expect(prompt.message).toContain(prompt.verificationUri);
        expect(prompt.message).toContain(prompt.userCode);
        void server.identity.polled(prompt.userCode, 3).then(() => {
          approved = true;
          server.identity.approve(prompt.userCode);
        });
      },
    });
    expect(approved).toBe(true);
    expect(prompts).toHaveLength(1);
    expect(account).toEqual({ username: server.user.userPrincipalName, name: server.user.displayName });
    expect(server.identity.tokenRequests.map((r) => r.error)).toEqual(['authorization_pending', 'authorization_pending', 'authorization_pending', null]);
    expect(await auth.account()).toEqual(account);
    // The scopes went to the device authorization endpoint on the API's resource.
    const deviceRequest = server.log.find((r) => r.url.includes('/devicecode'));
    const scopes = new URLSearchParams(deviceRequest?.body).get('scope')?.split(' ') ?? [];
    for (const scope of scopesFor(server.apiRoot)) expect(scopes).toContain(scope);
  });

  it('asks Graph’s global service for the bare scopes, another cloud for prefixed ones', () => {
    expect(scopesFor()).toEqual([...SCOPES]);
    expect(scopesFor('https://graph.microsoft.us/v1.0')).toContain('https://graph.microsoft.us/Mail.Send');
    expect(scopesFor('https://graph.microsoft.us/v1.0')).toContain('offline_access');
  });

  it('keeps the token cache only in what the save callback gets, and starts from it alone', async () => {
    const { storage } = await signIn(server);
    const saved = storage.saved();
    expect(saved).not.toBeNull();
    const cache = JSON.parse(saved ?? '{}') as Record<string, Record<string, unknown>>;
    expect(Object.keys(cache.RefreshToken ?? {})).toHaveLength(1);
    expect(Object.keys(cache.Account ?? {})).toHaveLength(1);

    // A new process: nothing but the saved cache.
    const restarted = authFor(server, memoryStorage(saved));
    const api = createGraphApi({ getToken: restarted.getToken, baseUrl: server.apiRoot, prefer: [], fetch: server.fetch });
    expect(await api.get<{ userPrincipalName: string }>('/me', { what: 'reading the account' })).toMatchObject({ userPrincipalName: server.user.userPrincipalName });

    // Without it, there is no sign-in to use.
    await expect(authFor(server, memoryStorage()).getToken()).rejects.toBeInstanceOf(AuthError);
  });

  it('refreshes an access token near its expiry through the refresh token, and saves the rotated one', async () => {
    // msal refreshes tokens within five minutes of their expiry: these are always near it.
    server.identity.accessTokenLifetime = 120;
    const { auth, storage } = await signIn(server);
    const savesAfterSignIn = storage.saves();
    const refreshTokenBefore = Object.values(JSON.parse(storage.saved() ?? '{}').RefreshToken ?? {}) as Array<{ secret: string }>;
    const token = await auth.getToken();
    const granted = server.identity.tokenRequests.filter((r) => r.error === null).map((r) => r.grantType);
    expect(granted).toEqual(['device_code', 'refresh_token']);
    expect(server.identity.isValidAccessToken(token, Date.now())).toBe(true);
    expect(storage.saves()).toBeGreaterThan(savesAfterSignIn);
    const refreshTokenAfter = Object.values(JSON.parse(storage.saved() ?? '{}').RefreshToken ?? {}) as Array<{ secret: string }>;
    expect(refreshTokenAfter[0]?.secret).not.toBe(refreshTokenBefore[0]?.secret);
  });

  it('uses the cached access token while it is fresh, and refreshes when asked to', async () => {
    const { auth } = await signIn(server);
    const first = await auth.getToken();
    expect(await auth.getToken()).toBe(first);
    expect(server.identity.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(0);
    const forced = await auth.getToken({ forceRefresh: true });
    expect(forced).not.toBe(first);
    expect(server.identity.tokenRequests.filter((r) => r.grantType === 'refresh_token')).toHaveLength(1);
  });

  it('turns invalid_grant into AuthError asking to sign in again', async () => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    server.identity.revokeRefreshTokens();
    const failure = await auth.getToken().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toContain('invalid_grant');
    expect((failure as Error).message).toContain('Microsoft needs you to sign in again: run ringback connect microsoft');
    expect(server.identity.tokenRequests.at(-1)).toEqual({ grantType: 'refresh_token', error: 'invalid_grant' });
  });

  // Entra's refusals of a saved sign-in, on refresh, each an invalid_grant with its AADSTS number
  // (texts as quoted in the threads named; learn.microsoft.com/entra/identity-platform/
  // reference-error-codes): MFA now required, AADSTS50076 with suberror basic_action
  // (microsoftgraph/microsoft-graph-docs#6311); a refresh token unused for 90 days, AADSTS700082
  // (microsoft/azuredatastudio#15331); consent withdrawn, AADSTS65001 with consent_required. A new
  // sign-in fixes each (the device code flow does the MFA): guards.
  it.each([
    { code: 50076, suberror: 'basic_action', description: "AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'." },
    { code: 700082, suberror: 'bad_token', description: 'AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2020-12-24T19:24:03.9196643Z and was inactive for 90.00:00:00.' },
    { code: 65001, suberror: 'consent_required', description: "AADSTS65001: The user or administrator has not consented to use the application with ID '00000000-0000-0000-0000-000000000001' named 'ringback'. Send an interactive authorization request for this user and resource." },
  ])('takes AADSTS$code on refresh as a sign-in to make again', async ({ code, suberror, description }) => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    server.identity.throttle({ kind: 'refused', error: 'invalid_grant', description, code, suberror });
    const failure = (await auth.getToken().catch((error: unknown) => error)) as Error;
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure.message).toContain('Microsoft needs you to sign in again: run ringback connect microsoft');
    expect(failure.message).not.toMatch(/Conditional Access/);
  });

  // AADSTS53003, "Access has been blocked by Conditional Access policies. The access policy does not
  // allow token issuance." (AzureAD/microsoft-identity-web#2419; an invalid_grant on refresh,
  // OfficeDev/BotBuilder-MicrosoftTeams#284): "If this is unexpected, see the conditional access
  // policy that applied to this request in the Azure Portal or contact your administrator"
  // (AzureAD/microsoft-authentication-library-for-java#597). Signing in again alone meets the same
  // policy: the message says who can lift it.
  it('takes AADSTS53003 on refresh as an administrator\'s Conditional Access policy to settle, then a sign-in', async () => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    const description = 'AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.';
    server.identity.throttle({ kind: 'refused', error: 'invalid_grant', description, code: 53003 });
    const failure = (await auth.getToken().catch((error: unknown) => error)) as Error;
    expect(failure).toBeInstanceOf(AuthError);
    expect(failure.message).toContain('AADSTS53003');
    expect(failure.message).toMatch(/administrator.*Conditional Access.*allow ringback/);
  });

  // The token endpoint failing is not the sign-in refused: a 500 or 503 from it
  // (https://learn.microsoft.com/entra/identity-platform/reference-error-codes: "temporarily_unavailable",
  // "server_error" are to be retried) must be retried, never turned into "sign in again", which
  // would park every step and ask the user to reconnect an account that is fine.
  it.each([500, 503])('takes a %i from the token endpoint as transient, not as a refused sign-in', async (status) => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    server.fault({ path: /\/token/, status, code: status === 503 ? 'temporarily_unavailable' : 'server_error' });
    const failure = await auth.getToken().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).not.toContain('sign in again');
    // The body is Graph's shape (`error` an object, as a gateway in front of it may answer): the
    // message names the failure rather than "[object Object]".
    expect((failure as Error).message).toContain('temporarily_unavailable');
    expect((failure as Error).message).not.toContain('[object Object]');
  });

  // Entra's throttling of the token endpoint names its wait (Retry-After, in seconds or as a date):
  // the account waits that long, no more and no less (a fixed 60 s before), and the sign-in is not
  // taken for refused. A second 429 within the wait is Entra's, not msal's own throttling entry
  // (whose refusal has no status and read as a failed sign-in).
  it.each([
    { retryAfter: '180', waitMs: 180_000 },
    { retryAfter: '7', waitMs: 7_000 },
  ])('waits for the Retry-After of a 429 from the token endpoint ($retryAfter s)', async ({ retryAfter, waitMs }) => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    for (const _ of [1, 2]) {
      server.identity.throttle({ kind: 'too-many-requests', retryAfter });
      const failure = await auth.getToken().then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(RateLimitError);
      expect((failure as RateLimitError).retryAfterMs).toBe(waitMs);
      expect((failure as Error).message).not.toContain('sign in again');
    }
    expect(server.identity.tokenRequests.filter((r) => r.error === 'too_many_requests')).toHaveLength(2);
    // Once the wait is over the refresh token still works.
    expect(await auth.getToken()).toMatch(/^at-/);
  });

  // msal-common's ThrottlingUtils keeps a 5xx of the token endpoint for its Retry-After, or 60 s
  // without one, and refuses the same request from that entry with a ServerError that has no
  // status and only the AADSTS numbers for its code, which would read as a failed sign-in
  // (PermanentError, "Microsoft sign-in failed"). msal-node
  // clears that entry at every acquireTokenSilent when a cache plugin is set (TokenCache
  // overwriteCache clears its in-memory storage, and the entry is never serialized), and ours
  // always is: so a retry within that minute reaches the server, and a server still failing is
  // read as failing again, never as a refused sign-in.
  it.each([500, 503] as const)('asks the token endpoint again within the minute msal would hold a %i without Retry-After', async (status) => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    for (const _ of [1, 2]) {
      server.identity.throttle({ kind: 'unavailable', status });
      const failure = (await auth.getToken().catch((error: unknown) => error)) as Error;
      expect(failure).toBeInstanceOf(TransientError);
      expect(failure.message).toContain('temporarily_unavailable');
      expect(failure.message).not.toContain('sign in again');
    }
    expect(server.identity.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.error)).toEqual(['temporarily_unavailable', 'temporarily_unavailable']);
    expect(await auth.getToken()).toMatch(/^at-/);
  });

  it('waits for a 429 that gives its Retry-After as a date', async () => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    const until = new Date(Math.ceil(Date.now() / 1000) * 1000 + 300_000);
    server.identity.throttle({ kind: 'too-many-requests', retryAfter: until.toUTCString() });
    const failure = (await auth.getToken().catch((error: unknown) => error)) as RateLimitError;
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure.retryAfterMs).toBeGreaterThan(290_000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(301_000);
  });

  it('takes AADSTS50196 (a loop of sign-in requests) as a wait, not as a sign-in refused', async () => {
    server.identity.accessTokenLifetime = 120;
    const { auth } = await signIn(server);
    server.identity.throttle({ kind: 'loop-detected' });
    const failure = (await auth.getToken().catch((error: unknown) => error)) as RateLimitError;
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure.message).toContain('AADSTS50196');
    expect(failure.message).not.toContain('sign in again');
    expect(await auth.getToken()).toMatch(/^at-/);
  });

  it('reports a declined sign-in as AuthError', async () => {
    const auth = authFor(server, memoryStorage());
    const failure = await auth
      .signInWithDeviceCode({
        signal: AbortSignal.timeout(20_000),
        onPrompt: (prompt) => {
          void server.identity.polled(prompt.userCode, 1).then(() => server.identity.decline(prompt.userCode));
        },
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toContain('authorization_declined');
  });

  it('stops polling when the user gives up (the signal aborts)', async () => {
    const auth = authFor(server, memoryStorage());
    const controller = new AbortController();
    let userCode = '';
    const signingIn = auth.signInWithDeviceCode({
      signal: controller.signal,
      onPrompt: (prompt) => {
        userCode = prompt.userCode;
        void server.identity.polled(prompt.userCode, 2).then(() => controller.abort(new Error('user pressed Ctrl-C')));
      },
    });
    await expect(signingIn).rejects.toThrow('user pressed Ctrl-C');
    const polls = server.identity.tokenRequests.length;
    // "No more polls" can only be watched for a while: six poll intervals here.
    await new Promise((resolve) => setTimeout(resolve, 6 * server.identity.pollInterval * 1000));
    expect(server.identity.tokenRequests.length).toBeLessThanOrEqual(polls + 1);
    // The code was never approved, so nothing was signed in.
    expect(userCode).not.toBe('');
    expect(await auth.account()).toBeNull();
  });

  it('treats an unreachable sign-in server on the first token request of a new process as transient', async () => {
    const { storage } = await signIn(server);
    let down = true;
    const auth = createMicrosoftAuth({
      clientId: server.clientId,
      authority: server.authority,
      apiRoot: server.apiRoot,
      storage: memoryStorage(storage.saved()),
      fetch: async (url, init) => {
        if (down) throw new TypeError('fetch failed');
        return await server.fetch(url, init);
      },
    });
    expect(await auth.getToken({ forceRefresh: true }).catch((e: unknown) => e)).toBeInstanceOf(TransientError);
    down = false;
    expect(typeof (await auth.getToken({ forceRefresh: true }))).toBe('string');
  });
});
