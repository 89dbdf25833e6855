/**
 * The whole engine through the Microsoft adapters (issue 6, "Done when"): msal-node and the real
 * Graph client, built by the factory from the vault's secrets (the client id and the msal token
 * cache a device-code sign-in left), against the local Graph and sign-in server over HTTPS.
 * Event created in the Outlook calendar → confirmation draft in Drafts → sent exactly once.
 *
 * The factory builds the adapters on the global `fetch` and takes no CA, and Node 20 reads
 * NODE_EXTRA_CA_CERTS only at start, so this test process trusts the server's self-signed
 * certificate through the global fetch's dispatcher (see {@link trustForThisProcess}).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { runAction } from '../../src/engine/actions.js';
import { resumeIfUsable } from '../../src/engine/outage.js';
import { SUBMITTED_BOUND_MS } from '../../src/engine/submitted.js';
import { checkDeliveryReports } from '../../src/engine/undelivered.js';
import { TransientError } from '../../src/providers/errors.js';
import { getEmail } from '../../src/store/drafts.js';
import { currentOutage } from '../../src/store/outages.js';
import { deliveryReport } from '../support/delivery-reports.js';
import { startGraphServer, type GraphServer } from '../support/graph-server.js';
import { signIn } from '../support/graph-server/sign-in.js';
import { trustForThisProcess } from '../support/graph-server/trust.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const ACCOUNT = 'microsoft';

let server: GraphServer;
let untrust: (() => Promise<void>) | null = null;
let h: EngineHarness | null = null;

beforeAll(async () => {
  server = await startGraphServer();
  untrust = await trustForThisProcess(server.ca);
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await untrust?.();
  await server?.close();
});

/** The engine on Outlook, as `connect microsoft` leaves the config and the vault. */
async function microsoftEngine(): Promise<EngineHarness> {
  const { storage } = await signIn(server);
  const tokenCache = storage.saved();
  if (!tokenCache) throw new Error('the sign-in saved no token cache');
  const entry = { id: ACCOUNT, account: server.user.mail, authority: server.authority, apiRoot: server.apiRoot };
  h = await startEngineHarness({
    calendars: [{ type: 'microsoft', ...entry }],
    mailbox: { type: 'microsoft', ...entry },
    secrets: { [ACCOUNT]: { clientId: server.clientId, tokenCache } },
  });
  return h;
}


