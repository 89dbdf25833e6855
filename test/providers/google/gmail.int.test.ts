/**
 * Gmail through the real googleapis client against the fake Google server: the mailbox
 * contract, then what is particular to Gmail's drafts, threads and search.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { AccountUnusableError, LimitReachedError, PermanentError, RateLimitError, TransientError } from '../../../src/providers/errors.js';
import { READ_RETRY_MS } from '../../../src/providers/errors.js';
import { readHeaders } from '../../../src/providers/mail/mime.js';
import { READ_MESSAGE_LIMIT, type Mailbox } from '../../../src/providers/mail/types.js';
import type { GoogleServer } from '../../support/google-server.js';
import { authFor, gmailHarness } from '../../support/google-server/harness.js';
import { expectNamesEnd } from '../../support/held-end.js';
import { createGmailMailbox } from '../../../src/providers/google/gmail.js';
import { describeMailboxContract } from '../mail/contract.js';

describeMailboxContract('gmail', () => gmailHarness(), { listsDraftCopies: false });

// Gmail does not promise to keep the Message-ID of what it sends (the stand-in's
// rewriteMessageIdOnSend, with its sources): the same contract holds when it writes its own.
describeMailboxContract('gmail, Message-ID rewritten on send', async () => {
  const harness = await gmailHarness();
  harness.server.gmail.rewriteMessageIdOnSend = true;
  return harness;
}, { listsDraftCopies: false });

const HOUR = 3_600_000;

describe('gmail mailbox', () => {
  let server: GoogleServer;
  let mailbox: Mailbox;
  let close: () => Promise<void>;
  beforeEach(async () => {
    const harness = await gmailHarness();
    server = harness.server;
    mailbox = harness.mailbox;
    close = () => harness.close();
  });
  afterEach(async () => {
    await close();
  });

  const email = (overrides: Partial<ComposedEmail> = {}): ComposedEmail => ({
    messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
    from: { name: 'Ada Park', email: 'ada@example.org' },
    to: [{ name: 'Lee Chen', email: 'lee@corp.example' }],
    subject: 'Confirming our call',
    text: 'See you at 10:00.',
    html: '<p>See you at 10:00.</p>',
    date: Date.UTC(2031, 2, 4, 15),
    ...overrides,
  });

  /**
   * drafts.send names a draft that is no longer in Drafts with 404 "Requested entity was not
   * found." (reason notFound; https://developers.google.com/workspace/gmail/api/guides/handle-errors):
   * the user sent it from Gmail, or discarded it, after ringback looked for it. Read as Google
   * refusing the send, a confirmation the user had just sent was recorded as failed, and a discarded
   * one named no cause the user could recognise.
   */
  describe('a draft that leaves Drafts while it is being sent', () => {
    const sendWhile = async (userAction: (draftId: string) => void) => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      // ringback's drafts.send is held at the server while the user acts in Gmail.
      server.failNext(1, { delayMs: 400 }, /\/drafts\/send$/);
      const sending = mailbox.send(ref).then((sent) => sent, (error: unknown) => error);
      await expect.poll(() => server.apiRequests('/gmail/v1/users/me/drafts/send').length).toBe(1);
      userAction(ref.providerId);
      return { draft, outcome: await sending };
    };

    it('takes a draft the user sent from Gmail meanwhile as sent, once', async () => {
      const { draft, outcome } = await sendWhile((draftId) => server.gmail.userSendsDraft(draftId));
      expect(outcome).not.toBeInstanceOf(Error);
      expect(outcome).toMatchObject({ messageId: draft.messageId });
      expect(server.gmail.sentCount(draft.messageId)).toBe(1);
    });

    it('says a draft the user discarded meanwhile was deleted in Gmail, and sends nothing', async () => {
      const { draft, outcome } = await sendWhile((draftId) => server.gmail.userDeletesDraft(draftId));
      expect(outcome).toBeInstanceOf(PermanentError);
      expect((outcome as Error).message).toMatch(/deleted in Gmail/);
      expect(server.gmail.sentCount(draft.messageId)).toBe(0);
    });
  });

  it('writes the draft as raw RFC 5322 with our Message-ID and reference header', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    const [stored] = server.gmail.drafts();
    expect(stored?.draftId).toBe(ref.providerId);
    expect(stored?.threadId).toBe(ref.threadId);
    const headers = readHeaders(stored!.raw);
    expect(headers.messageId).toBe(draft.messageId);
    expect(headers.ringbackRef).toBe(draft.messageId);
    const [create] = server.apiRequests('/gmail/v1/users/me/drafts');
    expect(create?.method).toBe('POST');
  });

  it('pins down a web-UI edit: same draft id, Gmail Message-ID replaced by ours on send, exactly once', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    const edit = server.gmail.userEditsDraft(ref.providerId, 'Could we make it 10:15?');
    expect(edit.messageId).not.toBe(draft.messageId);
    const state = await mailbox.draftState(ref);
    expect(state).toEqual({ state: 'draft', ref: { providerId: ref.providerId, messageId: draft.messageId, threadId: ref.threadId } });
    const sent = await mailbox.send(ref);
    expect(sent.messageId).toBe(draft.messageId);
    expect(server.gmail.sentCount(draft.messageId)).toBe(1);
    expect(server.gmail.sentCount(edit.messageId)).toBe(0);
    const [record] = server.gmail.sent;
    expect(record!.raw.toString('utf8')).toContain('Could we make it 10:15?');
    expect(readHeaders(record!.raw).ringbackRef).toBe(draft.messageId);
    // A retry (crash after the send) finds it in Sent and sends nothing.
    expect(await mailbox.send(ref)).toMatchObject({ providerId: sent.providerId });
    expect(server.gmail.sent).toHaveLength(1);
  });

  it('keeps an edit that kept the Message-ID as it is', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    server.gmail.userEditsDraft(ref.providerId, 'Edited, same id.', { keepMessageId: true });
    const puts = () => server.apiRequests().filter((request) => request.method === 'PUT').length;
    await mailbox.send(ref);
    expect(puts()).toBe(0);
    expect(server.gmail.sentCount(draft.messageId)).toBe(1);
  });

  it('does not send an old ref whose draft now holds another ringback email', async () => {
    const first = email();
    const ref = await mailbox.createDraft(first);
    const second = email({ messageId: first.messageId.replace('.1@', '.2@') });
    const updated = await mailbox.updateDraft(ref, second);
    expect(updated.providerId).toBe(ref.providerId);
    await expect(mailbox.send(ref)).rejects.toThrow(/nothing to send/);
    await expect(mailbox.updateDraft(ref, first)).rejects.toBeInstanceOf(PermanentError);
    await mailbox.deleteDraft(ref); // stale ref: the new version stays
    expect(await mailbox.draftState(updated)).toMatchObject({ state: 'draft' });
  });

  it('threads a reply with threadId, In-Reply-To and References, and starts a new thread when the old one is gone', async () => {
    const confirmation = email();
    const sent = await mailbox.send(await mailbox.createDraft(confirmation));
    const followUp = email({ messageId: confirmation.messageId.replace('confirmation', 'thankyou'), subject: 'Re: Confirming our call' });
    const ref = await mailbox.createDraft(followUp, { replyTo: sent });
    expect(ref.threadId).toBe(sent.threadId);
    const draft = server.gmail.drafts().find((entry) => entry.draftId === ref.providerId)!;
    const headers = readHeaders(draft.raw);
    expect(headers.inReplyTo).toEqual([confirmation.messageId]);
    expect(headers.references).toEqual([confirmation.messageId]);
    const [create] = server.apiRequests('/gmail/v1/users/me/drafts').filter((request) => request.method === 'POST').slice(-1);
    expect(create).toBeDefined();
    // The conversation was deleted in Gmail: the reply still gets written, in a new thread.
    const orphan = await mailbox.createDraft(email({ messageId: confirmation.messageId.replace('confirmation', 'noshow') }), {
      replyTo: { ...sent, threadId: 'ffffffffffffffff' },
    });
    expect(orphan.threadId).not.toBe('ffffffffffffffff');
  });

  it('finds a reply in the thread of the threadId given, ignoring our own messages and older mail', async () => {
    const confirmation = email();
    const sent = await mailbox.send(await mailbox.createDraft(confirmation));
    const since = Date.now() - HOUR;
    server.gmail.deliverReply({ from: 'Lee Chen <lee@corp.example>', inReplyTo: confirmation.messageId, subject: 'Re: Confirming our call', date: since + 1000 });
    server.gmail.deliverReply({ from: 'lee@corp.example', inReplyTo: confirmation.messageId, subject: 'Re: Confirming our call', date: since - 1000 });
    const replies = await mailbox.repliesSince({ messageIds: [], threadId: sent.threadId ?? null, counterpart: '' }, since);
    expect(replies.map((reply) => ({ from: reply.from, date: reply.date }))).toEqual([{ from: 'lee@corp.example', date: since + 1000 }]);
  });

  it('turns 503 into a TransientError and 429 into a RateLimitError with its delay, one request each, and calls nothing during that delay', async () => {
    await mailbox.findByMessageId(email().messageId); // token fetched
    let before = server.apiRequests().length;
    server.failNext(1, { status: 503 });
    await expect(mailbox.createDraft(email())).rejects.toBeInstanceOf(TransientError);
    expect(server.apiRequests().length - before).toBe(1);
    before = server.apiRequests().length;
    server.failNext(1, { status: 429, retryAfter: 3 });
    const error = await mailbox.createDraft(email()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
    expect(server.apiRequests().length - before).toBe(1);
    // Any call of the account during the wait, a read included, is answered without a request.
    before = server.apiRequests().length;
    const refused = await mailbox.findByMessageId(email().messageId).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(RateLimitError);
    expect((refused as RateLimitError).retryAfterMs).toBeGreaterThan(0);
    expect((refused as RateLimitError).retryAfterMs).toBeLessThanOrEqual(3000);
    expect(server.apiRequests().length - before).toBe(0);
    expect(server.gmail.drafts()).toHaveLength(0);
  });

  // The hold inside a step says when the wait ends as the rate gate between steps does
  // (src/providers/rate-gate.ts): that message reaches the audit log and doctor, where "until the
  // wait it asked for is over" told the user nothing of when mail would go out again.
  it('names the end of the wait, in the user\'s zone, when it holds a call during a Retry-After', async () => {
    const zone = 'Asia/Tokyo';
    const held = createGmailMailbox({ id: 'gmail-zone', auth: authFor(server).auth, rootUrl: server.url, userEmail: server.userEmail, zone });
    try {
      await held.findByMessageId(email().messageId); // token fetched
      server.failNext(1, { status: 429, retryAfter: 2_400 });
      const started = Date.now();
      await expect(held.createDraft(email())).rejects.toBeInstanceOf(RateLimitError);
      const answered = Date.now();
      const refused = await held.findByMessageId(email().messageId).catch((caught: unknown) => caught);
      expect(refused).toBeInstanceOf(RateLimitError);
      expect((refused as Error).message).toContain('Gmail asked to slow down: searching');
      expectNamesEnd((refused as Error).message, zone, started + 2_400_000, answered + 2_400_000);
    } finally {
      await held.close();
    }
  });

  // Gmail's per-user limit answers 429 or 403 userRateLimitExceeded with no Retry-After header but
  // the time in its message: "User-rate limit exceeded.  Retry after 2023-03-07T18:18:23.688Z",
  // often a quarter of an hour out (taers232c/GAMADV-XTD3#337, twentyhq/twenty#17850;
  // https://developers.google.com/gmail/api/guides/handle-errors). Asking again every 30 s until
  // then only spends the quota of the calls still to make.
  it('waits until the time Gmail names in a rate-limit message that comes with no Retry-After', async () => {
    for (const [status, reason] of [[429, 'rateLimitExceeded'], [403, 'userRateLimitExceeded']] as const) {
      // A mailbox of its own each time: the first wait would hold the second call without a request.
      const harness = await gmailHarness();
      try {
        await harness.mailbox.findByMessageId(email().messageId); // token fetched
        const until = Date.now() + 15 * 60_000;
        const message = `User-rate limit exceeded.  Retry after ${new Date(until).toISOString()}`;
        harness.server.failNext(1, status === 429 ? { status, reason, message } : { status, reason, message });
        const started = Date.now();
        const error = await harness.mailbox.createDraft(email()).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RateLimitError);
        expect((error as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(until - Date.now());
        expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(until - started);
      } finally {
        await harness.close();
      }
    }
  });

  // The day's sending limit through the API: "If these limits are exceeded, a HTTP 429 Too Many
  // Requests "User-rate limit exceeded" "(Mail sending)" error is returned with time to retry.
  // Note that daily limits being exceeded may result in these types of errors for multiple hours"
  // (https://developers.google.com/gmail/api/guides/handle-errors, "Mail sending limits"), reason
  // rateLimitExceeded as for the per-user rate limit above. Taken as that rate limit, it held every
  // call of the account for up to an hour, drafts included, and then failed again, all day; only
  // the sends are limited.
  it('takes the 429 "(Mail sending)" limit as a sending limit that holds the sends only, rechecked at the time Gmail names', async () => {
    const ref = await mailbox.createDraft(email());
    const until = Date.now() + 10 * 60_000;
    const message = `User-rate limit exceeded.  Retry after ${new Date(until).toISOString()} (Mail sending)`;
    server.failNext(1, { status: 429, reason: 'rateLimitExceeded', message }, /\/drafts\/send$/);
    const started = Date.now();
    const limited = await mailbox.send(ref).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(LimitReachedError);
    expect((limited as LimitReachedError).sendsOnly).toBe(true);
    expect((limited as Error).message).toContain('(Mail sending)');
    expect((limited as LimitReachedError).fix).toMatch(/sending limit/);
    expect((limited as LimitReachedError).recheckAfterMs).toBeGreaterThanOrEqual(until - Date.now());
    expect((limited as LimitReachedError).recheckAfterMs).toBeLessThanOrEqual(until - started);
    // The account's other calls go on at once: a new draft is written, with a request.
    const before = server.apiRequests().length;
    await mailbox.createDraft(email({ subject: 'Written during the limit' }));
    expect(server.apiRequests().length - before).toBeGreaterThan(0);
    expect(server.gmail.drafts()).toHaveLength(2);
  });

  // Gmail answers 400 failedPrecondition for an account that cannot use it at all: "Mail service
  // not enabled" (a Workspace user without Gmail: FlowCrypt/flowcrypt-browser#435,
  // WPManageNinja/fluent-smtp#152), "Precondition check failed." (googleapis/google-api-java-client#1648).
  // Every email fails the same way until the account changes: the account's trouble, not the email's.
  it('takes 400 failedPrecondition as the account being unusable, naming Gmail\'s reason', async () => {
    await mailbox.findByMessageId(email().messageId);
    server.failNext(1, { status: 400, reason: 'failedPrecondition', message: 'Mail service not enabled' });
    const error = await mailbox.createDraft(email()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AccountUnusableError);
    expect((error as Error).message).toContain('Mail service not enabled');
    expect(server.gmail.drafts()).toHaveLength(0);
  });

  // The other 403s of https://developers.google.com/gmail/api/guides/handle-errors: "Daily limit
  // exceeded" (dailyLimitExceeded, the project's daily courtesy limit: wait, it lifts by itself)
  // and "The domain administrators have disabled Gmail apps" (domainPolicy: the account's
  // administrator has to allow the app). Neither is a fault of the email.
  it('waits out 403 dailyLimitExceeded and takes 403 domainPolicy as the account being unusable', async () => {
    await mailbox.findByMessageId(email().messageId);
    server.failNext(1, { status: 403, reason: 'domainPolicy', message: 'The domain administrators have disabled Gmail apps.' });
    const refused = await mailbox.createDraft(email()).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(AccountUnusableError);
    expect((refused as Error).message).toContain('domainPolicy');
    server.failNext(1, { status: 403, reason: 'dailyLimitExceeded', message: 'Daily Limit Exceeded' });
    const limited = await mailbox.createDraft(email()).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(15 * 60_000);
    expect(server.gmail.drafts()).toHaveLength(0);
  });

  it('reads a Retry-After given as an HTTP-date (RFC 9110 §10.2.3)', async () => {
    await mailbox.findByMessageId(email().messageId);
    const until = Math.ceil((Date.now() + 90_000) / 1000) * 1000;
    server.failNext(1, { status: 429, retryAfter: new Date(until).toUTCString() });
    const started = Date.now();
    const error = await mailbox.createDraft(email()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(until - Date.now());
    expect((error as RateLimitError).retryAfterMs).toBeLessThanOrEqual(until - started);
  });

  it('tries a read again after a transient failure, but never a write or a 429, and gives up after three tries', async () => {
    const sent = await mailbox.send(await mailbox.createDraft(email()));
    let before = server.apiRequests().length;
    expect((await mailbox.findByMessageId(sent.messageId))?.folder).toBe('sent');
    const clean = server.apiRequests().length - before;

    for (const fault of [{ status: 503 }, { status: 500 }] as const) {
      before = server.apiRequests().length;
      server.failNext(1, fault, /\/messages$/);
      expect((await mailbox.findByMessageId(sent.messageId))?.folder).toBe('sent');
      expect(server.apiRequests().length - before).toBe(clean + 1);
    }

    before = server.apiRequests().length;
    server.failNext(3, { status: 503 }, /\/messages$/);
    await expect(mailbox.findByMessageId(sent.messageId)).rejects.toBeInstanceOf(TransientError);
    expect(server.apiRequests().length - before).toBe(READ_RETRY_MS.length + 1);

    // The send itself is a write: a 503 on it is the queue's to retry, one request.
    const draft = await mailbox.createDraft(email());
    const sends = server.apiRequests('/gmail/v1/users/me/drafts/send').length;
    server.failNext(1, { status: 503 }, /\/drafts\/send$/);
    await expect(mailbox.send(draft)).rejects.toBeInstanceOf(TransientError);
    expect(server.apiRequests('/gmail/v1/users/me/drafts/send').length - sends).toBe(1);

    // A 429 on a read is the queue's, with its Retry-After: not tried again here.
    before = server.apiRequests().length;
    server.failNext(1, { status: 429, retryAfter: 2 }, /\/messages$/);
    await expect(mailbox.findByMessageId(sent.messageId)).rejects.toBeInstanceOf(RateLimitError);
    expect(server.apiRequests().length - before).toBe(1);
  });

  it('reads a draft raw, cut at the limit, and a sent message with messages.get format=raw', async () => {
    const large = email({ text: 'Lorem ipsum dolor sit amet.\n'.repeat(30_000) });
    const ref = await mailbox.createDraft(large);
    const stored = server.gmail.drafts().find((draft) => draft.draftId === ref.providerId)!;
    expect(stored.raw.length).toBeGreaterThan(READ_MESSAGE_LIMIT);
    const cut = (await mailbox.readMessage(ref))?.raw;
    expect(cut?.equals(stored.raw.subarray(0, READ_MESSAGE_LIMIT))).toBe(true);

    const sent = await mailbox.send(await mailbox.createDraft(email()));
    const before = server.apiRequests().length;
    const raw = (await mailbox.readMessage(sent))?.raw;
    expect(readHeaders(raw!).messageId).toBe(sent.messageId);
    const read = server.apiRequests().slice(before).find((request) => request.path === `/gmail/v1/users/me/messages/${sent.providerId}`);
    expect(read?.query.get('format')).toBe('raw');
  });

  it('turns a 429 on reading a sent message into a RateLimitError', async () => {
    const sent = await mailbox.send(await mailbox.createDraft(email()));
    server.failNext(1, { status: 429, retryAfter: 4 }, new RegExp(`/messages/${sent.providerId}$`));
    const error = await mailbox.readMessage(sent).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(4000);
  });
});
