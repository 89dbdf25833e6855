/** Reading the Outlook Inbox: replies to a conversation and delivery reports. */
import type { Millis } from '../../domain/types.js';
import { ExpectedStatus } from '../errors.js';
import { automaticReason } from '../mail/auto-reply.js';
import { mayBeDeliveryReport } from '../mail/delivery-report.js';
import type { DeliveryReport } from '../mail/types.js';
import { reportsAmong } from '../mail/report-scan.js';
import { READ_MESSAGE_LIMIT, type Reply, type ThreadQuery } from '../mail/types.js';
import type { GraphApi } from './graph.js';
import { odataString, withQuery } from './graph-query.js';
import { findByMessageId, item, listAll, notFound, type GraphMessage } from './outlook-lookup.js';

const PAGE = 50;

/**
 * A received message with its Internet headers, which Graph returns "only on applying a $select
 * query option" (https://learn.microsoft.com/en-us/graph/api/resources/message). They tell an
 * out-of-office from a person (auto-reply.ts).
 */
type Received = GraphMessage & { readonly internetMessageHeaders?: ReadonlyArray<{ readonly name?: string; readonly value?: string }> | null };

/**
 * Replies in the conversation of our messages, or from the counterpart, since `since`. `userEmail`
 * is the account's own address: its messages never count as replies.
 */
export async function repliesIn(api: GraphApi, userEmail: string, thread: ThreadQuery, since: Millis): Promise<Reply[]> {
  const after = new Date(since).toISOString();
  const conversations = new Set<string>();
  if (thread.threadId) conversations.add(thread.threadId);
  for (const messageId of thread.messageIds) {
    if (conversations.size > 0) break;
    const found = await findByMessageId(api, messageId);
    if (found?.ref.threadId) conversations.add(found.ref.threadId);
  }
  const select = 'id,internetMessageId,conversationId,subject,from,receivedDateTime,internetMessageHeaders';
  const filters = [...conversations].map((conversation) => `conversationId eq ${odataString(conversation)} and receivedDateTime ge ${after}`);
  const counterpart = thread.counterpart.trim().toLowerCase();
  if (counterpart !== '') filters.push(`from/emailAddress/address eq ${odataString(counterpart)} and receivedDateTime ge ${after}`);
  const replies = new Map<string, Reply>();
  for (const filter of filters) {
    const path = withQuery('/me/mailFolders/inbox/messages', { $filter: filter, $select: select, $top: String(PAGE) });
    for (const message of (await listAll(api, path, 'looking for replies')) as Received[]) {
      const from = (message.from?.emailAddress?.address ?? '').toLowerCase();
      const date = Date.parse(message.receivedDateTime ?? '');
      const messageId = message.internetMessageId ?? '';
      if (from === '' || from === userEmail || !Number.isFinite(date) || date < since || messageId === '') continue;
      replies.set(messageId, { messageId, from, date, subject: message.subject ?? '', automatic: automaticIn(message, from) });
    }
  }
  return [...replies.values()].sort((a, b) => a.date - b.date);
}

/**
 * Why this message is an out-of-office or a bounce rather than a person's answer, or null. Graph
 * leaves From, To, Cc, Bcc and Sender out of a received message's headers
 * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/3066), and mail that stayed
 * inside one Exchange organisation may have none at all
 * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/4436): the sender and subject
 * come from the JSON, so that the checks needing only those still run.
 */
function automaticIn(message: Received, from: string): string | null {
  const headers = (message.internetMessageHeaders ?? []).map(({ name, value }) => [name ?? '', value ?? ''] as const);
  return automaticReason([...headers, ['From', from], ['Subject', message.subject ?? '']]);
}

export async function deliveryReportsIn(api: GraphApi, since: Millis): Promise<DeliveryReport[]> {
  const path = withQuery('/me/mailFolders/inbox/messages', {
    $filter: `receivedDateTime ge ${new Date(since).toISOString()}`,
    $select: 'id,subject,from,receivedDateTime',
    $top: String(PAGE),
  });
  // Exchange's own reports come from its system mailbox as "Undeliverable: …"; only those that
  // may be reports are downloaded (delivery-report.ts decides).
  const candidates = (await listAll(api, path, 'looking for delivery reports'))
    .filter((message) => mayBeDeliveryReport({ from: message.from?.emailAddress?.address ?? null, subject: message.subject ?? null }))
    .sort((a, b) => Date.parse(a.receivedDateTime ?? '') - Date.parse(b.receivedDateTime ?? ''));
  return await reportsAmong(candidates, async (message) => {
    try {
      return await api.getBytes(`${item(message.id)}/$value`, READ_MESSAGE_LIMIT, { what: 'reading a delivery report', expect: notFound });
    } catch (error) {
      // Deleted between the listing and the read.
      if (error instanceof ExpectedStatus) return null;
      throw error;
    }
  });
}