describe('engine on Outlook (Graph)', () => {
  it('event in the Outlook calendar → draft in Drafts → sent exactly once', async () => {
    const h = await microsoftEngine();
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    const eventId = server.calendar.putHarnessEvent(interviewEvent({ uid: `ms-${randomUUID()}`, start }));
    expect((await syncOnce(h.engine, ACCOUNT)).interviewsNew).toBe(1);
    await h.start();
    const id = interviewIdFor(ACCOUNT, eventId);
    const confirmation = `<ringback.${id}.confirmation.1@example.org>`;

    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(server.mail.folderOf(confirmation)).toEqual(['drafts']);
    expect(server.mail.sentCount(confirmation)).toBe(0);

    await h.advance(2 * HOUR - 15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(server.mail.sentCount(confirmation)).toBe(1);
    expect(server.mail.folderOf(confirmation)).toEqual(['sentitems']);
    const [sent] = server.mail.sentMessages(confirmation);
    expect(sent?.recipients).toContain('dana@acme.example');
    expect(sent?.text).toContain('I look forward');

    // Another sync and a reconcile send nothing more.
    await syncOnce(h.engine, ACCOUNT);
    await h.advance(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(server.mail.sentCount(confirmation)).toBe(1);
    // Every Graph call of the engine reached this server over TLS with a bearer token.
    expect(server.graphRequests().length).toBeGreaterThan(0);
    expect(server.graphRequests().every((r) => r.status !== 401)).toBe(true);
  });
});

describe('a bounce on Outlook', () => {
  it('an Exchange report naming the sent confirmation only by its X-Ringback-Ref marks it not delivered', async () => {
    const h = await microsoftEngine();
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    const eventId = server.calendar.putHarnessEvent(interviewEvent({ uid: `ms-${randomUUID()}`, start }));
    await syncOnce(h.engine, ACCOUNT);
    await h.start();
    const id = interviewIdFor(ACCOUNT, eventId);
    const confirmation = `<ringback.${id}.confirmation.1@example.org>`;
    await h.advance(2 * HOUR - 15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    // Exchange quotes the message as it left: a Message-ID of its own, our reference header beside it.
    const report = deliveryReport('exchange', { messageId: '<PH0PR11MB0001.sent@outlook.example>', recipient: 'dana@acme.example', sender: server.user.mail, subject: 'Confirming our call', date: h.now() })
      .replace('Message-ID: <PH0PR11MB0001.sent@outlook.example>', `Message-ID: <PH0PR11MB0001.sent@outlook.example>\r\nX-Ringback-Ref: ${confirmation}`);
    server.mail.deliverRaw(Buffer.from(report), h.now());
    expect(await checkDeliveryReports(h.engine)).toMatchObject({ undelivered: 1 });
    const told = await h.waitForAudit((r) => r.type === 'undelivered' && r.interviewId === id);
    expect(told.message).toContain('NOT delivered to dana@acme.example: 550 5.1.10 RESOLVER.ADR.RecipientNotFound');
  });
});

/**
 * Graph answers a send with 202 and files the copy in Sent Items later, here under a new id (the
 * stand-in's `sendDelivery`, with its sources). A process that dies right after the 202 leaves the
 * confirmation "submitted" in Redis; the job run again from that state must not send it again.
 */
describe('Outlook files sent mail later', () => {
  const sendJob = (interviewId: string) => ({ interviewId, kind: 'confirmation-send' as const, revision: 1 });

  async function draftedConfirmation(): Promise<{ h: EngineHarness; id: string; confirmation: string }> {
    const h = await microsoftEngine();
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    const eventId = server.calendar.putHarnessEvent(interviewEvent({ uid: `ms-${randomUUID()}`, start }));
    // The calendar is shared by this file's tests: the earlier tests' events are new here too.
    expect((await syncOnce(h.engine, ACCOUNT)).interviewsNew).toBeGreaterThanOrEqual(1);
    const id = interviewIdFor(ACCOUNT, eventId);
    await runAction(h.engine, { interviewId: id, kind: 'confirmation-draft', revision: 1 });
    // At the send's due time (the queue is not running: the test runs the job itself).
    await h.advance(2 * HOUR - 15 * MINUTE);
    // The daemon's polls read the calendar meanwhile: a send goes only on a calendar read lately.
    await syncOnce(h.engine, ACCOUNT);
    return { h, id, confirmation: `<ringback.${id}.confirmation.1@example.org>` };
  }

  afterEach(() => {
    server.mail.sendDelivery = null;
  });

  it('sends once across a crash right after the 202, and keeps the new id of the copy in Sent Items', async () => {
    server.mail.sendDelivery = { delayMs: 1_500, newId: true, rewriteMessageId: false };
    const { h, id, confirmation } = await draftedConfirmation();
    const draftRef = (await getEmail(h.runtime.store, id, 'confirmation'))?.ref;

    // The 202 comes back; the copy is not in Sent Items yet.
    await expect(runAction(h.engine, sendJob(id))).rejects.toBeInstanceOf(TransientError);
    expect(server.mail.sentCount(confirmation)).toBe(1);
    expect((await getEmail(h.runtime.store, id, 'confirmation'))?.state).toBe('submitted');
    // The process dies here; the job runs again from what Redis holds: nothing is sent again.
    await expect(runAction(h.engine, sendJob(id))).rejects.toBeInstanceOf(TransientError);
    expect(server.mail.sentCount(confirmation)).toBe(1);
    expect((await h.audit(id)).filter((r) => r.type === 'sent' || r.type === 'vetoed')).toHaveLength(0);

    const until = Date.now() + 10_000;
    while (server.mail.folderOf(confirmation)[0] !== 'sentitems') {
      if (Date.now() > until) throw new Error('the copy never reached Sent Items');
      await new Promise((r) => setTimeout(r, 100));
    }
    const result = await runAction(h.engine, sendJob(id));
    expect(result.state).toBe('sent');
    const record = await getEmail(h.runtime.store, id, 'confirmation');
    expect(record?.state).toBe('sent');
    expect(record?.ref.providerId).not.toBe(draftRef?.providerId);
    expect(server.mail.sentCount(confirmation)).toBe(1);
    expect((await h.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });

  it('records it as sent, under the copy\'s new id, when Outlook gave the copy a new id and a new Message-ID', async () => {
    server.mail.sendDelivery = { delayMs: 200, newId: true, rewriteMessageId: true };
    const { h, id, confirmation } = await draftedConfirmation();
    const draftRef = (await getEmail(h.runtime.store, id, 'confirmation'))?.ref;
    await expect(runAction(h.engine, sendJob(id))).rejects.toBeInstanceOf(TransientError);
    const until = Date.now() + 10_000;
    while (server.mail.folderOf(confirmation)[0] === 'drafts') {
      if (Date.now() > until) throw new Error('the draft never left Drafts');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Nothing in any folder carries our Message-ID any more.
    expect(server.mail.folderOf(confirmation)).toEqual([]);
    const result = await runAction(h.engine, sendJob(id));
    expect(result.state).toBe('sent');
    const record = await getEmail(h.runtime.store, id, 'confirmation');
    expect(record?.state).toBe('sent');
    expect(record?.ref.messageId).toBe(confirmation);
    expect(record?.ref.providerId).not.toBe(draftRef?.providerId);
    expect(server.mail.sentCount(confirmation)).toBe(1);
    const trail = await h.audit(id);
    expect(trail.filter((r) => r.type === 'sent')).toHaveLength(1);
    expect(trail.filter((r) => r.type === 'vetoed' || r.type === 'unconfirmed')).toHaveLength(0);
  });

  it('tells the user, and never reads it as a veto, when the copy cannot be found within the bound', async () => {
    // Transport does not take it within the bound (stuck in the Outbox): no copy appears in Sent.
    server.mail.sendDelivery = { delayMs: 60 * 60_000, newId: true, rewriteMessageId: true };
    const { h, id, confirmation } = await draftedConfirmation();
    await expect(runAction(h.engine, sendJob(id))).rejects.toBeInstanceOf(TransientError);
    await expect(runAction(h.engine, sendJob(id))).rejects.toBeInstanceOf(TransientError);
    await h.advance(SUBMITTED_BOUND_MS);
    await syncOnce(h.engine, ACCOUNT);
    const result = await runAction(h.engine, sendJob(id));
    expect(result.state).toBe('unconfirmed');
    expect(result.message).toContain('will not send it again');
    expect(result.message).toContain('still in Drafts');
    const trail = await h.audit(id);
    expect(trail.filter((r) => r.type === 'unconfirmed')).toHaveLength(1);
    expect(trail.filter((r) => r.type === 'vetoed' || r.type === 'sent')).toHaveLength(0);
    expect(server.mail.sent.filter((s) => s.internetMessageId === confirmation)).toHaveLength(1);
  });
});

/**
 * An outage whose light check passes while the account still cannot take a write: an Outlook
 * mailbox that is full still answers reads (403 ErrorQuotaExceeded on writes only,
 * microsoftgraph/microsoft-graph-docs-contrib#6596). The check ends the outage, the waiting steps
 * run, are refused again, and a new outage begins; checked every 15 s, the account flipped between
 * "needs attention" and "works again" four times a minute, each time in the audit and the log,
 * and each waiting step wrote to the mailbox again. An outage that begins again right after one
 * ended is given twice the time the last one lasted before the next check (at most 10 minutes).
 */
describe('an outage that begins again as soon as it ended', () => {
  it('waits twice as long as the last one lasted before it checks the account again', async () => {
    const harness = await microsoftEngine();
    server.calendar.putHarnessEvent(interviewEvent({ uid: `full-${randomUUID()}`, start: Math.floor((harness.now() + 20 * HOUR) / 1000) * 1000 }));
    await syncOnce(harness.engine, ACCOUNT);
    // The mailbox is full: every write is refused, reads go on.
    server.fault({ method: 'POST', path: /^\/v1\.0\/me\//, status: 403, code: 'ErrorQuotaExceeded', message: 'Mailbox has exceeded maximum mailbox size.', times: 200 });
    // The daemon's own check kept out of the way: the test makes each check itself.
    await harness.start({ probeEveryMs: 24 * HOUR });
    const attentions = async () => (await harness.audit()).filter((r) => r.type === 'account' && r.message.includes('needs attention')).length;
    await harness.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    const first = await currentOutage(harness.runtime.store, ACCOUNT);
    expect(first).not.toBeNull();

    // Three minutes later the check passes (reads work): the waiting draft runs and is refused again.
    await harness.advance(3 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeGreaterThan(0);
    await expect.poll(attentions, { timeout: 20_000 }).toBe(2);

    // Five minutes on: well past the usual 15 s, but not yet twice the three minutes the last lasted.
    await harness.advance(5 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeNull();
    expect(await currentOutage(harness.runtime.store, ACCOUNT)).not.toBeNull();
    expect(await attentions()).toBe(2);

    // Seven minutes after it began again: checked, and resumed.
    await harness.advance(2 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeGreaterThan(0);
  });
});
