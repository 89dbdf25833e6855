/**
 * `connect google` end to end against the fake Google server: consent in a fake browser, the
 * checks with the new token, and what the command hands back to be written.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectGoogle, type GoogleConnectFlags } from '../../../src/cli/connect/google.js';
import type { ConnectIO } from '../../../src/cli/connect/types.js';
import { BadInputError, RunTimeError } from '../../../src/errors.js';
import { SCOPES, createGoogleAuth } from '../../../src/providers/google/auth.js';
import { gmailAddress } from '../../../src/providers/google/gmail.js';
import { startGoogleServer, type GoogleServer } from '../../support/google-server.js';

describe('connect google', () => {
  let server: GoogleServer;
  let said: string[];
  let opened: string[];
  let io: ConnectIO;
  beforeEach(async () => {
    server = await startGoogleServer({ userEmail: 'Ada.Park@example.org'.toLowerCase() });
    said = [];
    opened = [];
    io = {
      ask: async (question) => {
        throw new Error(`unexpected question: ${question}`);
      },
      say: (line) => said.push(line),
      openUrl: async (url) => {
        opened.push(url);
        const response = await fetch(url);
        await response.text();
      },
      signal: new AbortController().signal,
    };
  });
  afterEach(async () => {
    await server.close();
  });

  const flags = (extra: Partial<GoogleConnectFlags> = {}): GoogleConnectFlags => ({
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    authUrl: server.authUrl,
    tokenUrl: server.tokenUrl,
    apiRoot: server.url,
    ...extra,
  });

  it('returns a Google calendar and a Gmail mailbox sharing one sign-in, with ids from the address', async () => {
    server.calendar.addCalendar('team@group.calendar.google.com');
    const result = await connectGoogle(flags({ calendar: ['primary', 'team@group.calendar.google.com'] }), io);
    const suffix = createHash('sha256').update(server.userEmail).digest('hex').slice(0, 8);
    expect(result.calendars).toEqual([
      {
        type: 'google',
        id: `google-${suffix}`,
        account: server.userEmail,
        calendars: ['primary', 'team@group.calendar.google.com'],
        apiRoot: `${server.url}/`,
        authUrl: server.authUrl,
        tokenUrl: server.tokenUrl,
      },
    ]);
    expect(result.mailbox).toMatchObject({ type: 'gmail', id: `gmail-${suffix}`, account: server.userEmail });
    const secret = result.secrets[`google-${suffix}`]!;
    expect(result.secrets[`gmail-${suffix}`]).toEqual(secret);
    expect(secret).toMatchObject({ clientId: server.clientId, clientSecret: server.clientSecret });
    expect(opened).toHaveLength(1);
    expect(said.join('\n')).toContain(`signed in as ${server.userEmail}`);
    expect(said.join('\n')).not.toContain(secret.refreshToken!);
    // The stored refresh token works on its own.
    const auth = createGoogleAuth({
      clientId: secret.clientId!,
      clientSecret: secret.clientSecret!,
      tokens: { refresh_token: secret.refreshToken! },
      endpoints: { tokenUrl: server.tokenUrl },
      onTokens: async () => undefined,
    });
    expect(await gmailAddress({ auth, rootUrl: server.url })).toBe(server.userEmail);
  });

  it('asks for the client id and secret when they are not given', async () => {
    const asked: string[] = [];
    io = {
      ...io,
      ask: async (question, options) => {
        asked.push(options?.flag ?? question);
        return options?.flag === '--client-id' ? server.clientId : server.clientSecret;
      },
    };
    const result = await connectGoogle({ authUrl: server.authUrl, tokenUrl: server.tokenUrl, apiRoot: server.url }, io);
    expect(asked).toEqual(['--client-id', '--client-secret']);
    expect(result.mailbox?.type).toBe('gmail');
  });

  it('names the calendar flag when a calendar does not exist', async () => {
    const error = await connectGoogle(flags({ calendar: ['nope@group.calendar.google.com'] }), io).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toMatch(/^--calendar: .*nope@group\.calendar\.google\.com/);
  });

  it('fails with a clear line when the user unticked a scope', async () => {
    server.setConsent({ grantScopes: SCOPES.filter((scope) => !scope.endsWith('gmail.readonly')) });
    const error = await connectGoogle(flags(), io).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunTimeError);
    expect((error as Error).message).toContain('missing: gmail.readonly');
  });

  it('refuses a malformed client id or override before opening a browser', async () => {
    await expect(connectGoogle(flags({ clientId: 'has spaces' }), io)).rejects.toBeInstanceOf(BadInputError);
    await expect(connectGoogle(flags({ tokenUrl: 'ftp://x' }), io)).rejects.toThrow(/^--token-url/);
    expect(opened).toHaveLength(0);
  });

  it('reports a wrong client secret as a run-time failure saying to connect again', async () => {
    const error = await connectGoogle(flags({ clientSecret: 'wrong' }), io).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunTimeError);
    expect((error as Error).message).toContain('invalid_client');
    expect((error as Error).message).not.toContain('wrong');
  });
});
