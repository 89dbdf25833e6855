/**
 * What ringback remembers of each company: interviewer no-shows (which escalate), candidate misses
 * (kept apart, never held against the company), and the "pattern" flag, set when no-shows reach
 * `moveOnAfter` and cleared only by the user (`ringback company clear`).
 *
 * Key: `company:{key}` hash; `companies` set of keys.
 */
import { isPattern } from '../domain/escalation.js';
import type { Millis, Outcome, PolicySettings } from '../domain/types.js';
import { key, type Store } from './store.js';

export interface CompanyRecord {
  readonly company: string;
  /** Interview ids, one per recorded interviewer no-show since the last clear. */
  readonly noShows: readonly string[];
  readonly candidateMisses: readonly string[];
  readonly pattern: boolean;
  readonly clearedAt: Millis | null;
}

export async function getCompany(store: Store, company: string): Promise<CompanyRecord> {
  const h = await store.redis.hgetall(key(store, 'company', company));
  const list = (v: string | undefined): string[] => (v ? (JSON.parse(v) as string[]) : []);
  return {
    company,
    noShows: list(h.noShows),
    candidateMisses: list(h.candidateMisses),
    pattern: h.pattern === '1',
    clearedAt: h.clearedAt ? Number(h.clearedAt) : null,
  };
}

export async function listCompanies(store: Store): Promise<CompanyRecord[]> {
  const names = await store.redis.smembers(key(store, 'companies'));
  return await Promise.all(names.sort().map((n) => getCompany(store, n)));
}

/**
 * Records one outcome for an interview at a company, idempotently (the same interview counts once),
 * and moves it between lists when the user corrects an outcome. Returns the record after.
 */
export async function recordCompanyOutcome(
  store: Store,
  company: string,
  interviewId: string,
  outcome: Outcome,
  policy: PolicySettings,
): Promise<CompanyRecord> {
  const before = await getCompany(store, company);
  const noShows = before.noShows.filter((id) => id !== interviewId);
  const misses = before.candidateMisses.filter((id) => id !== interviewId);
  if (outcome === 'interviewer-no-show') noShows.push(interviewId);
  if (outcome === 'candidate-missed') misses.push(interviewId);
  // Once set, the flag stays until the user clears it; the domain decides when it is reached.
  const pattern = before.pattern || isPattern(noShows.length, policy);
  await store.redis
    .multi()
    .hset(key(store, 'company', company), {
      noShows: JSON.stringify(noShows),
      candidateMisses: JSON.stringify(misses),
      pattern: pattern ? '1' : '0',
    })
    .sadd(key(store, 'companies'), company)
    .exec();
  return { ...before, noShows, candidateMisses: misses, pattern };
}

/** Clears the pattern flag and starts counting no-shows afresh. */
export async function clearCompany(store: Store, company: string, at: Millis): Promise<boolean> {
  const exists = await store.redis.sismember(key(store, 'companies'), company);
  if (!exists) return false;
  await store.redis.hset(key(store, 'company', company), { noShows: '[]', pattern: '0', clearedAt: String(at) });
  return true;
}

/** Writes a company record as exported by `ringback export`. */
export async function importCompany(store: Store, record: Pick<CompanyRecord, 'company' | 'noShows' | 'candidateMisses' | 'pattern'>): Promise<void> {
  await store.redis
    .multi()
    .hset(key(store, 'company', record.company), {
      noShows: JSON.stringify(record.noShows),
      candidateMisses: JSON.stringify(record.candidateMisses),
      pattern: record.pattern ? '1' : '0',
    })
    .sadd(key(store, 'companies'), record.company)
    .exec();
}
