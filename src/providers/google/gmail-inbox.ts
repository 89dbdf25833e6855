/** Reading what arrived in Gmail: replies to a conversation and delivery reports. */
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import type { Millis } from '../../domain/types.js';
import type { DeliveryReport } from '../mail/types.js';
import { AUTO_REPLY_HEADERS, automaticReason } from '../mail/auto-reply.js';
import { REPORT_SCAN_LIMIT, reportsAmong } from '../mail/report-scan.js';
import type { Reply, ThreadQuery } from '../mail/types.js';
import { ExpectedStatus } from '../errors.js';
import { ME, type Gmail } from './gmail-lookup.js';
import { MESSAGE_ID, decodeRaw, firstAddress, header, messageIds, searchFor } from './gmail-message.js';

/** What a reply search reads of each message: threading, and what tells a person from an out-of-office (auto-reply.ts). */
const REPLY_HEADERS = [...new Set(['From', 'Message-ID', 'Subject', 'In-Reply-To', 'References', 'Date', ...AUTO_REPLY_HEADERS])];
/** How many of the newest messages a reply search reads. */
const REPLY_SCAN_LIMIT = 50;

/**
 * Replies to `thread` since `since`: the threads of our messages, then mail from the counterpart,
 * then recent mail that names one of our Message-IDs (gmail.ts says why all three). `user` is the
 * account's own address, whose mail is never a reply.
 */
export async function repliesIn({ users, read }: Gmail, user: string, thread: ThreadQuery, since: Millis): Promise<Reply[]> {
  const ours = new Set(thread.messageIds);
  const counterpart = thread.counterpart.trim().toLowerCase();
  const replies = new Map<string, Reply>();
  const seen = new Set<string>();
  const consider = (message: gmail_v1.Schema$Message, inThread: boolean): void => {
    if (!message.id) return;
    seen.add(message.id);
    const labels = message.labelIds ?? [];
    if (labels.includes('SENT') || labels.includes('DRAFT') || labels.includes('SPAM')) return;
    const date = Number(message.internalDate ?? NaN);
    if (!Number.isFinite(date) || date < since) return;
    const from = firstAddress(header(message, 'From'));
    if (from === null || from === user) return;
    const named = [...messageIds(header(message, 'In-Reply-To')), ...messageIds(header(message, 'References'))];
    if (!inThread && from !== counterpart && !named.some((id) => ours.has(id))) return;
    const messageId = header(message, 'Message-ID') ?? `<${message.id}@gmail.invalid>`;
    // An out-of-office or a bounce answering us is not the counterpart replying (auto-reply.ts).
    const automatic = automaticReason((message.payload?.headers ?? []).map(({ name, value }) => [name ?? '', value ?? ''] as const));
    replies.set(message.id, { messageId, from, date, subject: header(message, 'Subject') ?? '', automatic });
  };
  const readListed = async (q: string): Promise<void> => {
    const list = await read('searching for replies', () => users.messages.list({ userId: ME, q, maxResults: REPLY_SCAN_LIMIT }));
    for (const entry of list.messages ?? []) {
      const id = entry.id;
      if (!id || seen.has(id)) continue;
      consider(await read(`reading message ${id}`, () => users.messages.get({ userId: ME, id, format: 'metadata', metadataHeaders: REPLY_HEADERS })), false);
    }
  };

  // 1. The conversations our messages live in.
  const threads = new Set<string>(thread.threadId ? [thread.threadId] : []);
  for (const messageId of ours) {
    if (!MESSAGE_ID.test(messageId)) continue;
    const list = await read(`searching for ${messageId}`, () => users.messages.list({ userId: ME, q: searchFor(messageId), maxResults: 10 }));
    for (const entry of list.messages ?? []) if (entry.threadId) threads.add(entry.threadId);
  }
  for (const threadId of threads) {
    try {
      const found = await read(
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
}

export async function deliveryReportsIn({ users, read }: Gmail, since: Millis): Promise<DeliveryReport[]> {
  // Gmail's own reports come from mailer-daemon@googlemail.com; other servers' from their
  // mailer daemon or postmaster (delivery-report.ts). Newest first, as Gmail lists.
  const ids = new Set<string>();
  for (const sender of ['mailer-daemon', 'postmaster']) {
    const q = `in:inbox from:${sender} after:${Math.floor(since / 1000)}`;
    const list = await read('looking for delivery reports', () => users.messages.list({ userId: ME, q, maxResults: REPORT_SCAN_LIMIT }));
    for (const entry of list.messages ?? []) if (entry.id) ids.add(entry.id);
  }
  const found: Array<{ date: Millis; raw: Buffer }> = [];
  for (const id of ids) {
    try {
      const message = await read(`reading message ${id}`, () => users.messages.get({ userId: ME, id, format: 'raw' }), [404]);
      const date = Number(message.internalDate ?? NaN);
      if (Number.isFinite(date) && date >= since) found.push({ date, raw: decodeRaw(message.raw, id) });
    } catch (error) {
      // Deleted between the listing and the read.
      if (!(error instanceof ExpectedStatus)) throw error;
    }
  }
  return await reportsAmong(found.sort((a, b) => a.date - b.date), async ({ raw }) => raw);
}
