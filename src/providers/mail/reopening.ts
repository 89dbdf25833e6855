/**
 * A mailbox that opens itself on first use and again after it could not be opened. At start the
 * mailbox may be unusable (a stored secret that does not decrypt with the key given, a server
 * down, Redis restarted without the account's secrets): without this, the engine ran with no
 * mailbox and every action that fell due was skipped for good. Now each call tries to open it, and
 * a failure is an error of the account (AuthError, AccountUnusableError, TransientError), so that
 * the action is parked (src/engine/outage.ts) and runs once the mailbox opens.
 */
import { AccountUnusableError, ProviderError } from '../errors.js';
import type { Mailbox } from './types.js';

/** A Message-ID that never exists: looking for it signs in and opens Drafts and Sent, nothing more. */
const PROBE_MESSAGE_ID = '<ringback.health-check@ringback.invalid>';

export interface ReopeningMailbox extends Mailbox {
  /** Opens the mailbox now if it is not open; throws what opening it threw. */
  open(): Promise<void>;
}

export function reopeningMailbox(id: string, build: () => Promise<Mailbox>): ReopeningMailbox {
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

  return {
    id,
    async open() {
      await opened();
    },
    createDraft: async (email, options) => await (await opened()).createDraft(email, options),
    updateDraft: async (ref, email) => await (await opened()).updateDraft(ref, email),
    deleteDraft: async (ref) => await (await opened()).deleteDraft(ref),
    draftState: async (ref) => await (await opened()).draftState(ref),
    readMessage: async (ref) => await (await opened()).readMessage(ref),
    send: async (ref) => await (await opened()).send(ref),
    findByMessageId: async (messageId) => await (await opened()).findByMessageId(messageId),
    repliesSince: async (thread, since) => await (await opened()).repliesSince(thread, since),
    async checkHealth() {
      const mailbox = await opened();
      if (mailbox.checkHealth) await mailbox.checkHealth();
      else await mailbox.findByMessageId(PROBE_MESSAGE_ID);
    },
    async close() {
      const open = current;
      current = null;
      if (open) await (await open.catch(() => null))?.close();
    },
  };
}
