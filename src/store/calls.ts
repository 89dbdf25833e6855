/**
 * The interviews that start at one instant, read and written together, so that two listings of
 * one call (two calendars of the user, src/domain/duplicates.ts) never both become its owner, even
 * when two processes sync the two calendars at once.
 *
 * Keys (interviews.ts; nothing new is kept): `iv:{id}` the records, `ivs` the ids by start time.
 * A record is written only if its own bytes and the records at its start are still those it was
 * decided on ({@link writeIfPeersUnchanged}): a compare-and-set over the call's instant, in one
 * Lua step. Whoever loses reads again and decides again, and then sees the other's record.
 * Nothing per interview is added to Redis but the two fields of a duplicate's own record
 * (footprint benchmark, bench/README.md). `call:{start}` is a lease (lease.ts) that a writer who
 * lost twice at that instant holds while it decides (src/engine/duplicates.ts): it lives seconds. Every key is passed as a key, under the `{prefix}` hash
 * tag, so the step works on Redis Cluster.
 */
import type { Interview, Millis } from '../domain/types.js';
import { decodeInterview, encodeInterview } from './records.js';
import { key, type Store } from './store.js';

/** The records at one start, other than the interview's own, with the bytes each was read from. */
export interface Peers {
  readonly start: Millis;
  readonly ids: readonly string[];
  readonly raws: readonly Buffer[];
  readonly interviews: readonly Interview[];
}

/** The records of the interviews starting at each of `starts` (but `own`'s): two round trips for all. */
export async function readPeersMany(store: Store, wanted: readonly { readonly start: Millis; readonly own: string }[]): Promise<Peers[]> {
  if (wanted.length === 0) return [];
  const index = key(store, 'ivs');
  const pipeline = store.redis.pipeline();
  for (const { start } of wanted) pipeline.zrangebyscore(index, start, start);
  const replies = (await pipeline.exec()) ?? [];
  const idLists = wanted.map(({ own }, i) => {
    const [error, ids] = replies[i] ?? [new Error('no reply')];
    if (error) throw error;
    return (ids as string[]).filter((id) => id !== own);
  });
  const all = idLists.flat();
  const raws = all.length === 0 ? [] : await store.redis.mgetBuffer(all.map((id) => key(store, 'iv', id)));
  let at = 0;
  return wanted.map(({ start }, i) => {
    const ids: string[] = [];
    const bytes: Buffer[] = [];
    for (const id of idLists[i] ?? []) {
      const raw = raws[at++];
      // Gone between the two reads: left out here, and the write below sees the index changed.
      if (raw) {
        ids.push(id);
        bytes.push(raw);
      }
    }
    return { start, ids, raws: bytes, interviews: ids.map((id, k) => decoded(id, bytes[k] as Buffer)) };
  });
}

/**
 * Records decoded before, by id, with the bytes they were decoded from. Calendars of the same
 * shape put many interviews at one instant, and each new or moved interview there reads them all:
 * inflating each again took most of a first sync's CPU (fleet benchmark, 200 calendars). A record
 * is taken from here only for the very same bytes. Cleared whole when it grows past its bound.
 */
const DECODED = new Map<string, { readonly raw: Buffer; readonly interview: Interview }>();
const DECODED_MAX = 20_000;

function decoded(id: string, raw: Buffer): Interview {
  const known = DECODED.get(id);
  if (known && known.raw.equals(raw)) return known.interview;
  const interview = decodeInterview(raw);
  if (DECODED.size >= DECODED_MAX) DECODED.clear();
  DECODED.set(id, { raw, interview });
  return interview;
}

export async function readPeers(store: Store, start: Millis, own: string): Promise<Peers> {
  const [peers] = await readPeersMany(store, [{ start, own }]);
  return peers as Peers;
}

/**
 * KEYS: the record, the index, then the record of each peer compared. ARGV: the record's bytes read
 * ('' for none: it must not exist), the new record, its start, its id, the ids of all peers at the
 * start joined by ',' (ids are `iv` and hex digits), then each compared peer's bytes read. 1 written; 0 the record changed
 * (or exists, for a new one); -1 the records at that start changed.
 */
const WRITE_IF_PEERS_UNCHANGED = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then return 0 end
local others = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3])) do
  if id ~= ARGV[4] then others[#others + 1] = id end
end
if table.concat(others, ',') ~= ARGV[5] then return -1 end
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[i + 3] then return -1 end
end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1`;

export type PeersWrite = 'written' | 'record-changed' | 'peers-changed';

/**
 * Stores `interview` (over `before`, the bytes its record was read from, or as a new record when
 * null) only if the records at its start are still `peers`: the same interviews there, and those
 * of them that list the same call (`related`, by index in `peers`) with the same bytes. That is what
 * decided whether it is a duplicate, and of which interview. The records of other calls at that
 * instant are not compared: their changes (a plan, an outcome, a move away) decide nothing here,
 * and comparing them made writers at a crowded instant decide again for nothing (fleet benchmark).
 */
export async function writeIfPeersUnchanged(
  store: Store,
  before: Buffer | null,
  interview: Interview,
  peers: Peers,
  related: readonly number[] = peers.ids.map((_, i) => i),
): Promise<PeersWrite> {
  const result = await store.redis.eval(
    WRITE_IF_PEERS_UNCHANGED,
    2 + related.length,
    key(store, 'iv', interview.id),
    key(store, 'ivs'),
    ...related.map((i) => key(store, 'iv', peers.ids[i] as string)),
    before ?? '',
    encodeInterview(interview),
    String(interview.start),
    interview.id,
    peers.ids.join(','),
    ...related.map((i) => peers.raws[i] as Buffer),
  );
  return result === 1 ? 'written' : result === 0 ? 'record-changed' : 'peers-changed';
}
