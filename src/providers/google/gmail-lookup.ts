/**
 * Finding a message of ours in Gmail again: a draft by its id, else by its Message-ID; a sent
 * message by its Message-ID, else in the thread its draft was in (gmail.ts says why each).
 */
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import { RINGBACK_REF_HEADER } from '../mail/mime.js';
import type { DraftRef } from '../mail/types.js';
import { ExpectedStatus } from '../errors.js';
import { firstMessageId, header, holds, searchFor } from './gmail-message.js';

export const ME = 'me';

/** One Gmail API request: its answer's data, or an ExpectedStatus for a status in `expect`. */
export type GmailCall = <T>(what: string, run: () => Promise<{ data: T }>, expect?: readonly number[]) => Promise<T>;

/**
 * What every Gmail operation uses: the API's `users` resource, the call that runs a request that
 * changes something, and the one that runs a read (a GET: list, get), which is tried again at once
 * after a transient failure (see READ_RETRY_MS in src/providers/errors.ts).
 */
export interface Gmail {
  readonly users: gmail_v1.Resource$Users;
  readonly call: GmailCall;
  readonly read: GmailCall;
}

/** The draft, or null when Gmail does not know that id (gone, sent, or not a draft id). */
async function getDraft({ users, read }: Gmail, draftId: string, format: 'metadata' | 'raw'): Promise<gmail_v1.Schema$Draft | null> {
  try {
    return await read(`reading draft ${draftId}`, () => users.drafts.get({ userId: ME, id: draftId, format }), [400, 404]);
  } catch (error) {
    if (error instanceof ExpectedStatus) return null;
    throw error;
  }
}

/**
 * The draft that holds the ref's message now: the draft under its id, unless that draft has
 * since been given another ringback message; else a draft found by the Message-ID.
 */
export async function locateDraft(gmail: Gmail, ref: DraftRef, format: 'metadata' | 'raw'): Promise<gmail_v1.Schema$Draft | null> {
  const byId = await getDraft(gmail, ref.providerId, format);
  if (byId?.message && holds(byId.message, ref.messageId)) return byId;
  const moved = await findDraft(gmail, ref.messageId);
  if (!moved || moved.providerId === ref.providerId) return null;
  const found = await getDraft(gmail, moved.providerId, format);
  return found?.message && holds(found.message, ref.messageId) ? found : null;
}

async function findSent({ users, read }: Gmail, messageId: string): Promise<DraftRef | null> {
  const list = await read(`searching Sent for ${messageId}`, () =>
    // Trash too: a sent message the user threw away was still sent.
    users.messages.list({ userId: ME, q: searchFor(messageId), labelIds: ['SENT'], includeSpamTrash: true, maxResults: 10 }),
  );
  const found = list.messages?.find((message) => message.id);
  return found?.id ? { providerId: found.id, messageId, threadId: found.threadId ?? null } : null;
}

/**
 * Our sent message in a thread, found by our reference header rather than the Message-ID: Gmail
 * does not promise to keep the Message-ID of what it sends, and some report that it writes its
 * own (`<…@mx.google.com>`, the original kept as X-Google-Original-Message-ID:
 * https://github.com/xhit/go-simple-mail/issues/47, https://github.com/zkemail/email-wallet/issues/81),
 * which `rfc822msgid:` would then never find.
 */
async function findSentInThread({ users, read }: Gmail, threadId: string, messageId: string): Promise<DraftRef | null> {
  let thread: gmail_v1.Schema$Thread;
  try {
    thread = await read(
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
}

/** Sent, by its Message-ID, else in the thread the draft was in. */
export async function findSentOf(gmail: Gmail, ref: DraftRef): Promise<DraftRef | null> {
  return (await findSent(gmail, ref.messageId)) ?? (ref.threadId ? await findSentInThread(gmail, ref.threadId, ref.messageId) : null);
}

export async function findDraft({ users, read }: Gmail, messageId: string): Promise<DraftRef | null> {
  const list = await read(`searching Drafts for ${messageId}`, () => users.drafts.list({ userId: ME, q: searchFor(messageId), maxResults: 10 }));
  const found = list.drafts?.find((draft) => draft.id);
  return found?.id ? { providerId: found.id, messageId, threadId: found.message?.threadId ?? null } : null;
}
