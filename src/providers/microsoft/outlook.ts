/**
 * The Outlook mailbox (Microsoft 365 and Outlook.com) through Graph.
 *
 * Every email is a draft in the user's own Drafts folder, written as Graph JSON with ringback's
 * Message-ID as its `internetMessageId` (Graph keeps it, and lets it change while the item is a
 * draft) and `X-Ringback-Ref`. A draft that answers an earlier message is made with `createReply`
 * on it, so that Exchange threads it (conversation, In-Reply-To, References), and then given our
 * content. Ids are asked for as ImmutableId on every request, so that a draft's id still finds it
 * once it has moved to Sent Items or Deleted Items.
 *
 * What each state looks like in Outlook, pinned down by the tests against the local server:
 * - edited by the user: same id, same internetMessageId, new body → still a draft, sent as it stands;
 * - deleted by the user: moved to Deleted Items (same immutable id) → gone, a veto;
 * - sent: in Sent Items (same immutable id), `isDraft: false` → sent; found there by Message-ID,
 *   else by our reference property (below).
 * A send first looks for the message in Sent Items and returns what it finds without sending.
 *
 * The copy in Sent Items may come back with a new id and a Message-ID Exchange or the user's
 * Outlook wrote, and Graph never returns custom `internetMessageHeaders` (our X-Ringback-Ref) on
 * it (https://github.com/microsoftgraph/microsoft-graph-docs/issues/2716). So every draft also
 * carries our Message-ID as a single-value extended property, which the copy keeps and Graph can
 * filter on: Microsoft's own advice for finding a sent message again
 * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/3766).
 */
import type { ComposedEmail, Millis, Person } from '../../domain/types.js';
import { PermanentError } from '../errors.js';
import { mayBeDeliveryReport } from '../mail/delivery-report.js';
import { RINGBACK_REF_HEADER } from '../mail/mime.js';
import { reportsAmong } from '../mail/report-scan.js';
import { READ_MESSAGE_LIMIT } from '../mail/types.js';
import type { CreateDraftOptions, DraftRef, DraftState, FoundMessage, Mailbox, Reply, ThreadQuery } from '../mail/types.js';
import type { RequestSlots } from './concurrency.js';
import { createGraphApi, ExpectedStatus, odataString, withQuery, type FetchLike, type TokenSource } from './graph.js';

export interface OutlookMailboxOptions {
  /** The account id from the config. */
  readonly id: string;
  readonly getToken: TokenSource;
  /** @defaultValue 'https://graph.microsoft.com/v1.0' */
  readonly baseUrl?: string;
  /** The account's own address: its messages never count as replies. */
  readonly userEmail: string;
  /** @defaultValue the global `fetch` */
  readonly fetch?: FetchLike;
  /** @defaultValue 30000 */
  readonly timeoutMs?: number;
  /** @defaultValue Date.now */
  readonly now?: () => Millis;
  /** The account's request slots, shared with its other adapter. @defaultValue slots of its own */
  readonly slots?: RequestSlots;
}

const MESSAGE_ID = /^<[^<>\s"]+@[^<>\s"]+>$/;
/** One plain address: no name, list or group syntax that a hostile attendee value could smuggle in. */
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;
const SELECT = 'id,internetMessageId,conversationId,parentFolderId,isDraft';
/** Our reference as a MAPI named string property in a property set of ringback's own. */
const REF_PROPERTY = 'String {8b0c7a1e-5d2f-4c39-9e61-3f4a2d7b9c10} Name X-Ringback-Ref';
const PAGE = 50;

interface GraphMessage {
  readonly id: string;
  readonly internetMessageId?: string;
  readonly conversationId?: string;
  readonly parentFolderId?: string;
  readonly isDraft?: boolean;
  readonly subject?: string;
  readonly receivedDateTime?: string;
  readonly from?: { readonly emailAddress?: { readonly address?: string } } | null;
}

interface MessagePage {
  readonly value?: readonly GraphMessage[];
  readonly '@odata.nextLink'?: string;
}

type Located = { readonly state: 'draft' | 'sent'; readonly ref: DraftRef } | { readonly state: 'gone' };

