/**
 * A mailbox that opens itself on first use and again after it could not be opened. At start the
 * mailbox may be unusable (a stored secret that does not decrypt with the key given, a server
 * down, Redis restarted without the account's secrets): without this, the engine ran with no
 * mailbox and every action that fell due was skipped for good. Now each call tries to open it, and
 * a failure is an error of the account (AuthError, AccountUnusableError, TransientError), so that
 * the action is parked (src/engine/outage.ts) and runs once the mailbox opens.
 */
import { AccountUnusableError, AuthError, ProviderError } from '../errors.js';
import type { Mailbox } from './types.js';

/** A Message-ID that never exists: looking for it signs in and opens Drafts and Sent, nothing more. */
const PROBE_MESSAGE_ID = '<ringback.health-check@ringback.invalid>';

export interface ReopeningMailbox extends Mailbox {
  /** Opens the mailbox now if it is not open; throws what opening it threw. */
  open(): Promise<void>;
}

export function reopeningMailbox(id: string, build: () => Promise<Mailbox>, options: { filesSentLater?: boolean } = {}): ReopeningMailbox {
  let current: Promise<Mailbox> | null = null;

  function opened(): Promise<Mailbox> {
    current ??= build().catch((error: unknown) => {
      current = null;
      if (error instanceof ProviderError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new AccountUnusableError(`mailbox ${id} cannot be opened: ${message}`, { cause: error });
    });
    return current;
  }

  /**
   * Runs a call on the open mailbox. A refused sign-in drops it, so that the next call opens it
   * again with the secrets as they are then: after "ringback connect" stored a new password, the
   * running daemon uses it without a restart.
   */
  async function use<T>(call: (mailbox: Mailbox) => Promise<T>): Promise<T> {
    const open = opened();
    const mailbox = await open;
    try {
      return await call(mailbox);
    } catch (error) {
      if (error instanceof AuthError && current === open) {
        current = null;
        await mailbox.close().catch(() => undefined); // the old connection may already be gone
      }
      throw error;
    }
  }

  return {
    id,
    ...(options.filesSentLater ? { filesSentLater: true } : {}),
    async open() {
      await opened();
    },
    createDraft: (email, options) => use((m) => m.createDraft(email, options)),
    updateDraft: (ref, email) => use((m) => m.updateDraft(ref, email)),
    deleteDraft: (ref) => use((m) => m.deleteDraft(ref)),
    draftState: (ref) => use((m) => m.draftState(ref)),
    readMessage: (ref) => use((m) => m.readMessage(ref)),
    send: (ref, options) => use((m) => m.send(ref, options)),
    findByMessageId: (messageId) => use((m) => m.findByMessageId(messageId)),
    // Known only once open: an adapter without it has no copies to report.
    draftCopies: (messageId) => use(async (m) => (m.draftCopies ? await m.draftCopies(messageId) : [])),
    repliesSince: (thread, since) => use((m) => m.repliesSince(thread, since)),
    deliveryReportsSince: (since) => use((m) => m.deliveryReportsSince(since)),
    checkHealth: () => use(async (m) => {
      if (m.checkHealth) await m.checkHealth();
      else await m.findByMessageId(PROBE_MESSAGE_ID);
    }),
    async close() {
      const open = current;
      current = null;
      if (open) await (await open.catch(() => null))?.close();
    },
  };
}
