/** The reconcile processor: rebuilds the expected jobs from the store (src/engine/reconcile.ts). */
import type { Engine } from '../src/engine/context.js';
import { reconcile } from '../src/engine/reconcile.js';

export function reconcileProcessor(engine: Engine): () => Promise<string> {
  return async () => {
    const r = await reconcile(engine);
    return `${r.added} added, ${r.removed} removed, ${r.moved} moved, ${r.draftsCleaned} drafts cleaned`;
  };
}
