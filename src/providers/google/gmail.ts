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
import { PermanentError } from '../errors.js';
import { RINGBACK_REF_HEADER, buildRawMessage, readHeaders, stripHeader, withReplyTo } from '../mail/mime.js';
import { REPORT_SCAN_LIMIT, reportsAmong } from '../mail/report-scan.js';
import { READ_MESSAGE_LIMIT } from '../mail/types.js';
import type { CreateDraftOptions, DraftRef, DraftState, FoundMessage, Mailbox, Reply, StoredMessage, ThreadQuery } from '../mail/types.js';
import { apiAuth, callGoogle, type GoogleAuthClient } from './auth.js';
import { ExpectedStatus } from './errors.js';

export interface GmailMailboxOptions {
  /** The account id from the config. */
  readonly id: string;
  readonly auth: GoogleAuthClient;
  /** API root for tests and proxies; its path is ignored. @defaultValue 'https://gmail.googleapis.com/' */
  readonly rootUrl?: string;
  /** The account's address: mail from it is never a reply. */
  readonly userEmail: string;
  /** @defaultValue Date.now */
  readonly now?: () => Millis;
}

const ME = 'me';
const MESSAGE_ID = /^<[^<>\s"]+@[^<>\s"]+>$/;
const REPLY_HEADERS = ['From', 'Message-ID', 'Subject', 'In-Reply-To', 'References', 'Date'];
/** How many of the newest messages a reply search reads. */
const REPLY_SCAN_LIMIT = 50;

