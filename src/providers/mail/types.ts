/**
 * The port every mailbox adapter implements. No SDK type crosses it.
 *
 * A draft is known by a {@link DraftRef}: the provider's own id for the message, the Message-ID
 * ringback gave it, and the provider's thread id when it has one. Mail clients may rewrite a draft
 * when the user edits it (new provider id, sometimes a new Message-ID), so `draftState` answers
 * with the ref as it stands now; callers keep that one.
 */
import type { ComposedEmail, Millis } from '../../domain/types.js';

/** One recipient a report of non-delivery names, and why the email failed for them. */
export interface DeliveryFailure {
  /** The recipient it failed for, lower-cased; null when the report does not say. */
  readonly recipient: string | null;
  /** The enhanced status code (RFC 3463), e.g. `5.1.1`; null when none was given. */
  readonly status: string | null;
  /** What the receiving side said, in one line of at most 200 characters (`REASON_LIMIT` in delivery-report.ts). */
  readonly reason: string;
  /**
   * The server deferred this recipient rather than refused it (a 4yz reply at RCPT, greylisting:
   * RFC 5321 §4.2.5): the address may well be right, and the same email sent later may go through.
   */
  readonly temporary?: boolean;
}

/** A report that an email was not delivered, as `parseDeliveryReport` reads it from the Inbox. */
export interface DeliveryReport {
  /** Message-IDs (angle-bracketed, as written) of the message the report is about: ours if it refers to us. */
  readonly originalMessageIds: readonly string[];
  readonly failures: readonly DeliveryFailure[];
  readonly format: 'delivery-status' | 'plain-text';
}

/** Larger messages are read cut to this size (a confirmation is a few kilobytes). */
export const READ_MESSAGE_LIMIT = 512 * 1024;

export interface DraftRef {
  /** Provider id: Maildir unique name, IMAP UID@UIDVALIDITY, Gmail draft id, Graph message id. */
  readonly providerId: string;
  /** Angle-bracketed Message-ID, e.g. `<ringback.iv1.confirmation.3@example.org>`. */
  readonly messageId: string;
  readonly threadId?: string | null;
}

export type DraftState =
  | { readonly state: 'draft'; readonly ref: DraftRef }
  | { readonly state: 'sent'; readonly ref: DraftRef }
  | { readonly state: 'gone' };

export interface StoredMessage {
  readonly state: 'draft' | 'sent';
  readonly raw: Buffer;
}

export interface FoundMessage {
  readonly folder: 'drafts' | 'sent';
  readonly ref: DraftRef;
}

export interface Reply {
  readonly messageId: string;
  readonly from: string;
  readonly date: Millis;
  readonly subject: string;
  /**
   * Why a mail system rather than a person sent it (an out-of-office, a vacation responder, a
   * bounce: auto-reply.ts decides), or null for a person's answer. Only a person's answer is the
   * counterpart replying; callers must not stop anything on an automatic one.
   */
  readonly automatic: string | null;
}

/** What identifies a conversation when looking for replies. */
export interface ThreadQuery {
  /** Our Message-IDs in this conversation; a reply names one in In-Reply-To or References. */
  readonly messageIds: readonly string[];
  readonly threadId?: string | null;
  /** The counterpart's address: mail from it counts as a reply too. */
  readonly counterpart: string;
}

export interface CreateDraftOptions {
  /** The draft or sent message this one answers, so that providers with threads keep it there. */
  readonly replyTo?: DraftRef | null;
}

/** What a send asks of its caller on the way. */
export interface SendOptions {
  /**
   * Called once the adapter has found the draft (the Maildir and IMAP read it just after, so that an
   * edit saved meanwhile is what leaves) or read it, and right before the provider is handed it: the
   * last moment a send can still be stopped. Throwing stops the send, and the error is thrown to the caller. Not called when the
   * message is found sent already. The engine checks there, in one Redis step, that the call is
   * still as the send claimed it (a cancellation or a move after the claim), and records the send
   * as submitted.
   */
  readonly beforeSubmit?: () => Promise<void>;
  /**
   * Told, once the message has left, of recipients the mail server refused while it took the
   * message for the others: an SMTP relay answers each recipient apart and sends to those it
   * accepted. Not sent again for them; no bounce will report them either. Only the adapters that
   * relay through SMTP call it: the Gmail and Graph APIs take a send whole, and report a refused
   * address later, as a bounce.
   */
  readonly onRecipientsRefused?: (refused: readonly DeliveryFailure[]) => void;
}

export interface Mailbox {
  readonly id: string;
  createDraft(email: ComposedEmail, options?: CreateDraftOptions): Promise<DraftRef>;
  /** Replaces the draft's content; returns the ref of the new version. */
  updateDraft(ref: DraftRef, email: ComposedEmail): Promise<DraftRef>;
  /** Removes the draft; a draft already gone is not an error. */
  deleteDraft(ref: DraftRef): Promise<void>;
  draftState(ref: DraftRef): Promise<DraftState>;
  /**
   * The message as it stands in the mailbox now, raw RFC 5322 (at most {@link READ_MESSAGE_LIMIT}
   * bytes): the draft as the user left it, or the copy in Sent, and which of the two it is. Found
   * as `draftState` finds it; null when it is gone; a TransientError when it keeps changing while
   * it is read (a client saving edits). For showing the user what will be (or was) sent.
   */
  readMessage(ref: DraftRef): Promise<StoredMessage | null>;
  /** Sends the draft exactly as it stands in the mailbox now and files it in Sent. */
  send(ref: DraftRef, options?: SendOptions): Promise<DraftRef>;
  findByMessageId(messageId: string): Promise<FoundMessage | null>;
  /**
   * The messages in Drafts under this Message-ID, or under a client's own Message-ID with our
   * X-Ringback-Ref: once the email was sent, an edit the user saved after it had left (a mail client
   * saves a draft it has open as a new message, whatever became of the one it opened). Optional:
   * the Maildir and IMAP adapters have it; Gmail and Graph, which send a draft by its provider id,
   * do not look (what their clients make of a late save is not pinned down by a test here).
   */
  draftCopies?(messageId: string): Promise<readonly DraftRef[]>;
  repliesSince(thread: ThreadQuery, since: Millis): Promise<readonly Reply[]>;
  /**
   * A light check that the account can be used now (signs in, opens Drafts and Sent, reaches the
   * SMTP relay); throws the typed error of what does not work. The health probe of an account in
   * an outage calls it (src/engine/outage.ts). Optional: without it, looking up a Message-ID that
   * never exists serves.
   */
  checkHealth?(): Promise<void>;
  /**
   * True when the provider accepts a send and files it in Sent later (Microsoft Graph answers 202
   * and the copy appears in Sent Items once transport has taken it, possibly under a new id): a
   * message still in Drafts right after `send` may be on its way, and sending it again would send
   * it twice. The engine then waits for the copy instead (src/engine/submitted.ts).
   */
  readonly filesSentLater?: boolean;
  /**
   * Reports of non-delivery (bounces) that arrived in the Inbox since `since`, each with the
   * Message-IDs it is about (delivery-report.ts decides what is one); the caller keeps those that
   * name its own emails. Reads at most the newest REPORT_SCAN_LIMIT candidates.
   */
  deliveryReportsSince(since: Millis): Promise<readonly DeliveryReport[]>;
  close(): Promise<void>;
}
