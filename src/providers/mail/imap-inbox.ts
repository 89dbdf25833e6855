/**
 * Reading the IMAP Inbox: replies to a conversation and delivery reports. Both ask SEARCH for
 * candidates a day early (its dates are whole days in the server's zone) and filter on the exact
 * time here.
 */
import type { ImapFlow } from 'imapflow';
import type { Millis } from '../../domain/types.js';
import { inFolder } from './imap-messages.js';
import { automaticReason } from './auto-reply.js';
import { headerFields, readHeaders } from './mime.js';
import { READ_MESSAGE_LIMIT, type Reply, type ThreadQuery } from './types.js';

const DAY = 86_400_000;

/** The SEARCH terms that find replies to `thread`; none when there is nothing to look for. */
export function replyTerms(thread: ThreadQuery): Array<{ header: Record<string, string> } | { from: string }> {
  const counterpart = thread.counterpart.trim().toLowerCase();
  return [
    ...thread.messageIds.flatMap((id) => [
      { header: { 'in-reply-to': id } as Record<string, string> },
      { header: { references: id } as Record<string, string> },
    ]),
    ...(counterpart ? [{ from: counterpart }] : []),
  ];
}

/**
 * Replies in the Inbox since `since` that answer one of our Message-IDs or come from the
 * counterpart. `accountId` names a reply without a Message-ID.
 */
export async function repliesIn(
  client: ImapFlow,
  thread: ThreadQuery,
  terms: ReturnType<typeof replyTerms>,
  since: Millis,
  accountId: string,
): Promise<Reply[]> {
  const counterpart = thread.counterpart.trim().toLowerCase();
  const ours = new Set(thread.messageIds);
  return inFolder(client, 'INBOX', async () => {
    // SINCE (arrival) and SENTSINCE (Date header) compare whole days in the server's zone:
    // ask from a day early by either, then filter on the exact time below.
    const day = new Date(since - DAY);
    const uids = await client.search({ or: [{ or: terms, since: day }, { or: terms, sentSince: day }], deleted: false }, { uid: true });
    const replies: Reply[] = [];
    if (!uids || uids.length === 0) return replies;
    for await (const message of client.fetch(uids.join(','), { headers: true, internalDate: true }, { uid: true })) {
      if (!message.headers) continue;
      const headers = readHeaders(message.headers);
      if (headers.messageId !== null && ours.has(headers.messageId)) continue;
      const arrived = message.internalDate ? new Date(message.internalDate).getTime() : 0;
      const date: Millis = headers.date ?? arrived;
      if (date < since) continue;
      const answers = [...headers.inReplyTo, ...headers.references].some((id) => ours.has(id));
      if (!answers && !(counterpart && headers.from.includes(counterpart))) continue;
      replies.push({
        messageId: headers.messageId ?? `<${accountId}.${message.uid}@imap.invalid>`,
        from: headers.from[0] ?? '',
        date,
        subject: headers.subject,
        automatic: automaticReason(headerFields(message.headers)),
      });
    }
    return replies.sort((a, b) => a.date - b.date);
  });
}

/** Inbox messages since `since` that look like delivery reports, oldest first, cut to the read limit. */
export async function reportCandidatesIn(client: ImapFlow, since: Millis): Promise<Array<{ date: Millis; raw: Buffer }>> {
  return inFolder(client, 'INBOX', async () => {
    // What a report looks like to SEARCH: its media type, its sender, Exim's header.
    const day = new Date(since - DAY);
    const signs: Array<{ header: Record<string, string | boolean> } | { from: string }> = [
      { header: { 'content-type': 'report' } },
      { from: 'mailer-daemon' },
      { from: 'postmaster' },
      { header: { 'x-failed-recipients': true } },
    ];
    const uids = await client.search({ or: signs, since: day, deleted: false }, { uid: true });
    const messages: Array<{ date: Millis; raw: Buffer }> = [];
    if (!uids || uids.length === 0) return messages;
    for await (const message of client.fetch(uids.join(','), { source: { maxLength: READ_MESSAGE_LIMIT }, internalDate: true }, { uid: true })) {
      const date = message.internalDate ? new Date(message.internalDate).getTime() : 0;
      if (message.source && date >= since) messages.push({ date, raw: message.source.subarray(0, READ_MESSAGE_LIMIT) });
    }
    return messages.sort((a, b) => a.date - b.date);
  });
}
