/**
 * Reading the Maildir Inbox: replies to a conversation and delivery reports. A message without a
 * Date header is dated by its delivery time, the one in its file name.
 */
import type { Millis } from '../../domain/types.js';
import type { DeliveryReport } from './types.js';
import { automaticReason } from './auto-reply.js';
import { deliveredAt, readHead, readStart } from './maildir-files.js';
import type { MaildirFolders } from './maildir-folders.js';
import { headerFields } from './mime.js';
import { reportsAmong } from './report-scan.js';
import { READ_MESSAGE_LIMIT, type Reply, type ThreadQuery } from './types.js';

export async function repliesIn(folders: MaildirFolders, thread: ThreadQuery, since: Millis): Promise<Reply[]> {
  const ours = new Set(thread.messageIds);
  // A client that rewrote a draft with a new Message-ID sent it under that one: count it too.
  for (const { headers } of await folders.listWithHeaders('sent')) {
    if (headers.messageId && headers.ringbackRef && ours.has(headers.ringbackRef)) ours.add(headers.messageId);
  }
  const counterpart = thread.counterpart.trim().toLowerCase();
  const replies: Reply[] = [];
  for (const { entry, headers } of await folders.listWithHeaders('inbox')) {
    if (headers.messageId !== null && ours.has(headers.messageId)) continue;
    const date = headers.date ?? deliveredAt(entry);
    if (date < since) continue;
    const answers = [...headers.inReplyTo, ...headers.references].some((id) => ours.has(id));
    const fromCounterpart = counterpart !== '' && headers.from.includes(counterpart);
    if (!answers && !fromCounterpart) continue;
    // Is it an out-of-office or a bounce (auto-reply.ts)? The header block is read again only for
    // the few messages that answer us; one a client has just moved (new/ to cur/) counts as a
    // person's, as every answer did before this check.
    const head = await folders.guard(entry.path, () => readHead(entry.path));
    replies.push({
      messageId: headers.messageId ?? `<${entry.unique}@maildir.invalid>`,
      from: headers.from[0] ?? '',
      date,
      subject: headers.subject,
      automatic: head === null ? null : automaticReason(headerFields(head)),
    });
  }
  return replies.sort((a, b) => a.date - b.date);
}

export async function deliveryReportsIn(folders: MaildirFolders, since: Millis): Promise<DeliveryReport[]> {
  const recent = (await folders.listWithHeaders('inbox')).filter(({ entry, headers }) => (headers.date ?? deliveredAt(entry)) >= since);
  recent.sort((a, b) => (a.headers.date ?? deliveredAt(a.entry)) - (b.headers.date ?? deliveredAt(b.entry)));
  return await reportsAmong(recent, ({ entry }) => folders.guard(entry.path, () => readStart(entry.path, READ_MESSAGE_LIMIT)));
}
