/**
 * Gmail as a {@link Mailbox}, through the Gmail API's drafts and messages.
 *
 * What Gmail does, and what this adapter relies on:
 * - A draft is a container with a stable id; the message inside it is replaced on every update
 *   (new message id) and, when sent, becomes a new message with the SENT label while the draft
 *   disappears.
 * - When the user edits a draft in Gmail, the draft id stays; Gmail's composer writes a new
 *   message, with its own Message-ID and without our `X-Ringback-Ref`. A draft is therefore
 *   found by its id first, and it is still ours unless it now carries another ringback
 *   message (`X-Ringback-Ref` naming another Message-ID: `updateDraft` gave it new content).
 * - Search (`rfc822msgid:`) finds a message by Message-ID in Sent and in Drafts, which is how a
 *   draft or a sent message is found again when its id no longer answers.
 * - A reply joins a thread when the request names the `threadId` and the message carries
 *   In-Reply-To/References and the same subject. Incoming mail threads the same way, so an
 *   answer with a changed subject starts a conversation of its own: `repliesSince` reads the
 *   threads of our messages, then mail from the counterpart, then recent mail that names one of
 *   our Message-IDs in In-Reply-To/References.
 *
 * Sending exactly once: `send` first looks for the caller's Message-ID in Sent and returns that
 * message when it is there. Before sending a draft whose Message-ID Gmail's composer replaced,
 * ringback's Message-ID is put back, so that a retry after a crash finds what was sent and
 * replies to it thread with ringback's Message-IDs. Nothing else in the draft changes.
 */
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import type { ComposedEmail, Millis } from '../../domain/types.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitEnd } from '../rate-gate.js';
import { ExpectedStatus, PermanentError, RateLimitError, READ_RETRY_MS, TransientError } from '../errors.js';
import { buildRawMessage, readHeaders, withReplyTo } from '../mail/mime.js';
import type { CreateDraftOptions, DraftRef, DraftState, FoundMessage, Mailbox, Reply, SendOptions, StoredMessage, ThreadQuery } from '../mail/types.js';
import { apiAuth, callGoogle, type GoogleAuthClient } from './auth.js';
import { deliveryReportsIn, repliesIn } from './gmail-inbox.js';
import { findDraft, findSentOf, locateDraft, ME, type Gmail, type GmailCall } from './gmail-lookup.js';
import { decodeRaw, refOf, withMessageId } from './gmail-message.js';

export interface GmailMailboxOptions {
  /** The account id from the config. */
  readonly id: string;
  readonly auth: GoogleAuthClient;
  /** API root for tests and proxies; its path is ignored. @defaultValue 'https://gmail.googleapis.com/' */
  readonly rootUrl?: string;
  /** The account's address: mail from it is never a reply. */
  readonly userEmail: string;
  /** The candidate's IANA zone (config `candidate.timezone`): a held call names the end of its wait in it. */
  readonly zone: string;
  /** @defaultValue Date.now */
  readonly now?: () => Millis;
}

