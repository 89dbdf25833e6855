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
import { clockIn, localDateIn } from '../domain/time.js';
import type { Millis } from '../domain/types.js';
import type { CalendarSource, SyncPage } from './calendar/types.js';
import { RateLimitError } from './errors.js';
import type { DraftRef, Mailbox } from './mail/types.js';

/** A wait an account is in. */
export interface Wait {
  /** Milliseconds left, as the store counts them (its clock, not this process's). */
  readonly leftMs: number;
  /** When it ends: the same for every call of the wait, whoever asks and when. */
  readonly until: Millis;
}

/** The waits providers asked for, shared by every job and process of an account. */
export interface RateLimits {
  /** The wait the account is in, or null when none. */
  wait(accountId: string): Promise<Wait | null>;
  /** Records a wait; a shorter one never cuts a longer one short. */
  note(accountId: string, waitMs: number): Promise<void>;
}

/** What the gate needs besides the source: the shared waits, and the zone the user reads times in. */
export interface GateOptions {
  readonly limits: RateLimits;
  /** The candidate's IANA zone (config `candidate.timezone`). */
  readonly zone: string;
}

/**
 * How a held call names the end of its wait: rounded up to the minute, in the user's zone. A
 * failed sync is audited once per distinct message (workers/sync.ts), and the countdown an
 * earlier message had ("waiting 59 s more") made each poll of a long wait a new line, so an end
 * time, the same at every poll, replaced it. Its date is added when the wait ends on another day
 * than today (a Retry-After of hours): that message changes once, at midnight. The time left is
 * the error's `retryAfterMs`, for the queue. Shared by this gate and by the holds inside one
 * operation (Gmail's and Graph's clients), so that every hold of a wait says the same end.
 */
export function waitEnd(until: Millis, now: Millis, zone: string): string {
  const end = Math.ceil(until / 60_000) * 60_000;
  const day = localDateIn(zone, end) === localDateIn(zone, now) ? '' : `${localDateIn(zone, end)} `;
  return `until ${day}${clockIn(zone, end)} (your time), the end of the wait it asked for`;
}

/** The gate's refusal of a call to an account in a wait. */
export function heldMessage(accountId: string, until: Millis, now: Millis, zone: string): string {
  return `${accountId} asked to slow down: no call to it ${waitEnd(until, now, zone)}`;
}

async function gate(options: GateOptions, accountId: string): Promise<void> {
  const wait = await options.limits.wait(accountId);
  if (wait !== null) throw new RateLimitError(heldMessage(accountId, wait.until, Date.now(), options.zone), wait.leftMs);
}

/** `call`, after the wait is checked (unless `check` is false), with the wait a 429 asks for noted. */
async function guarded<T>(options: GateOptions, accountId: string, call: () => Promise<T>, check = true): Promise<T> {
  const limits = options.limits;
  if (check) await gate(options, accountId);
  try {
    return await call();
  } catch (error) {
    if (error instanceof RateLimitError) await limits.note(accountId, error.retryAfterMs);
    throw error;
  }
}

export function gateMailbox(mailbox: Mailbox, options: GateOptions): Mailbox {
  const g = <T>(call: () => Promise<T>) => guarded(options, mailbox.id, call);
  return {
    id: mailbox.id,
    createDraft: (email, options) => g(() => mailbox.createDraft(email, options)),
    updateDraft: (ref, email) => g(() => mailbox.updateDraft(ref, email)),
    deleteDraft: (ref) => g(() => mailbox.deleteDraft(ref)),
    draftState: (ref) => g(() => mailbox.draftState(ref)),
    readMessage: (ref) => g(() => mailbox.readMessage(ref)),
    send: (ref, options) => g(() => mailbox.send(ref, options)),
    findByMessageId: (messageId) => g(() => mailbox.findByMessageId(messageId)),
    ...(mailbox.draftCopies ? { draftCopies: (messageId: string) => g(() => (mailbox.draftCopies as (id: string) => Promise<readonly DraftRef[]>)(messageId)) } : {}),
    repliesSince: (thread, since) => g(() => mailbox.repliesSince(thread, since)),
    deliveryReportsSince: (since) => g(() => mailbox.deliveryReportsSince(since)),
    ...(mailbox.checkHealth ? { checkHealth: () => g(() => (mailbox.checkHealth as () => Promise<void>)()) } : {}),
    ...(mailbox.filesSentLater ? { filesSentLater: true } : {}),
    close: () => mailbox.close(),
  };
}

export function gateCalendar(source: CalendarSource, options: GateOptions): CalendarSource {
  const readEvent = source.readEvent?.bind(source);
  return {
    id: source.id,
    async *sync(cursor, signal): AsyncIterable<SyncPage> {
      const pages = source.sync(cursor, signal)[Symbol.asyncIterator]();
      try {
        for (let last = false; ; ) {
          // The page with the cursor is the last (types.ts): what follows it asks the calendar
          // nothing, so the wait is not read again for it; it was, a round trip more on every poll
          // (fleet benchmark, issue 17). A 429 is still noted, should a calendar ask anything there.
          const next: IteratorResult<SyncPage> = await guarded(options, source.id, () => pages.next(), !last);
          if (next.done) return;
          last = next.value.nextCursor !== undefined;
          yield next.value;
        }
      } finally {
        await pages.return?.(undefined);
      }
    },
    ...(readEvent ? { readEvent: (eventId, signal) => guarded(options, source.id, () => readEvent(eventId, signal)) } : {}),
    freeBusy: (range, signal) => guarded(options, source.id, () => source.freeBusy(range, signal)),
    close: () => source.close(),
  };
}
