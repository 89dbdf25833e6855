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
import type { Millis } from '../../domain/types.js';
import { ExpectedStatus, PermanentError } from '../errors.js';
import { RINGBACK_REF_HEADER } from '../mail/mime.js';
import { READ_MESSAGE_LIMIT, type CreateDraftOptions, type DraftState, type Mailbox } from '../mail/types.js';
import type { RequestSlots } from './concurrency.js';
import { READ_RETRY_MS } from '../errors.js';
import { createGraphApi, type TokenSource } from './graph.js';
import type { FetchLike } from './graph-transport.js';
import { deliveryReportsIn, repliesIn } from './outlook-inbox.js';
import { DraftsFolder, findByMessageId, findSent, item, locate, notFound, refOf, type GraphMessage } from './outlook-lookup.js';
import { checkEmail, content, createReply } from './outlook-write.js';

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
  /** The candidate's IANA zone (config `candidate.timezone`): a held call names the end of its wait in it. */
  readonly zone: string;
}

export function createOutlookMailbox(options: OutlookMailboxOptions): Mailbox {
  const api = createGraphApi({
    getToken: options.getToken,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    prefer: ['IdType="ImmutableId"'],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.slots ? { slots: options.slots } : {}),
    ...(options.now ? { now: options.now } : {}),
    // A send reads several times around its one write: a flaky read is tried again in place, and
    // nothing goes out while Graph's Retry-After runs (graph.ts).
    readRetryMs: READ_RETRY_MS,
    holdDuringRetryAfter: { zone: options.zone },
  });
  const userEmail = options.userEmail.trim().toLowerCase();
  const drafts = new DraftsFolder(api);

  return {
    id: options.id,
    filesSentLater: true,

    async createDraft(email, draftOptions?: CreateDraftOptions) {
      checkEmail(email);
      if (draftOptions?.replyTo) return await createReply(api, email, draftOptions.replyTo);
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
      const found = await locate(api, drafts, ref, what);
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
      const found = await locate(api, drafts, ref, what);
      // A draft already gone is fine; one already sent stays in Sent Items.
      if (found.state !== 'draft') return;
      try {
        await api.delete(item(found.ref.providerId), { what, expect: notFound });
      } catch (error) {
        if (!(error instanceof ExpectedStatus)) throw error;
      }
    },

    async draftState(ref): Promise<DraftState> {
      return await locate(api, drafts, ref, `checking the draft ${ref.messageId}`);
    },

    async readMessage(ref) {
      const what = `reading ${ref.messageId}`;
      const found = await locate(api, drafts, ref, what);
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

    async send(ref, options) {
      const what = `sending ${ref.messageId}`;
      // Exactly once: a Message-ID already in Sent Items was sent, whoever sent it.
      const already = await findSent(api, ref.messageId);
      if (already) return refOf(already, ref.messageId);
      const found = await locate(api, drafts, ref, what);
      if (found.state === 'gone') throw new PermanentError(`draft ${ref.messageId} was deleted in Outlook: not sending it`);
      if (found.state === 'sent') return found.ref;
      await options?.beforeSubmit?.();
      try {
        await api.post(`${item(found.ref.providerId)}/send`, undefined, { what, expect: notFound });
      } catch (error) {
        if (!(error instanceof ExpectedStatus)) throw error;
        const sent = await findSent(api, ref.messageId);
        if (sent) return refOf(sent, ref.messageId);
        throw new PermanentError(`draft ${ref.messageId} was deleted in Outlook: not sending it`);
      }
      // 202: the copy appears in Sent Items once transport has taken it, maybe under a new id.
      return found.ref;
    },

    async findByMessageId(messageId) {
      return await findByMessageId(api, messageId);
    },

    async repliesSince(thread, since) {
      return await repliesIn(api, userEmail, thread, since);
    },

    async deliveryReportsSince(since) {
      return await deliveryReportsIn(api, since);
    },

    async close() {
      // Nothing to release: every request is its own.
    },
  };
}