export function createOutlookMailbox(options: OutlookMailboxOptions): Mailbox {
  const api = createGraphApi({
    getToken: options.getToken,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    prefer: ['IdType="ImmutableId"'],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.slots ? { slots: options.slots } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const userEmail = options.userEmail.trim().toLowerCase();
  const notFound = (status: number): boolean => status === 404;
  const item = (id: string): string => `/me/messages/${encodeURIComponent(id)}`;
  const refOf = (message: GraphMessage, messageId: string): DraftRef => ({
    providerId: message.id,
    messageId,
    threadId: message.conversationId ?? null,
  });

  let draftsId: Promise<string> | null = null;
  const draftsFolderId = (): Promise<string> => {
    draftsId ??= api.get<{ id: string }>('/me/mailFolders/drafts?$select=id', { what: 'reading the drafts folder' }).then((folder) => folder.id);
    const asked = draftsId;
    // A failed lookup is not kept: the next call asks again. (The failure itself reaches the caller.)
    void asked.catch(() => {
      if (draftsId === asked) draftsId = null;
    });
    return asked;
  };

  /** Our message with this Message-ID in one folder, or null. */
  const findIn = async (folder: 'drafts' | 'sentitems', messageId: string): Promise<GraphMessage | null> => {
    const page = await api.get<MessagePage>(
      withQuery(`/me/mailFolders/${folder}/messages`, { $filter: `internetMessageId eq ${odataString(messageId)}`, $select: SELECT, $top: '1' }),
      { what: `looking for ${messageId} in ${folder}` },
    );
    return page.value?.[0] ?? null;
  };

  /** Our sent message: by its Message-ID, else by our reference property (a Message-ID rewritten on send). */
  const findSent = async (messageId: string): Promise<GraphMessage | null> => {
    const byMessageId = await findIn('sentitems', messageId);
    if (byMessageId) return byMessageId;
    const page = await api.get<MessagePage>(
      withQuery('/me/mailFolders/sentitems/messages', {
        $filter: `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(REF_PROPERTY)} and ep/value eq ${odataString(messageId)})`,
        $select: SELECT,
        $top: '1',
      }),
      { what: `looking for ${messageId} in sentitems by its reference` },
    );
    return page.value?.[0] ?? null;
  };

  const findByMessageId = async (messageId: string): Promise<FoundMessage | null> => {
    const draft = await findIn('drafts', messageId);
    if (draft) return { folder: 'drafts', ref: refOf(draft, messageId) };
    const sent = await findSent(messageId);
    return sent ? { folder: 'sent', ref: refOf(sent, messageId) } : null;
  };

  /** Where the draft behind `ref` stands now. */
  const locate = async (ref: DraftRef, what: string): Promise<Located> => {
    let message: GraphMessage | null = null;
    try {
      message = await api.get<GraphMessage>(`${item(ref.providerId)}?$select=${SELECT}`, { what, expect: (status) => status === 404 || status === 400 });
    } catch (error) {
      if (!(error instanceof ExpectedStatus)) throw error;
    }
    if (message && message.internetMessageId === ref.messageId) {
      if (message.isDraft === false) return { state: 'sent', ref: refOf(message, ref.messageId) };
      // The usual case costs nothing more: the parent is the id Drafts answered with. Nothing
      // promises that encoding, though (folders have no immutable ids), so a parent that differs
      // is settled by asking the folder by its well-known name whether it holds the draft.
      if (message.parentFolderId === (await draftsFolderId())) return { state: 'draft', ref: refOf(message, ref.messageId) };
      const inDrafts = await findIn('drafts', ref.messageId);
      if (inDrafts?.id === message.id) return { state: 'draft', ref: refOf(message, ref.messageId) };
      // A draft in Deleted Items (or moved out of Drafts) is the user's veto.
      return { state: 'gone' };
    }
    // Not under its id (an old ref, or an item rewritten elsewhere): look for the Message-ID.
    const found = await findByMessageId(ref.messageId);
    if (!found) return { state: 'gone' };
    return { state: found.folder === 'drafts' ? 'draft' : 'sent', ref: found.ref };
  };

  const content = (email: ComposedEmail): Record<string, unknown> => ({
    subject: email.subject,
    body: { contentType: 'text', content: email.text },
    toRecipients: email.to.map(recipient),
    ccRecipients: [],
    bccRecipients: [],
    internetMessageId: email.messageId,
    singleValueExtendedProperties: [{ id: REF_PROPERTY, value: email.messageId }],
  });

  const createReply = async (email: ComposedEmail, replyTo: DraftRef): Promise<DraftRef> => {
    const what = `creating the reply draft ${email.messageId}`;
    let originalId = replyTo.providerId;
    let reply: GraphMessage;
    try {
      reply = await api.post<GraphMessage>(`${item(originalId)}/createReply`, {}, { what, expect: notFound });
    } catch (error) {
      if (!(error instanceof ExpectedStatus)) throw error;
      const original = await findByMessageId(replyTo.messageId);
      if (!original) throw new PermanentError(`the message ${replyTo.messageId} that ${email.messageId} answers is gone from Outlook`);
      originalId = original.ref.providerId;
      reply = await api.post<GraphMessage>(`${item(originalId)}/createReply`, {}, { what });
    }
    try {
      const written = await api.patch<GraphMessage>(item(reply.id), content(email), { what });
      return refOf(written, email.messageId);
    } catch (error) {
      // Never leave Outlook's half-made reply (quoting the original, to the wrong person) behind.
      await api.delete(item(reply.id), { what: `removing the unfinished reply draft for ${email.messageId}`, expect: notFound }).catch((cleanup: unknown) => {
        if (!(cleanup instanceof ExpectedStatus)) throw new AggregateError([error, cleanup], `could not finish or remove the reply draft for ${email.messageId}`);
      });
      throw error;
    }
  };

  const listAll = async (path: string, what: string): Promise<GraphMessage[]> => {
    const messages: GraphMessage[] = [];
    let page = await api.get<MessagePage>(path, { what });
    for (;;) {
      messages.push(...(page.value ?? []));
      const next = page['@odata.nextLink'];
      if (next === undefined) return messages;
      if (!api.owns(next)) throw new PermanentError('Microsoft Graph handed out a next link outside its API root');
      page = await api.follow<MessagePage>(next, { what });
    }
  };

  return {
    id: options.id,
    filesSentLater: true,

    async createDraft(email, draftOptions?: CreateDraftOptions) {
      checkEmail(email);
      if (draftOptions?.replyTo) return await createReply(email, draftOptions.replyTo);
      const created = await api.post<GraphMessage>(
        '/me/messages',
        { ...content(email), internetMessageHeaders: [{ name: RINGBACK_REF_HEADER, value: email.messageId }] },
        { what: `creating the draft ${email.messageId}` },
      );
      return refOf(created, email.messageId);
    },

    async updateDraft(ref, email) {
      checkEmail(email);
      const what = `updating the draft ${ref.messageId}`;
      const found = await locate(ref, what);
      if (found.state === 'gone') throw new PermanentError(`draft ${ref.messageId} was deleted in Outlook; not writing it again`);
      if (found.state === 'sent') throw new PermanentError(`draft ${ref.messageId} was already sent`);
      try {
        const written = await api.patch<GraphMessage>(item(found.ref.providerId), content(email), { what, expect: notFound });
        return refOf(written, email.messageId);
      } catch (error) {
        if (error instanceof ExpectedStatus) throw new PermanentError(`draft ${ref.messageId} was deleted in Outlook; not writing it again`);
        throw error;
      }
    },

    async deleteDraft(ref) {
      const what = `deleting the draft ${ref.messageId}`;
      const found = await locate(ref, what);
      // A draft already gone is fine; one already sent stays in Sent Items.
      if (found.state !== 'draft') return;
      try {
        await api.delete(item(found.ref.providerId), { what, expect: notFound });
      } catch (error) {
        if (!(error instanceof ExpectedStatus)) throw error;
      }
    },

    async draftState(ref): Promise<DraftState> {
      return await locate(ref, `checking the draft ${ref.messageId}`);
    },

    async readMessage(ref) {
      const what = `reading ${ref.messageId}`;
      const found = await locate(ref, what);
      if (found.state === 'gone') return null;
      try {
        // The MIME Exchange makes of the item: the draft with the user's edits, or the copy in Sent Items.
        const raw = await api.getBytes(`${item(found.ref.providerId)}/$value`, READ_MESSAGE_LIMIT, { what, expect: notFound });
        return { state: found.state, raw };
      } catch (error) {
        // Deleted for good between the look-up and the read.
        if (error instanceof ExpectedStatus) return null;
        throw error;
      }
    },

    async send(ref) {
      const what = `sending ${ref.messageId}`;
      // Exactly once: a Message-ID already in Sent Items was sent, whoever sent it.
      const already = await findSent(ref.messageId);
      if (already) return refOf(already, ref.messageId);
      const found = await locate(ref, what);
      if (found.state === 'gone') throw new PermanentError(`draft ${ref.messageId} was deleted in Outlook: not sending it`);
      if (found.state === 'sent') return found.ref;
      try {
        await api.post(`${item(found.ref.providerId)}/send`, undefined, { what, expect: notFound });
      } catch (error) {
        if (!(error instanceof ExpectedStatus)) throw error;
        const sent = await findSent(ref.messageId);
        if (sent) return refOf(sent, ref.messageId);
        throw new PermanentError(`draft ${ref.messageId} was deleted in Outlook: not sending it`);
      }
      // 202: the copy appears in Sent Items once transport has taken it, maybe under a new id.
      return found.ref;
    },

    findByMessageId,

    async repliesSince(thread: ThreadQuery, since: Millis): Promise<readonly Reply[]> {
      const after = new Date(since).toISOString();
      const conversations = new Set<string>();
      if (thread.threadId) conversations.add(thread.threadId);
      for (const messageId of thread.messageIds) {
        if (conversations.size > 0) break;
        const found = await findByMessageId(messageId);
        if (found?.ref.threadId) conversations.add(found.ref.threadId);
      }
      const select = 'id,internetMessageId,conversationId,subject,from,receivedDateTime';
      const filters = [...conversations].map((conversation) => `conversationId eq ${odataString(conversation)} and receivedDateTime ge ${after}`);
      const counterpart = thread.counterpart.trim().toLowerCase();
      if (counterpart !== '') filters.push(`from/emailAddress/address eq ${odataString(counterpart)} and receivedDateTime ge ${after}`);
      const replies = new Map<string, Reply>();
      for (const filter of filters) {
        const path = withQuery('/me/mailFolders/inbox/messages', { $filter: filter, $select: select, $top: String(PAGE) });
        for (const message of await listAll(path, 'looking for replies')) {
          const from = (message.from?.emailAddress?.address ?? '').toLowerCase();
          const date = Date.parse(message.receivedDateTime ?? '');
          const messageId = message.internetMessageId ?? '';
          if (from === '' || from === userEmail || !Number.isFinite(date) || date < since || messageId === '') continue;
          replies.set(messageId, { messageId, from, date, subject: message.subject ?? '' });
        }
      }
      return [...replies.values()].sort((a, b) => a.date - b.date);
    },

    async deliveryReportsSince(since) {
      const path = withQuery('/me/mailFolders/inbox/messages', {
        $filter: `receivedDateTime ge ${new Date(since).toISOString()}`,
        $select: 'id,subject,from,receivedDateTime',
        $top: String(PAGE),
      });
      // Exchange's own reports come from its system mailbox as "Undeliverable: …"; only those that
      // may be reports are downloaded (delivery-report.ts decides).
      const candidates = (await listAll(path, 'looking for delivery reports'))
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
    },

    async close() {
      // Nothing to release: every request is its own.
    },
  };
}

function recipient(person: Person): { emailAddress: { name: string; address: string } } {
  return { emailAddress: { name: person.name, address: person.email } };
}

/**
 * The rules every adapter keeps for what it writes (see mail/mime.ts): no CR or LF in a header
 * value, a well-formed Message-ID, and each address one plain address. Graph would take some of
 * these as they are; the check keeps header injection and extra recipients out whatever Exchange
 * does with them.
 */
function checkEmail(email: ComposedEmail): void {
  const label = JSON.stringify(email.messageId.slice(0, 80));
  const values = [email.messageId, email.subject, email.from.name, email.from.email, ...email.to.flatMap((person) => [person.name, person.email])];
  if (values.some((value) => /[\r\n]/.test(value))) throw new PermanentError(`refusing to write ${label}: a header value contains a line break`);
  if (!MESSAGE_ID.test(email.messageId)) throw new PermanentError(`refusing to write a message: Message-ID ${label} is not <local@domain>`);
  if (!ADDRESS.test(email.from.email)) throw new PermanentError(`refusing to write ${label}: the From address is not one address`);
  if (email.to.length === 0 || email.to.some((person) => !ADDRESS.test(person.email))) {
    throw new PermanentError(`refusing to write ${label}: a recipient is not one plain address`);
  }
}
