/**
 * Clearing a company's "pattern" flag: what `ringback company clear` and the dashboard's button
 * do. No-shows are counted afresh and the company's coming interviews are replanned, so their
 * confirmations go out again.
 */
import { audit } from '../store/audit.js';
import { clearCompany } from '../store/companies.js';
import type { Engine } from './context.js';
import { replanCompany } from './outcome.js';

/** False: ringback has no record of that company. */
export async function clearCompanyPattern(engine: Engine, company: string): Promise<boolean> {
  const name = company.trim().toLowerCase();
  const known = await clearCompany(engine.store, name, engine.now());
  if (!known) return false;
  await audit(engine.store, { type: 'escalation', message: `${name}: pattern flag cleared by you; no-shows counted afresh`, at: engine.now() });
  await replanCompany(engine, name);
  return true;
}
