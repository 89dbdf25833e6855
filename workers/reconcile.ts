/**
 * The reconcile processor: rebuilds the expected jobs from the store (src/engine/reconcile.ts),
 * then looks for reports that a sent email was not delivered (src/engine/undelivered.ts). A
 * mailbox that cannot be read now does not fail the reconcile: the next one looks again.
 */
import type { Engine } from '../src/engine/context.js';
import { reconcile } from '../src/engine/reconcile.js';
import { checkDeliveryReports } from '../src/engine/undelivered.js';

export function reconcileProcessor(engine: Engine): () => Promise<string> {
  return async () => {
    const r = await reconcile(engine);
    const done = `${r.added} added, ${r.removed} removed, ${r.moved} moved, ${r.draftsCleaned} drafts cleaned${r.indexed > 0 ? `, ${r.indexed} put back in the call index` : ''}`;
    try {
      const b = await checkDeliveryReports(engine);
      return `${done}; ${b.undelivered} of ${b.watched} sent emails reported not delivered`;
    } catch (error) {
      engine.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not look for delivery reports; the next reconcile tries again');
      return `${done}; delivery reports not read`;
    }
  };
}
