/**
 * How an interview's record is written while other writers may be at it: the one mechanism every
 * writer of the engine uses (the sync, the outcome, a mark, a reply, a cancel, `ringback import`).
 *
 * A record is read whole, changed and written whole (it is deflated JSON, see records.ts: Redis
 * cannot change one field of it). Two writers that read the same record and write it one after the
 * other lose the first one's change: a sync rewriting a moved event over the outcome the user
 * recorded meanwhile (and the company's no-show with it), or an outcome written over the sync's new
 * start. So each write is a compare-and-set on the bytes the writer read: it is stored only if the
 * record still holds exactly those bytes, and otherwise the writer reads the record again and makes
 * its change again on what it finds (the comparison is on the stored bytes as read, never on a
 * re-encoding, so a record of any version, in any encoding, compares as what it is).
 *
 * Keys (interviews.ts): `iv:{id}` the record, `ivs` the interviews by start time, `ivc:{n}` the
 * call index (call-index.ts), whose members are replaced with the record. All are under the
 * `{prefix}` hash tag, so the script works on Redis Cluster.
 */
import type { Interview } from '../domain/types.js';
import { CHANGE_CALL_INDEX_LUA, callIndexArgs, callIndexChange, earlierMemberOf, indexMemberOf } from './call-index.js';
import { leanMulti } from './lean-pipeline.js';
import { decodeInterview, encodeInterview } from './records.js';
import { key, type Store } from './store.js';

/** An interview with the stored bytes it was decoded from, for {@link saveInterviewIfUnchanged}. */
export interface StoredInterview {
  readonly interview: Interview;
  readonly raw: Buffer;
}

export async function getStoredInterview(store: Store, id: string): Promise<StoredInterview | null> {
  const raw = await store.redis.getBuffer(key(store, 'iv', id));
  return raw ? { interview: decodeInterview(raw), raw } : null;
}

/**
 * KEYS: record, `ivs`, then the keys of the call index change (call-index.ts). ARGV: the bytes read,
 * the new record, its start, its id, its new member of `ivs`, its member before in the form of an
 * earlier version, then the index change. A record gone since counts as changed.
 */
/**
 * Lua: `replace_record(k, a)` writes the new record (KEYS[1]) and replaces its member of `ivs`
 * (KEYS[2]) from ARGV[2..6] as laid out above ('' for no member before), and its members of the
 * call index from KEYS[k] and ARGV[a] on. Shared with the compare-and-set over a call's start
 * (calls.ts), which lays out the same arguments.
 */
export const REPLACE_RECORD_LUA = `${CHANGE_CALL_INDEX_LUA}
local function replace_record(k, a)
  redis.call('SET', KEYS[1], ARGV[2])
  if ARGV[6] ~= '' and ARGV[6] ~= ARGV[5] then redis.call('ZREM', KEYS[2], ARGV[6]) end
  if ARGV[4] ~= ARGV[5] then redis.call('ZREM', KEYS[2], ARGV[4]) end
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
  change_call_index(k, a)
end`;

const SET_IF_UNCHANGED = `${REPLACE_RECORD_LUA}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
replace_record(3, 7)
return 1`;

/**
 * Stores `interview` only if its record still holds the bytes `before` was read from: false when
 * another writer came in between (the caller reads again and decides again). A decision taken on
 * what was read, such as "no outcome yet, assume held" or "the event moved, here is its new
 * record", must not overwrite what someone else wrote meanwhile.
 */
export async function saveInterviewIfUnchanged(store: Store, before: StoredInterview, interview: Interview): Promise<boolean> {
  const index = callIndexArgs(callIndexChange(store, before.interview, interview));
  const written = await store.redis.eval(
    SET_IF_UNCHANGED,
    2 + index.keys.length,
    key(store, 'iv', interview.id),
    key(store, 'ivs'),
    ...index.keys,
    before.raw,
    encodeInterview(interview),
    String(interview.start),
    interview.id,
    indexMemberOf(interview),
    earlierMemberOf(before.interview),
    ...index.args,
  );
  return written === 1;
}

/**
 * How many times a writer reads and changes a record again before it gives up. Another writer wins
 * only within one round trip; losing this often means something rewrites the record in a loop.
 */
const ATTEMPTS = 20;

export interface InterviewUpdate {
  /** The record the change was made on (the last one read). */
  readonly before: Interview;
  /** The record as stored now: `before` itself when the change left it as it was. */
  readonly after: Interview;
}

/**
 * Changes an interview's record: `change` computes the new record from the one stored now (or
 * returns null to leave it), and it is written only over that very record; when another writer came
 * in between, the record is read again and `change` made again on it. So a change touches only what
 * it means to change (an outcome, a status, the user's mark) and keeps whatever else another writer
 * put there. Null when the interview has no record.
 */
export async function updateInterview(store: Store, id: string, change: (current: Interview) => Interview | null): Promise<InterviewUpdate | null> {
  for (let attempt = 1; ; attempt++) {
    const stored = await getStoredInterview(store, id);
    if (!stored) return null;
    const next = change(stored.interview);
    if (next === null) return { before: stored.interview, after: stored.interview };
    if (await saveInterviewIfUnchanged(store, stored, next)) return { before: stored.interview, after: next };
    checkAttempts(id, attempt);
  }
}

/** Throws after the last of {@link ATTEMPTS}: also for a writer that runs its own loop of read, change, compare-and-set (the sync). */
export function checkAttempts(id: string, attempt: number, changed = 'its record'): void {
  if (attempt >= ATTEMPTS) throw new Error(`interview ${id}: not written, ${changed} changed under each of ${ATTEMPTS} attempts (another process keeps rewriting it); nothing was lost, run it again`);
}

/**
 * Records interviews seen for the first time, each only if it has no record yet, in one
 * transaction: a first sync's page of new interviews made one `MULTI` each, and each `MULTI` is a
 * client-side pipeline that copies every script defined on the connection (BullMQ's) before it
 * sends anything (fleet benchmark); `EVAL`, no defined script, for the same reason. Returns, in
 * order, whether each was recorded: false when another writer recorded it first (a mark of the
 * same event, an import), whose record is kept; the caller then treats the interview as one that
 * exists.
 */
const CREATE = `${CHANGE_CALL_INDEX_LUA}
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
change_call_index(3, 4)
return 1`;

export async function createInterviews(store: Store, interviews: readonly Interview[]): Promise<boolean[]> {
  if (interviews.length === 0) return [];
  const tx = leanMulti(store.redis);
  for (const interview of interviews) {
    // An interview recorded by someone else keeps its record and its member of the index.
    const index = callIndexArgs(callIndexChange(store, null, interview));
    tx.eval(
      CREATE,
      2 + index.keys.length,
      key(store, 'iv', interview.id),
      key(store, 'ivs'),
      ...index.keys,
      encodeInterview(interview),
      String(interview.start),
      indexMemberOf(interview),
      ...index.args,
    );
  }
  const replies = await tx.exec();
  if (!replies) throw new Error('the transaction recording new interviews was discarded');
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
  return interviews.map((_, i) => replies[i]?.[1] === 1);
}
