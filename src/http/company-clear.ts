/**
 * Clearing a company's "pattern" flag: what `ringback company clear` does, for the dashboard's
 * button. It belongs with the engine's use cases (next to `recordOutcome`); it lives here until it
 * moves to `src/engine/` and `companyClearCommand` calls it too, so that both ways do the same.
 */
import type { Engine } from '../engine/context.js';
import { replan } from '../engine/replan.js';
import { audit } from '../store/audit.js';
import { clearCompany } from '../store/companies.js';
import { listInterviews } from '../store/interviews.js';

/** Clears the flag and counts no-shows afresh; replans the company's coming interviews. False: no such company. */
export async function clearCompanyPattern(engine: Engine, company: string): Promise<boolean> {
  const name = company.trim().toLowerCase();
  const known = await clearCompany(engine.store, name, engine.now());
  if (!known) return false;
  await audit(engine.store, { type: 'escalation', message: `${name}: pattern flag cleared by you; no-shows counted afresh`, at: engine.now() });
  for (const iv of await listInterviews(engine.store, { from: engine.now() })) {
    if (iv.company === name && iv.status === 'scheduled') await replan(engine, iv, iv.revision);
  }
  return true;
}
