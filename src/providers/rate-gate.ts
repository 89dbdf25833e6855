/**
 * Honours a provider's Retry-After for the whole account. An adapter turns a 429 into a
 * {@link RateLimitError}; the queue delays the job that got it, but the other jobs of the same
 * account (the next draft, the next sync page, another process) went on calling at once, against
 * what the provider asked. These wrappers note the wait in Redis and, until it is over, answer any
 * call to that account with a RateLimitError for the time left, without calling the provider.
 *
 * The waits are kept by the store (src/store/rate-limits.ts implements {@link RateLimits}); the
 * providers only see this interface, so that they import nothing from the store.
 */
import type { CalendarSource, SyncPage } from './calendar/types.js';
import { RateLimitError } from './errors.js';
import type { Mailbox } from './mail/types.js';

/** The waits providers asked for, shared by every job and process of an account. */
export interface RateLimits {
  /** Milliseconds left to wait before calling the account again; 0 when none. */
  left(accountId: string): Promise<number>;
  /** Records a wait; a shorter one never cuts a longer one short. */
  note(accountId: string, waitMs: number): Promise<void>;
}

/**
 * The time left is the error's `retryAfterMs`, not part of its message: a failed sync is audited
 * once per distinct message (workers/sync.ts), and a countdown in it made each poll during a long
 * wait a new line.
 */
async function gate(limits: RateLimits, accountId: string): Promise<void> {
  const left = await limits.left(accountId);
  if (left > 0) throw new RateLimitError(`${accountId} asked to slow down: no call to it until the wait it asked for is over`, left);
}

async function guarded<T>(limits: RateLimits, accountId: string, call: () => Promise<T>): Promise<T> {
  await gate(limits, accountId);
  try {
    return await call();
  } catch (error) {
    if (error instanceof RateLimitError) await limits.note(accountId, error.retryAfterMs);
    throw error;
  }
}

export function gateMailbox(mailbox: Mailbox, limits: RateLimits): Mailbox {
  const g = <T>(call: () => Promise<T>) => guarded(limits, mailbox.id, call);
  return {
    id: mailbox.id,
    createDraft: (email, options) => g(() => mailbox.createDraft(email, options)),
    updateDraft: (ref, email) => g(() => mailbox.updateDraft(ref, email)),
    deleteDraft: (ref) => g(() => mailbox.deleteDraft(ref)),
    draftState: (ref) => g(() => mailbox.draftState(ref)),
    readMessage: (ref) => g(() => mailbox.readMessage(ref)),
    send: (ref) => g(() => mailbox.send(ref)),
    findByMessageId: (messageId) => g(() => mailbox.findByMessageId(messageId)),
    repliesSince: (thread, since) => g(() => mailbox.repliesSince(thread, since)),
    deliveryReportsSince: (since) => g(() => mailbox.deliveryReportsSince(since)),
    ...(mailbox.checkHealth ? { checkHealth: () => g(() => (mailbox.checkHealth as () => Promise<void>)()) } : {}),
    ...(mailbox.filesSentLater ? { filesSentLater: true } : {}),
    close: () => mailbox.close(),
  };
}

export function gateCalendar(source: CalendarSource, limits: RateLimits): CalendarSource {
  return {
    id: source.id,
    async *sync(cursor, signal): AsyncIterable<SyncPage> {
      const pages = source.sync(cursor, signal)[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await guarded(limits, source.id, () => pages.next());
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await pages.return?.(undefined);
      }
    },
    freeBusy: (range, signal) => guarded(limits, source.id, () => source.freeBusy(range, signal)),
    close: () => source.close(),
  };
}
