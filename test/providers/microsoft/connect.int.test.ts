/**
 * `ringback connect microsoft` against the local Graph and sign-in server: the device-code prompt
 * reaches the user, the account is checked through /me, and the result names one calendar and
 * one mailbox sharing the saved token cache, which alone is enough for the adapters afterwards.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectMicrosoft } from '../../../src/cli/connect/microsoft.js';
import type { ConnectIO } from '../../../src/cli/connect/types.js';
import { BadInputError, RunTimeError } from '../../../src/errors.js';
import { createGraphCalendarSource } from '../../../src/providers/microsoft/calendar.js';
import { startGraphServer, type GraphServer } from '../../support/graph-server.js';
import { authFor, memoryStorage } from '../../support/graph-server/sign-in.js';
import { syncAll } from '../calendar/contract.js';

interface TestIO extends ConnectIO {
  readonly lines: string[];
}

/** A terminal: records what is said, and the "user" approves a device code once msal has polled for it. */
function terminal(server: GraphServer, answers: Record<string, string> = {}): TestIO {
  const lines: string[] = [];
  return {
    lines,
    signal: AbortSignal.timeout(20_000),
    ask: async (_question, options) => {
      const answer = options?.flag ? answers[options.flag] : undefined;
      if (answer === undefined) throw new BadInputError(`${options?.flag ?? 'question'}: no TTY`);
      return answer;
    },
    say: (line) => {
      lines.push(line);
      const code = /enter the code (\S+)/.exec(line)?.[1];
      if (code) void server.identity.polled(code, 1).then(() => server.identity.approve(code));
    },
    openUrl: async () => {
      throw new Error('the device code flow opens no browser');
    },
  };
}

describe('connect microsoft', () => {
  let server: GraphServer;

  beforeEach(async () => {
    server = await startGraphServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('signs in with a device code and returns a calendar and a mailbox sharing the token cache', async () => {
    const io = terminal(server);
    const result = await connectMicrosoft({ clientId: server.clientId, authority: server.authority, apiRoot: server.apiRoot }, io, { fetch: server.fetch });
    const prompt = io.lines.find((line) => line.includes('enter the code'));
    expect(prompt).toContain(`${server.origin}/devicelogin`);
    expect(io.lines.at(-1)).toBe(`signed in as ${server.user.mail}: the Outlook calendar and mailbox answered`);

    const id = `microsoft-${createHash('sha256').update(server.user.userPrincipalName).digest('hex').slice(0, 8)}`;
    expect(result.calendars).toEqual([{ type: 'microsoft', id, account: server.user.mail, authority: server.authority, apiRoot: server.apiRoot }]);
    expect(result.mailbox).toEqual({ type: 'microsoft', id, account: server.user.mail, authority: server.authority, apiRoot: server.apiRoot });
    expect(Object.keys(result.secrets)).toEqual([id]);
    expect(result.secrets[id]?.clientId).toBe(server.clientId);
    const graphCalls = server.graphRequests().map((r) => r.url.split('?')[0]);
    expect(graphCalls).toEqual(['/v1.0/me', '/v1.0/me/calendar', '/v1.0/me/mailFolders/drafts']);

    // Later, the daemon starts from the stored secrets alone.
    server.calendar.putGraphEvent({
      id: 'ev',
      subject: 'Phone screen',
      start: { dateTime: '2099-01-01T10:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2099-01-01T10:30:00.0000000', timeZone: 'UTC' },
    });
    const auth = authFor(server, memoryStorage(result.secrets[id]?.tokenCache ?? null));
    const calendar = createGraphCalendarSource({
      id,
      getToken: auth.getToken,
      baseUrl: server.apiRoot,
      ownerEmail: server.user.mail,
      fetch: server.fetch,
      now: () => Date.UTC(2098, 11, 31),
    });
    expect((await syncAll(calendar, null)).upserts.map((e) => e.id)).toEqual(['ev']);
  });

  it('asks for the client id when the flag is missing, and refuses one that is not an id', async () => {
    await expect(connectMicrosoft({}, terminal(server))).rejects.toBeInstanceOf(BadInputError);
    await expect(connectMicrosoft({}, terminal(server, { '--client-id': 'my-app' }))).rejects.toThrow('--client-id');
    await expect(connectMicrosoft({ clientId: server.clientId, tenant: 'con toso' }, terminal(server))).rejects.toThrow('--tenant');
    await expect(connectMicrosoft({ clientId: server.clientId, authority: 'http://login.example/common' }, terminal(server))).rejects.toThrow('--authority');
    expect(server.log).toHaveLength(0);
  });

  it('reports an app registration the server does not know as a run-time failure', async () => {
    const io = terminal(server);
    const failure = connectMicrosoft(
      { clientId: '11111111-2222-3333-4444-555555555555', authority: server.authority, apiRoot: server.apiRoot },
      io,
      { fetch: server.fetch },
    );
    await expect(failure).rejects.toBeInstanceOf(RunTimeError);
    await expect(failure).rejects.toThrow(/^connect microsoft: Microsoft does not accept the app registration .*unauthorized_client.*Allow public client flows/);
    expect(io.lines.some((line) => line.includes('enter the code'))).toBe(false);
  });
});
