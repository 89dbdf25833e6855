/**
 * Outlook's limit on parallel work: Graph lets one app have at most 4 requests running at once
 * against one mailbox ("Outlook service limits",
 * https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits); a fifth is
 * answered 429 "Application is over its MailboxConcurrency limit."
 * (https://learn.microsoft.com/en-us/answers/questions/734143/mailboxconcurrency-limit-throttling-exception).
 * The calendar sync and the action workers of one account share one {@link RequestSlots}, so
 * that together they stay within it; a request waits for a free slot instead of being refused.
 *
 * An account's calendar is synced by one process at a time, but its email jobs run in whichever
 * `ringback start` process sharing the Redis takes them. So a request first waits for a slot in
 * this process (cheap, first come first served), then takes one of the account's slots in Redis
 * ({@link SharedSlots}, src/store/request-slots.ts), held at most {@link SLOT_HOLD_MS}: a slot of a
 * process that died frees itself. Without Redis slots (tests, tools) the limit holds per process.
 */
import { randomUUID } from 'node:crypto';

/** Outlook's limit: requests at once per app and mailbox. */
export const MAILBOX_CONCURRENCY = 4;

/**
 * How long a Redis slot is held at most: longer than a request may take (its 30 s deadline). A
 * request that outlives it lets a fifth one start; Outlook's 429 then slows the account down.
 */
export const SLOT_HOLD_MS = 40_000;

/** The account's slots across processes. */
export interface SharedSlots {
  /** Takes one of `limit` slots for at most `holdMs` under `holder`; false when all are taken. */
  take(holder: string, limit: number, holdMs: number): Promise<boolean>;
  free(holder: string): Promise<void>;
}

export interface RequestSlots {
  /** Runs `work` once a slot is free, holding it until `work` settles. */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createRequestSlots(limit = MAILBOX_CONCURRENCY, shared?: SharedSlots): RequestSlots {
  let running = 0;
  const waiting: Array<() => void> = [];

  const acquire = (signal: AbortSignal | undefined): Promise<void> => {
    if (running < limit) {
      running += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = waiting.indexOf(grant);
        if (index !== -1) waiting.splice(index, 1);
        reject(signal?.reason);
      };
      // The slot is handed over as it is released: `running` stays counted.
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      if (signal?.aborted) {
        onAbort();
        return;
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(grant);
    });
  };

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async run(work, signal) {
      await acquire(signal);
      try {
        if (!shared) return await work();
        const holder = `${process.pid}:${randomUUID()}`;
        await takeShared(shared, holder, limit, signal);
        try {
          return await work();
        } finally {
          // A slot that cannot be given back (Redis away) frees itself at its expiry; failing the
          // request for it would make the job run again, and what the request did, twice.
          await shared.free(holder).catch(() => undefined);
        }
      } finally {
        release();
      }
    },
  };
}

/** Waits for a Redis slot: 20 ms, then doubling up to 250 ms between tries. */
async function takeShared(shared: SharedSlots, holder: string, limit: number, signal: AbortSignal | undefined): Promise<void> {
  for (let wait = 20; !(await shared.take(holder, limit, SLOT_HOLD_MS)); wait = Math.min(250, wait * 2)) {
    signal?.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
