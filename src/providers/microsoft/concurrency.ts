/**
 * Outlook's limit on parallel work: Graph lets one app have at most 4 requests running at once
 * against one mailbox ("Outlook service limits",
 * https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits); a fifth is
 * answered 429 "Application is over its MailboxConcurrency limit."
 * (https://learn.microsoft.com/en-us/answers/questions/734143/mailboxconcurrency-limit-throttling-exception).
 * The calendar sync and the action workers of one account share one {@link RequestSlots}, so
 * that together they stay within it; a request waits for a free slot instead of being refused.
 *
 * The slots are held in this process. An account's calendar is synced by one process at a time,
 * but its actions may run in any process sharing the Redis; several processes can then exceed
 * the limit together, and the 429 that follows is shared across them by the rate gate
 * (`src/providers/rate-gate.ts`) as any other.
 */

/** Outlook's limit: requests at once per app and mailbox. */
export const MAILBOX_CONCURRENCY = 4;

export interface RequestSlots {
  /** Runs `work` once a slot is free, holding it until `work` settles. */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createRequestSlots(limit = MAILBOX_CONCURRENCY): RequestSlots {
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
        return await work();
      } finally {
        release();
      }
    },
  };
}
