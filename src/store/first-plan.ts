/**
 * The store's part of an interview's first plan sent in one round trip (src/queue/first-plan.ts):
 * a check that nothing is known of the interview yet, and its action records, both added to the
 * caller's batch of commands.
 *
 * Keys: `iv:{id}:actions` and `iv:{id}:drafts` (interviews.ts, drafts.ts), `company:{key}`
 * (companies.ts), and `iv:{id}:planning`, never left in Redis: the check sets and deletes it
 * when the interview is not new, which makes Redis discard the caller's transaction (see
 * {@link watchNewInterviewIn}).
 */
import type { ChainableCommander } from 'ioredis';
import type { ActionRecord } from '../domain/actions.js';
import { decodeEmail, type EmailRecord } from './drafts.js';
import { actionRecordFields, actionRecordsFrom } from './interviews.js';
import { key, type Store } from './store.js';

/**
 * KEYS[1] the planning key (watched), KEYS[2] action records, KEYS[3] emails, KEYS[4] company
 * (ARGV[1] = '1' when the interview has one), KEYS[5…] keys that must not exist.
 *
 * The action records and the keys that must not exist are asked in one EXISTS: one command fewer
 * per new interview for Redis to run (schedule benchmark, issue 17, bench/README.md).
 *
 * Returns {1} when the interview is new. Otherwise it touches KEYS[1] first, then returns what a
 * plan reads: {0, the company's pattern flag, the confirmation email, the action records' fields
 * and values}. A check that fails (a key of the wrong type) counts as "not new" and returns {-1}:
 * the transaction that follows must never run on a check that did not.
 */
const NEW_INTERVIEW = `
local function isNew()
  if redis.call('EXISTS', KEYS[2], unpack(KEYS, 5)) > 0 or redis.call('HEXISTS', KEYS[3], 'confirmation') == 1 then return false end
  return ARGV[1] ~= '1' or redis.call('HGET', KEYS[4], 'pattern') ~= '1'
end
local ok, new = pcall(isNew)
if ok and new then return {1} end
redis.call('SET', KEYS[1], '1')
redis.call('DEL', KEYS[1])
if not ok then return {-1} end
local pattern = false
if ARGV[1] == '1' then pattern = redis.call('HGET', KEYS[4], 'pattern') end
return {0, pattern, redis.call('HGET', KEYS[3], 'confirmation'), redis.call('HGETALL', KEYS[2])}`;

/** What the check found of an interview that is not new: what its plan reads, read in the check. */
export interface KnownInterview {
  readonly companyFlagged: boolean;
  readonly confirmation: EmailRecord | null;
  readonly records: readonly ActionRecord[];
}

/**
 * The check's answer: new, known (with what a plan reads), or not known because the check
 * failed (null: the caller reads for itself).
 */
export type NewInterviewCheck = { readonly isNew: true } | { readonly isNew: false; readonly known: KnownInterview | null };

/**
 * Adds to `batch` a WATCH of everything the first plan of an interview depends on, then a check
 * that the interview is new: no action record, no confirmation email, its company (if any) not
 * flagged, none of `absent` present (the caller's: the jobs that would change its plan). What
 * the plan reads from the store is then known without reading it: no record, no draft, company
 * not flagged.
 *
 * The caller queues its writes after this in a transaction (MULTI … EXEC) of the same batch.
 * Redis runs that transaction only if no watched key changed since the WATCH; when the interview
 * is not new, the check changes the planning key itself, so that the transaction is discarded and
 * EXEC answers null. Either way nothing is written unless it holds when the writes run. Returns
 * the check's answer from the batch's replies.
 */
export function watchNewInterviewIn(
  batch: ChainableCommander,
  store: Store,
  input: { readonly interviewId: string; readonly company: string | null; readonly absent: readonly string[] },
): (replies: readonly [Error | null, unknown][]) => NewInterviewCheck {
  const keys = [
    key(store, 'iv', input.interviewId, 'planning'),
    key(store, 'iv', input.interviewId, 'actions'),
    key(store, 'iv', input.interviewId, 'drafts'),
    // Without a company a key of the interview's own stands in, never read (ARGV[1] = '0').
    input.company ? key(store, 'company', input.company) : key(store, 'iv', input.interviewId, 'planning'),
    ...input.absent,
  ];
  const at = batch.length + 1;
  // call(): the batch may be BullMQ's (src/queue/first-plan.ts), which gives some commands a
  // signature of its own; the generic form reaches Redis as written.
  batch.call('watch', ...keys);
  batch.call('eval', NEW_INTERVIEW, keys.length, ...keys, input.company ? '1' : '0');
  return (replies) => {
    const [error, reply] = replies[at] ?? [new Error('no reply to the check'), null];
    if (error || !Array.isArray(reply) || reply[0] !== 1) return { isNew: false, known: error || !Array.isArray(reply) ? null : knownFrom(reply) };
    return { isNew: true };
  };
}

function knownFrom(reply: readonly unknown[]): KnownInterview | null {
  const [status, pattern, confirmation, fields] = reply;
  if (status !== 0 || !Array.isArray(fields)) return null;
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([String(fields[i]), String(fields[i + 1])]);
  return {
    companyFlagged: pattern === '1',
    confirmation: typeof confirmation === 'string' ? decodeEmail(confirmation) : null,
    records: actionRecordsFrom(pairs),
  };
}

/** Adds the action records of a new interview (no record stored: see watchNewInterviewIn) to `batch`. */
export function setActionRecordsIn(batch: ChainableCommander, store: Store, interviewId: string, records: readonly ActionRecord[]): void {
  if (records.length === 0) return;
  // call(): see watchNewInterviewIn (BullMQ's batch takes hset(key, object)).
  batch.call('hset', key(store, 'iv', interviewId, 'actions'), ...actionRecordFields(records));
}
