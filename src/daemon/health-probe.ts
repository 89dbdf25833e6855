/**
 * The health probe: while the mailbox is in an outage, asks it every few seconds whether it works
 * again, and when it does, runs the actions that waited for it (src/engine/outage.ts) and deletes
 * the drafts of calls withdrawn meanwhile (src/engine/cancel.ts). Costs nothing while the mailbox
 * works: one Redis read per round.
 */
import { cleanDraftsLeft } from '../engine/cancel.js';
import type { Engine } from '../engine/context.js';
import { PROBE_EVERY_MS, resumeIfUsable } from '../engine/outage.js';

export interface HealthProbe {
  /** Resolves once the round in progress, if any, has finished. */
  stop(): Promise<void>;
}

export function startHealthProbe(engine: Engine, options: { everyMs?: number; onError: (error: Error) => void }): HealthProbe {
  const everyMs = options.everyMs ?? PROBE_EVERY_MS;
  const controller = new AbortController();
  const pause = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        controller.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, everyMs);
      controller.signal.addEventListener('abort', done, { once: true });
    });
  const loop = (async () => {
    while (!controller.signal.aborted) {
      try {
        if ((await resumeIfUsable(engine)) !== null) await cleanDraftsLeft(engine);
      } catch (error) {
        // Redis away, for instance: the next round tries again.
        options.onError(error instanceof Error ? error : new Error(String(error)));
      }
      await pause();
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
