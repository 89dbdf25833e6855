/**
 * What ringback remembers of each company: interviewer no-shows (which escalate), candidate misses
 * (kept apart, never held against the company), and the "pattern" flag, set when no-shows reach
 * `moveOnAfter` and cleared only by the user (`ringback company clear`).
 *
 * Key: `company:{key}` hash; `companies` set of keys.
 */
import { isPattern } from '../domain/escalation.js';
import type { Millis, PolicySettings } from '../domain/types.js';
import { getStoredInterview } from './interview-writes.js';
import { key, type Store } from './store.js';

export interface CompanyRecord {
  readonly company: string;
  /** Interview ids, one per recorded interviewer no-show since the last clear. */
  readonly noShows: readonly string[];
  readonly candidateMisses: readonly string[];
  readonly pattern: boolean;
  readonly clearedAt: Millis | null;
}

/** The stored fields a change of the record is decided on, as read (null: absent). */
const DECIDED_ON = ['noShows', 'candidateMisses', 'pattern'] as const;
/** The fields an outcome reads: those it is decided on, and the rest of the record it returns. */
const READ_FOR_OUTCOME = [...DECIDED_ON, 'clearedAt'] as const;

function companyFrom(company: string, h: Readonly<Record<string, string | null | undefined>>): CompanyRecord {
  const list = (v: string | null | undefined): string[] => (v ? (JSON.parse(v) as string[]) : []);
  return {
    company,
    noShows: list(h.noShows),
    candidateMisses: list(h.candidateMisses),
    pattern: h.pattern === '1',
    clearedAt: h.clearedAt ? Number(h.clearedAt) : null,
  };
}

export async function getCompany(store: Store, company: string): Promise<CompanyRecord> {
  return companyFrom(company, await store.redis.hgetall(key(store, 'company', company)));
}

export async function listCompanies(store: Store): Promise<CompanyRecord[]> {
  const names = await store.redis.smembers(key(store, 'companies'));
  return await Promise.all(names.sort().map((n) => getCompany(store, n)));
}

/**
 * KEYS: the company's hash, the set of companies, the interview's record. ARGV: the company, the
 * interview's record as read ('' for none), then for each field of {@link DECIDED_ON} its name, the
 * value read ('' for none) and the value to write. Writes only if the interview's record and every
 * value are still the ones read.
 */
const HSET_IF_UNCHANGED = `
if (redis.call('GET', KEYS[3]) or '') ~= ARGV[2] then return 0 end
for i = 3, #ARGV, 3 do
  if (redis.call('HGET', KEYS[1], ARGV[i]) or '') ~= ARGV[i + 1] then return 0 end
end
for i = 3, #ARGV, 3 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2]) end
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** How many times an outcome is made again on a record another writer changed meanwhile. */
const ATTEMPTS = 20;

/**
 * Puts an interview where its recorded outcome says in the company's lists, idempotently (the same
 * interview counts once): a no-show, a miss, or neither (held, or no outcome). The outcome is the
 * one on the interview's record as stored, not one the caller passes: two outcomes recorded for the
 * same interview at once (the dashboard and a CLI command) reach the interview's record in one order
 * and could reach the company's in the other, leaving a no-show counted for a call recorded as held.
 * Returns the record after.
 *
 * Written only over the company record and the interview record it was computed from: two outcomes
 * recorded at once for two of the company's interviews, or one beside a `company clear`, each wrote
 * the lists it had read, and the no-show written first was lost. On a change of either in between,
 * both are read again and the outcome applied again.
 */
export async function recordCompanyOutcome(store: Store, company: string, interviewId: string, policy: PolicySettings): Promise<CompanyRecord> {
  const k = key(store, 'company', company);
  const ivKey = key(store, 'iv', interviewId);
  for (let attempt = 1; ; attempt++) {
    const [stored, read] = await Promise.all([getStoredInterview(store, interviewId), store.redis.hmget(k, ...READ_FOR_OUTCOME)]);
    const outcome = stored?.interview.outcome ?? null;
    const before = companyFrom(company, Object.fromEntries(READ_FOR_OUTCOME.map((field, i) => [field, read[i]])));
    const noShows = before.noShows.filter((id) => id !== interviewId);
    const misses = before.candidateMisses.filter((id) => id !== interviewId);
    if (outcome === 'interviewer-no-show') noShows.push(interviewId);
    if (outcome === 'candidate-missed') misses.push(interviewId);
    // Once set, the flag stays until the user clears it; the domain decides when it is reached.
    const pattern = before.pattern || isPattern(noShows.length, policy);
    const after: Record<(typeof DECIDED_ON)[number], string> = {
      noShows: JSON.stringify(noShows),
      candidateMisses: JSON.stringify(misses),
      pattern: pattern ? '1' : '0',
    };
    const args = DECIDED_ON.flatMap((field, i) => [field, read[i] ?? '', after[field]]);
    if ((await store.redis.eval(HSET_IF_UNCHANGED, 3, k, key(store, 'companies'), ivKey, company, stored?.raw ?? '', ...args)) === 1) {
      return { ...before, noShows, candidateMisses: misses, pattern };
    }
    if (attempt >= ATTEMPTS) {
      throw new Error(`company ${company}: not updated, its record or interview ${interviewId}'s changed under each of ${ATTEMPTS} attempts; nothing was lost, record the outcome again`);
    }
  }
}

/** Clears the pattern flag and starts counting no-shows afresh. */
export async function clearCompany(store: Store, company: string, at: Millis): Promise<boolean> {
  const exists = await store.redis.sismember(key(store, 'companies'), company);
  if (!exists) return false;
  await store.redis.hset(key(store, 'company', company), { noShows: '[]', pattern: '0', clearedAt: String(at) });
  return true;
}

/**
 * Writes a company record as exported by `ringback export`, whole: its lists, its flag and when the
 * user last cleared it (shown on the dashboard), or none.
 */
export async function importCompany(store: Store, record: CompanyRecord): Promise<void> {
  const k = key(store, 'company', record.company);
  const write = store.redis.multi().hset(k, {
    noShows: JSON.stringify(record.noShows),
    candidateMisses: JSON.stringify(record.candidateMisses),
    pattern: record.pattern ? '1' : '0',
  });
  if (record.clearedAt === null) write.hdel(k, 'clearedAt');
  else write.hset(k, 'clearedAt', String(record.clearedAt));
  await write.sadd(key(store, 'companies'), record.company).exec();
}