export function createGmailMailbox(options: GmailMailboxOptions): Mailbox {
  const api = new gmail_v1.Gmail({
    auth: apiAuth<gmail_v1.Options['auth']>(options.auth),
    retry: false,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
  const users = api.users;
  const user = options.userEmail.trim().toLowerCase();

  const call = async <T>(what: string, run: () => Promise<{ data: T }>, expect?: readonly number[]): Promise<T> =>
    (await callGoogle(options.auth, { what, now: options.now, ...(expect ? { expect } : {}) }, run)).data;

  /** The draft, or null when Gmail does not know that id (gone, sent, or not a draft id). */
  const getDraft = async (draftId: string, format: 'metadata' | 'raw'): Promise<gmail_v1.Schema$Draft | null> => {
    try {
      return await call(`reading draft ${draftId}`, () => users.drafts.get({ userId: ME, id: draftId, format }), [400, 404]);
    } catch (error) {
      if (error instanceof ExpectedStatus) return null;
      throw error;
    }
  };

  /**
   * The draft that holds the ref's message now: the draft under its id, unless that draft has
   * since been given another ringback message; else a draft found by the Message-ID.
   */
  const locateDraft = async (ref: DraftRef, format: 'metadata' | 'raw'): Promise<gmail_v1.Schema$Draft | null> => {
    const byId = await getDraft(ref.providerId, format);
    if (byId?.message && holds(byId.message, ref.messageId)) return byId;
    const moved = await findDraft(ref.messageId);
    if (!moved || moved.providerId === ref.providerId) return null;
    const found = await getDraft(moved.providerId, format);
    return found?.message && holds(found.message, ref.messageId) ? found : null;
  };

  const findSent = async (messageId: string): Promise<DraftRef | null> => {
    const list = await call(`searching Sent for ${messageId}`, () =>
      // Trash too: a sent message the user threw away was still sent.
      users.messages.list({ userId: ME, q: searchFor(messageId), labelIds: ['SENT'], includeSpamTrash: true, maxResults: 10 }),
    );
    const found = list.messages?.find((message) => message.id);
    return found?.id ? { providerId: found.id, messageId, threadId: found.threadId ?? null } : null;
  };

  /**
   * Our sent message in a thread, found by our reference header rather than the Message-ID: Gmail
   * does not promise to keep the Message-ID of what it sends, and some report that it writes its
   * own (`<…@mx.google.com>`, the original kept as X-Google-Original-Message-ID:
   * https://github.com/xhit/go-simple-mail/issues/47, https://github.com/zkemail/email-wallet/issues/81),
   * which `rfc822msgid:` would then never find.
   */
  const findSentInThread = async (threadId: string, messageId: string): Promise<DraftRef | null> => {
    let thread: gmail_v1.Schema$Thread;
    try {
      thread = await call(
        `reading thread ${threadId}`,
        () => users.threads.get({ userId: ME, id: threadId, format: 'metadata', metadataHeaders: [RINGBACK_REF_HEADER, 'Message-ID', 'X-Google-Original-Message-ID'] }),
        [404],
      );
    } catch (error) {
      // The thread is gone (deleted for good): nothing of ours is in it.
      if (error instanceof ExpectedStatus) return null;
      throw error;
    }
    const ours = (thread.messages ?? []).find(
      (message) =>
        message.labelIds?.includes('SENT') === true &&
        !message.labelIds.includes('DRAFT') &&
        [RINGBACK_REF_HEADER, 'Message-ID', 'X-Google-Original-Message-ID'].some((name) => firstMessageId(header(message, name)) === messageId),
    );
    return ours?.id ? { providerId: ours.id, messageId, threadId } : null;
  };

  /** Sent, by its Message-ID, else in the thread the draft was in. */
  const findSentOf = async (ref: DraftRef): Promise<DraftRef | null> =>
    (await findSent(ref.messageId)) ?? (ref.threadId ? await findSentInThread(ref.threadId, ref.messageId) : null);

  const findDraft = async (messageId: string): Promise<DraftRef | null> => {
    const list = await call(`searching Drafts for ${messageId}`, () =>
      users.drafts.list({ userId: ME, q: searchFor(messageId), maxResults: 10 }),
    );
    const found = list.drafts?.find((draft) => draft.id);
    return found?.id ? { providerId: found.id, messageId, threadId: found.message?.threadId ?? null } : null;
  };

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
    const sent = await findSentOf({ providerId: '', messageId, threadId: threadOf.get(messageId) ?? null });
    if (sent) return { folder: 'sent', ref: sent };
    const draft = await findDraft(messageId);
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
      const current = await locateDraft(ref, 'metadata');
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
      const draft = await locateDraft(ref, 'metadata');
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
      const draft = await locateDraft(ref, 'metadata');
      if (draft) return { state: 'draft', ref: refOf(draft, ref.messageId) };
      const sent = await findSentOf(ref);
      return sent ? { state: 'sent', ref: sent } : { state: 'gone' };
    },

    async readMessage(ref: DraftRef): Promise<StoredMessage | null> {
      const draft = await locateDraft(ref, 'raw');
      if (draft) return { state: 'draft', raw: decodeRaw(draft.message?.raw, ref.messageId) };
      const sent = await findSentOf(ref);
      if (!sent) return null;
      const id = sent.providerId;
      try {
        const message = await call(`reading message ${id}`, () => users.messages.get({ userId: ME, id, format: 'raw' }), [404]);
        return { state: 'sent', raw: decodeRaw(message.raw, ref.messageId) };
      } catch (error) {
        // Deleted for good between the search and the read.
        if (error instanceof ExpectedStatus) return null;
        throw error;
      }
    },

    async send(ref: DraftRef): Promise<DraftRef> {
      const sent = await findSentOf(ref);
      if (sent) return sent;
      const draft = await locateDraft(ref, 'raw');
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
      const message = await call(`sending draft ${draftId}`, () => users.drafts.send({ userId: ME, requestBody: { id: draftId } }));
      if (!message.id) throw new PermanentError(`Gmail sent draft ${draftId} but named no message`);
      return remember({ providerId: message.id, messageId: ref.messageId, threadId: message.threadId ?? null });
    },

    findByMessageId,

    async repliesSince(thread: ThreadQuery, since: Millis): Promise<readonly Reply[]> {
      const ours = new Set(thread.messageIds);
      const counterpart = thread.counterpart.trim().toLowerCase();
      const replies = new Map<string, Reply>();
      const read = new Set<string>();
      const consider = (message: gmail_v1.Schema$Message, inThread: boolean): void => {
        if (!message.id) return;
        read.add(message.id);
        const labels = message.labelIds ?? [];
        if (labels.includes('SENT') || labels.includes('DRAFT') || labels.includes('SPAM')) return;
        const date = Number(message.internalDate ?? NaN);
        if (!Number.isFinite(date) || date < since) return;
        const from = firstAddress(header(message, 'From'));
        if (from === null || from === user) return;
        const named = [...messageIds(header(message, 'In-Reply-To')), ...messageIds(header(message, 'References'))];
        if (!inThread && from !== counterpart && !named.some((id) => ours.has(id))) return;
        const messageId = header(message, 'Message-ID') ?? `<${message.id}@gmail.invalid>`;
        replies.set(message.id, { messageId, from, date, subject: header(message, 'Subject') ?? '' });
      };
      const readListed = async (q: string): Promise<void> => {
        const list = await call('searching for replies', () => users.messages.list({ userId: ME, q, maxResults: REPLY_SCAN_LIMIT }));
        for (const entry of list.messages ?? []) {
          const id = entry.id;
          if (!id || read.has(id)) continue;
          consider(await call(`reading message ${id}`, () => users.messages.get({ userId: ME, id, format: 'metadata', metadataHeaders: REPLY_HEADERS })), false);
        }
      };

      // 1. The conversations our messages live in.
      const threads = new Set<string>(thread.threadId ? [thread.threadId] : []);
      for (const messageId of ours) {
        if (!MESSAGE_ID.test(messageId)) continue;
        const list = await call(`searching for ${messageId}`, () => users.messages.list({ userId: ME, q: searchFor(messageId), maxResults: 10 }));
        for (const entry of list.messages ?? []) if (entry.threadId) threads.add(entry.threadId);
      }
      for (const threadId of threads) {
        try {
          const found = await call(
            `reading thread ${threadId}`,
            () => users.threads.get({ userId: ME, id: threadId, format: 'metadata', metadataHeaders: REPLY_HEADERS }),
            [404],
          );
          for (const message of found.messages ?? []) consider(message, true);
        } catch (error) {
          // The user deleted the conversation: the searches below still see what arrived.
          if (!(error instanceof ExpectedStatus)) throw error;
        }
      }
      const after = `after:${Math.floor(since / 1000)}`;
      // 2. Anything from the counterpart.
      if (counterpart && !/[\s"()]/.test(counterpart)) await readListed(`from:${counterpart} ${after}`);
      // 3. Recent mail naming one of our messages, whose changed subject made Gmail start a new
      //    conversation (an assistant answering "on behalf of"). Bounded to the newest messages.
      await readListed(`${after} -in:sent -in:drafts`);
      return [...replies.values()].sort((a, b) => a.date - b.date);
    },

    async deliveryReportsSince(since) {
      // Gmail's own reports come from mailer-daemon@googlemail.com; other servers' from their
      // mailer daemon or postmaster (delivery-report.ts). Newest first, as Gmail lists.
      const ids = new Set<string>();
      for (const sender of ['mailer-daemon', 'postmaster']) {
        const q = `in:inbox from:${sender} after:${Math.floor(since / 1000)}`;
        const list = await call('looking for delivery reports', () => users.messages.list({ userId: ME, q, maxResults: REPORT_SCAN_LIMIT }));
        for (const entry of list.messages ?? []) if (entry.id) ids.add(entry.id);
      }
      const found: Array<{ date: Millis; raw: Buffer }> = [];
      for (const id of ids) {
        try {
          const message = await call(`reading message ${id}`, () => users.messages.get({ userId: ME, id, format: 'raw' }), [404]);
          const date = Number(message.internalDate ?? NaN);
          if (Number.isFinite(date) && date >= since) found.push({ date, raw: decodeRaw(message.raw, id) });
        } catch (error) {
          // Deleted between the listing and the read.
          if (!(error instanceof ExpectedStatus)) throw error;
        }
      }
      return await reportsAmong(found.sort((a, b) => a.date - b.date), async ({ raw }) => raw);
    },

    async close(): Promise<void> {
      // Nothing is held open: each request is its own HTTP exchange.
    },
  };
}

/** The `q` term that finds a Message-ID; refuses anything that could widen the search. */
function searchFor(messageId: string): string {
  if (!MESSAGE_ID.test(messageId)) throw new PermanentError(`not a Message-ID: ${JSON.stringify(messageId.slice(0, 100))}`);
  return `rfc822msgid:${messageId.slice(1, -1)}`;
}

/**
 * Whether a draft's message is still the one ringback wrote as `messageId`: same Message-ID, or
 * our reference header naming it, or rewritten by a mail client that dropped both (the draft id
 * found it). A message whose reference header names another Message-ID is another email.
 */
function holds(message: gmail_v1.Schema$Message, messageId: string): boolean {
  const headers = message.raw ? readHeaders(Buffer.from(message.raw, 'base64url')) : null;
  const own = headers ? headers.messageId : firstMessageId(header(message, 'Message-ID'));
  const reference = headers ? headers.ringbackRef : firstMessageId(header(message, RINGBACK_REF_HEADER));
  if (own === messageId || reference === messageId) return true;
  return reference === null;
}

/** A message's `raw` (base64url) as bytes, cut at {@link READ_MESSAGE_LIMIT}. */
function decodeRaw(raw: string | null | undefined, messageId: string): Buffer {
  if (!raw) throw new PermanentError(`Gmail answered for ${messageId} without the raw message`);
  // Four characters carry three bytes: only what the limit keeps is decoded.
  return Buffer.from(raw.slice(0, Math.ceil(READ_MESSAGE_LIMIT / 3) * 4), 'base64url').subarray(0, READ_MESSAGE_LIMIT);
}

function firstMessageId(value: string | null): string | null {
  return messageIds(value)[0] ?? null;
}

function refOf(draft: gmail_v1.Schema$Draft, messageId: string): DraftRef {
  if (!draft.id) throw new PermanentError(`Gmail answered for ${messageId} without a draft id`);
  return { providerId: draft.id, messageId, threadId: draft.message?.threadId ?? null };
}

function header(message: gmail_v1.Schema$Message, name: string): string | null {
  const wanted = name.toLowerCase();
  const value = message.payload?.headers?.find((entry) => entry.name?.toLowerCase() === wanted)?.value;
  return value ?? null;
}

function messageIds(value: string | null): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

function firstAddress(value: string | null): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  const bare = /[^\s<>"(),;:]+@[^\s<>"(),;:]+/.exec(value);
  const address = bracketed?.[1] ?? bare?.[0];
  return address ? address.toLowerCase() : null;
}

/** The message with `messageId` as its only Message-ID, and our reference header beside it. */
function withMessageId(raw: Buffer, messageId: string): Buffer {
  const stripped = stripHeader(stripHeader(raw, 'Message-ID'), RINGBACK_REF_HEADER);
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  return Buffer.concat([Buffer.from(`Message-ID: ${messageId}${eol}${RINGBACK_REF_HEADER}: ${messageId}${eol}`, 'utf8'), stripped]);
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