export function createGmailMailbox(options: GmailMailboxOptions): Mailbox {
  const api = new gmail_v1.Gmail({
    auth: apiAuth<gmail_v1.Options['auth']>(options.auth),
    retry: false,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
  const users = api.users;
  const user = options.userEmail.trim().toLowerCase();
  // When the Retry-After that Gmail last gave this account runs out (performance.now()): no call
  // of this mailbox goes out before, not even one in the middle of an operation that started
  // earlier, or a read tried again (the rate gate, src/providers/rate-gate.ts, holds the account's
  // other operations and processes, between operations).
  let quietUntil = 0;
  const call: GmailCall = async <T>(what: string, run: () => Promise<{ data: T }>, expect?: readonly number[]): Promise<T> => {
    const left = Math.ceil(quietUntil - performance.now());
    if (left > 0) {
      const at = (options.now ?? Date.now)();
      throw new RateLimitError(`Gmail asked to slow down: ${what} waits ${waitEnd(at + left, at, options.zone)}`, left);
    }
    try {
      return (await callGoogle(options.auth, { what, now: options.now, ...(expect ? { expect } : {}) }, run)).data;
    } catch (error) {
      if (error instanceof RateLimitError) quietUntil = Math.max(quietUntil, performance.now() + error.retryAfterMs);
      throw error;
    }
  };
  const read: GmailCall = async <T>(what: string, run: () => Promise<{ data: T }>, expect?: readonly number[]): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(what, run, expect);
      } catch (error) {
        const wait = READ_RETRY_MS[attempt];
        // A 429 is the queue's, with its Retry-After (a RateLimitError is no TransientError).
        if (wait === undefined || !(error instanceof TransientError)) throw error;
        await sleep(wait);
      }
    }
  };
  const gmail: Gmail = { users, call, read };

  /**
   * The thread of each message this process wrote, by its Message-ID: with a Message-ID Gmail
   * rewrote, a look-up by Message-ID alone finds the sent copy through it. After a restart the
   * engine asks with the stored ref (its thread id included), which needs no such memory.
   */
  const threadOf = new Map<string, string>();
  const remember = (ref: DraftRef): DraftRef => {
    if (ref.threadId) threadOf.set(ref.messageId, ref.threadId);
    return ref;
  };

  const findByMessageId = async (messageId: string): Promise<FoundMessage | null> => {
    const sent = await findSentOf(gmail, { providerId: '', messageId, threadId: threadOf.get(messageId) ?? null });
    if (sent) return { folder: 'sent', ref: sent };
    const draft = await findDraft(gmail, messageId);
    return draft ? { folder: 'drafts', ref: draft } : null;
  };

  const createWith = async (raw: string, threadId: string | null): Promise<gmail_v1.Schema$Draft> =>
    await call('creating a draft', () =>
      users.drafts.create({ userId: ME, requestBody: { message: { raw, ...(threadId ? { threadId } : {}) } } }),
      threadId ? [404] : undefined,
    );

  return {
    id: options.id,

    async createDraft(email: ComposedEmail, createOptions?: CreateDraftOptions): Promise<DraftRef> {
      const replyTo = createOptions?.replyTo ?? null;
      const raw = (await buildRawMessage(withReplyTo(email, replyTo))).toString('base64url');
      const threadId = replyTo?.threadId ?? null;
      let draft: gmail_v1.Schema$Draft;
      try {
        draft = await createWith(raw, threadId);
      } catch (error) {
        // The conversation was deleted: the reply starts a new one rather than failing.
        if (!(error instanceof ExpectedStatus)) throw error;
        draft = await createWith(raw, null);
      }
      return remember(refOf(draft, email.messageId));
    },

    async updateDraft(ref: DraftRef, email: ComposedEmail): Promise<DraftRef> {
      const raw = (await buildRawMessage(email)).toString('base64url');
      const gone = () => new PermanentError(`draft ${ref.messageId} is no longer in Gmail's Drafts: it cannot be updated`);
      // Located first, so that a stale ref never overwrites a newer email in the same draft.
      const current = await locateDraft(gmail, ref, 'metadata');
      if (!current?.id) throw gone();
      const draftId = current.id;
      const threadId = current.message?.threadId ?? ref.threadId ?? null;
      try {
        const draft = await call(
          `updating draft ${draftId}`,
          () => users.drafts.update({ userId: ME, id: draftId, requestBody: { id: draftId, message: { raw, ...(threadId ? { threadId } : {}) } } }),
          [404],
        );
        return remember(refOf(draft, email.messageId));
      } catch (error) {
        if (error instanceof ExpectedStatus) throw gone();
        throw error;
      }
    },

    async deleteDraft(ref: DraftRef): Promise<void> {
      const draft = await locateDraft(gmail, ref, 'metadata');
      if (!draft?.id) return;
      const draftId = draft.id;
      try {
        await call(`deleting draft ${draftId}`, () => users.drafts.delete({ userId: ME, id: draftId }), [404]);
      } catch (error) {
        // Gone between the look-up and the delete: what was asked for is done.
        if (!(error instanceof ExpectedStatus)) throw error;
      }
    },

    async draftState(ref: DraftRef): Promise<DraftState> {
      const draft = await locateDraft(gmail, ref, 'metadata');
      if (draft) return { state: 'draft', ref: refOf(draft, ref.messageId) };
      const sent = await findSentOf(gmail, ref);
      return sent ? { state: 'sent', ref: sent } : { state: 'gone' };
    },

    async readMessage(ref: DraftRef): Promise<StoredMessage | null> {
      const draft = await locateDraft(gmail, ref, 'raw');
      if (draft) return { state: 'draft', raw: decodeRaw(draft.message?.raw, ref.messageId) };
      const sent = await findSentOf(gmail, ref);
      if (!sent) return null;
      const id = sent.providerId;
      try {
        const message = await read(`reading message ${id}`, () => users.messages.get({ userId: ME, id, format: 'raw' }), [404]);
        return { state: 'sent', raw: decodeRaw(message.raw, ref.messageId) };
      } catch (error) {
        // Deleted for good between the search and the read.
        if (error instanceof ExpectedStatus) return null;
        throw error;
      }
    },

    async send(ref: DraftRef, options?: SendOptions): Promise<DraftRef> {
      const sent = await findSentOf(gmail, ref);
      if (sent) return sent;
      const draft = await locateDraft(gmail, ref, 'raw');
      if (!draft?.id || !draft.message?.raw) {
        throw new PermanentError(`draft ${ref.messageId} is no longer in Gmail's Drafts: nothing to send`);
      }
      const draftId = draft.id;
      const raw = Buffer.from(draft.message.raw, 'base64url');
      if (readHeaders(raw).messageId !== ref.messageId) {
        const restored = withMessageId(raw, ref.messageId).toString('base64url');
        const threadId = draft.message.threadId;
        await call(`restoring the Message-ID of draft ${draftId}`, () =>
          users.drafts.update({
            userId: ME,
            id: draftId,
            requestBody: { id: draftId, message: { raw: restored, ...(threadId ? { threadId } : {}) } },
          }),
        );
      }
      await options?.beforeSubmit?.();
      let message;
      try {
        message = await call(`sending draft ${draftId}`, () => users.drafts.send({ userId: ME, requestBody: { id: draftId } }), [404]);
      } catch (error) {
        if (!(error instanceof ExpectedStatus)) throw error;
        // 404: the draft left Drafts since it was found, sent from Gmail by the user or discarded.
        const sentMeanwhile = await findSentOf(gmail, { ...ref, threadId: ref.threadId ?? draft.message.threadId ?? null });
        if (sentMeanwhile) return remember(sentMeanwhile);
        throw new PermanentError(`draft ${ref.messageId} was deleted in Gmail while it was being sent: not sending it`);
      }
      if (!message.id) throw new PermanentError(`Gmail sent draft ${draftId} but named no message`);
      return remember({ providerId: message.id, messageId: ref.messageId, threadId: message.threadId ?? null });
    },

    findByMessageId,

    async repliesSince(thread: ThreadQuery, since: Millis): Promise<readonly Reply[]> {
      return await repliesIn(gmail, user, thread, since);
    },

    async deliveryReportsSince(since) {
      return await deliveryReportsIn(gmail, since);
    },

    async close(): Promise<void> {
      // Nothing is held open: each request is its own HTTP exchange.
    },
  };
}

/** The address of the Gmail account the client signed in to (checks the token as a side effect). */
export async function gmailAddress(options: { auth: GoogleAuthClient; rootUrl?: string; signal?: AbortSignal }): Promise<string> {
  const api = new gmail_v1.Gmail({
    auth: apiAuth<gmail_v1.Options['auth']>(options.auth),
    retry: false,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
  const profile = await callGoogle(
    options.auth,
    { what: 'reading the Gmail profile', ...(options.signal ? { signal: options.signal } : {}) },
    () => api.users.getProfile({ userId: ME }, options.signal ? { signal: options.signal } : {}),
  );
  const address = profile.data.emailAddress?.trim().toLowerCase();
  if (!address) throw new PermanentError('Gmail did not say which address it belongs to');
  return address;
}
