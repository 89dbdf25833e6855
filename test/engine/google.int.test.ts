/**
 * The whole engine through the Google adapters (issue 5, "Done when"): the real `googleapis` and
 * `google-auth-library` clients, built by the factory from the vault's secrets, pointed at the
 * local Google stand-in with the config's advanced overrides. Event created in the Google
 * calendar → confirmation draft in Gmail → sent exactly once → after the call, a thank-you draft
 * in the same Gmail thread. And a revoked refresh token → the account needs re-auth.
 */
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { AuthError } from '../../src/providers/errors.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { startGoogleServer, type GoogleServer, type GoogleServerOptions } from '../support/google-server.js';
import { googleEventId, toFakeEvent } from '../support/google-server/harness.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { countRoundTrips } from '../support/round-trips.js';

const HOUR = 60 * MINUTE;
const ACCOUNT = 'google';

let h: EngineHarness | null = null;
let server: GoogleServer | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
  await server?.close();
  server = null;
});

/** The engine on Google Calendar and Gmail, as `connect google` leaves the config and the vault. */
async function googleEngine(serverOptions: GoogleServerOptions = {}): Promise<{ h: EngineHarness; server: GoogleServer; refreshToken: string }> {
  server = await startGoogleServer(serverOptions);
  const overrides = { account: server.userEmail, apiRoot: server.url, tokenUrl: server.tokenUrl, authUrl: server.authUrl };
  const refreshToken = server.issueRefreshToken();
  h = await startEngineHarness({
    calendars: [{ type: 'google', id: ACCOUNT, ...overrides }],
    mailbox: { type: 'gmail', id: ACCOUNT, ...overrides },
    secrets: { [ACCOUNT]: { clientId: server.clientId, clientSecret: server.clientSecret, refreshToken } },
    timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60, bufferMinutes: 30 },
  });
  return { h, server, refreshToken };
}


const messageId = (interviewId: string, kind: string, revision = 1) => `<ringback.${interviewId}.${kind}.${revision}@example.org>`;

describe('engine on Google Calendar and Gmail', () => {
  it('event in Google Calendar → Gmail draft → sent exactly once → thank-you draft under its own subject', async () => {
    const { h, server } = await googleEngine();
    const uid = `g-${randomUUID()}`;
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    server.putEvent(toFakeEvent(interviewEvent({ uid, start }), server.userEmail));
    expect((await syncOnce(h.engine, ACCOUNT)).interviewsNew).toBe(1);
    await h.start();
    const id = interviewIdFor(ACCOUNT, googleEventId(uid));
    const confirmation = messageId(id, 'confirmation');

    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const drafts = server.gmail.drafts().filter((d) => d.messageId === confirmation);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.raw.toString('utf8')).toContain('dana@acme.example');
    expect(server.gmail.sentCount(confirmation)).toBe(0);

    await h.advance(2 * HOUR - 15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(server.gmail.sentCount(confirmation)).toBe(1);
    expect(server.gmail.drafts().filter((d) => d.messageId === confirmation)).toHaveLength(0);
    const sent = server.gmail.sent.find((record) => record.messageId === confirmation);
    expect(sent?.threadId).toBeTruthy();

    // Another sync and a reconcile send nothing more.
    await syncOnce(h.engine, ACCOUNT);
    await h.advance(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(server.gmail.sentCount(confirmation)).toBe(1);

    // The call happened; at E + thankYouDelay the thank-you is drafted under its own subject (a
    // new conversation: Gmail keeps a message in a thread only with the same subject).
    await recordOutcome(h.engine, id, 'held', 'cli');
    await h.advance(15 * MINUTE + 30 * MINUTE + 60 * MINUTE + MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    const thanks = server.gmail.drafts().filter((d) => d.messageId === messageId(id, 'thankyou'));
    expect(thanks).toHaveLength(1);
    expect(thanks[0]?.threadId).not.toBe(sent?.threadId);
    const mail = await simpleParser(thanks[0]?.raw ?? Buffer.alloc(0));
    expect(mail.subject).toMatch(/^Thank you/);
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.text).toMatch(/thank/i);
    // A draft, not a send: still one message out.
    expect(server.gmail.sent).toHaveLength(1);
  });

  it('a poll that finds nothing changed: the lease with the cursor, the rate gate before each request, the step that stores the new token', async () => {
    const { h, server } = await googleEngine();
    server.putEvent(toFakeEvent(interviewEvent({ uid: `p-${randomUUID()}`, start: Math.floor((h.now() + 3 * HOUR) / 1000) * 1000 }), server.userEmail));
    expect((await syncOnce(h.engine, ACCOUNT)).interviewsNew).toBe(1);
    const counting = countRoundTrips(h.runtime.redis);
    const poll = await syncOnce(h.engine, ACCOUNT);
    expect({ full: poll.full, changed: poll.changed }).toEqual({ full: false, changed: 0 });
    // The sends held for this calendar are counted by the step that stores the token, after its
    // writes; they were counted by a command of their own behind it (issue 17: 11 commands). The
    // rate gate reads the account's wait in one command before the request, not again after the
    // last page (issue 17: a transaction of four commands each time, four round trips and 10
    // commands in all).
    expect(counting.stop()).toEqual({ roundTrips: 3, commands: 3 });
  });

  it('a revoked refresh token (invalid_grant) → the account needs re-auth after a sync, and the audit says so', async () => {
    // Access tokens that expire at once: every call asks the token endpoint, as an hour later would.
    const { h, server, refreshToken } = await googleEngine({ accessTokenTtlSeconds: 1 });
    server.putEvent(toFakeEvent(interviewEvent({ uid: `r-${randomUUID()}`, start: Math.floor((h.now() + 3 * HOUR) / 1000) * 1000 }), server.userEmail));
    await syncOnce(h.engine, ACCOUNT);
    expect((await getAccountStatus(h.runtime.store, ACCOUNT)).attention).toBeNull();

    server.revokeRefreshToken();
    const failure = await syncOnce(h.engine, ACCOUNT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthError);
    const status = await getAccountStatus(h.runtime.store, ACCOUNT);
    expect(status.attention).toBe('needs-reauth');
    expect(status.lastError).not.toContain(refreshToken);
    const said = await h.waitForAudit((r) => r.type === 'account' && r.accountId === ACCOUNT);
    expect(said.message).toContain(`${ACCOUNT} needs you to sign in again`);
    expect(said.message).not.toContain(refreshToken);
  });
});
