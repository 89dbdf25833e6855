/**
 * /queues: bull-board over the two queues, for a look at the queue internals (delayed, active,
 * failed jobs and their errors). It runs behind the same token and same-origin check as the rest
 * of the dashboard (see server.ts).
 *
 * The board is read-only: changing ringback's plans goes through the dashboard's pages and the CLI,
 * which keep the store and the queue in step. A writable board could empty or obliterate a queue,
 * which would also drop the sync and reconcile schedulers until the next start.
 *
 * Its own page needs a looser content security policy (see `QUEUES_CSP` in server.ts): bull-board's
 * React UI sets inline styles (a `<style>` block and `style` attributes), which the dashboard's
 * strict policy forbids. Scripts stay limited to its own files.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Express } from 'express';
import type { Queues } from '../queue/queues.js';

/** `basePath`: where the board is mounted, as the browser sees it (its page links from there). */
export function queuesBoard(queues: Queues, basePath: string): Express {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(basePath);
  createBullBoard({
    queues: [
      new BullMQAdapter(queues.actions, { readOnlyMode: true, description: 'emails to draft and send, one job per interview step' }),
      new BullMQAdapter(queues.sync, { readOnlyMode: true, description: 'calendar syncs and the reconciler' }),
    ],
    // @bull-board/express 9.10.1 carries its own copy of @bull-board/api 9.10.1 beside ours (9.10.2):
    // the same class declared twice, which TypeScript refuses. Same shape at run time.
    serverAdapter: adapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'ringback queues' } },
  });
  const app = adapter.getRouter() as Express;
  app.disable('x-powered-by');
  return app;
}
