/**
 * Honours a provider's Retry-After for the whole account. An adapter turns a 429 into a
 * {@link RateLimitError}; the queue delays the job that got it, but the other jobs of the same
 * account (the next draft, the next sync page, another process) went on calling at once, against
 * what the provider asked. These wrappers note the wait in Redis and, until it is over, answer any
 * call to that account with a RateLimitError for the time left, without calling the provider.
 */
import type { Store } from '../store/store.js';
import { noteRateLimit, rateLimitLeft } from '../store/rate-limits.js';
import type { CalendarSource, SyncPage } from './calendar/types.js';
import { RateLimitError } from './errors.js';
import type { Mailbox } from './mail/types.js';

async function gate(store: Store, accountId: string): Promise<void> {
  const left = await rateLimitLeft(store, accountId);
  if (left > 0) throw new RateLimitError(`${accountId} asked to slow down: waiting ${Math.ceil(left / 1000)} s more`, left);
}

async function guarded<T>(store: Store, accountId: string, call: () => Promise<T>): Promise<T> {
  await gate(store, accountId);
  try {
    return await call();
  } catch (error) {
    if (error instanceof RateLimitError) await noteRateLimit(store, accountId, error.retryAfterMs);
    throw error;
  }
}

export function gateMailbox(mailbox: Mailbox, store: Store): Mailbox {
  const g = <T>(call: () => Promise<T>) => guarded(store, mailbox.id, call);
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

export function gateCalendar(source: CalendarSource, store: Store): CalendarSource {
  return {
    id: source.id,
    async *sync(cursor, signal): AsyncIterable<SyncPage> {
      const pages = source.sync(cursor, signal)[Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await guarded(store, source.id, () => pages.next());
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await pages.return?.(undefined);
      }
    },
    freeBusy: (range, signal) => guarded(store, source.id, () => source.freeBusy(range, signal)),
    close: () => source.close(),
  };
}
