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
 * (footprint benchmark, bench/README.md). Every key is passed as a key, under the `{prefix}` hash
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
    return { start, ids, raws: bytes, interviews: bytes.map((raw) => decodeInterview(raw)) };
  });
}

export async function readPeers(store: Store, start: Millis, own: string): Promise<Peers> {
  const [peers] = await readPeersMany(store, [{ start, own }]);
  return peers as Peers;
}

/**
 * KEYS: the record, the index, then the record of each peer as read. ARGV: the record's bytes read
 * ('' for none: it must not exist), the new record, its start, its id, the peers' ids joined by
 * ',' (ids are `iv` and hex digits), then each peer's bytes read. 1 written; 0 the record changed
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
 * null) only if the records at its start are still `peers`: what decided whether it is a
 * duplicate, and of which interview, still holds.
 */
export async function writeIfPeersUnchanged(store: Store, before: Buffer | null, interview: Interview, peers: Peers): Promise<PeersWrite> {
  const result = await store.redis.eval(
    WRITE_IF_PEERS_UNCHANGED,
    2 + peers.ids.length,
    key(store, 'iv', interview.id),
    key(store, 'ivs'),
    ...peers.ids.map((id) => key(store, 'iv', id)),
    before ?? '',
    encodeInterview(interview),
    String(interview.start),
    interview.id,
    peers.ids.join(','),
    ...peers.raws,
  );
  return result === 1 ? 'written' : result === 0 ? 'record-changed' : 'peers-changed';
}
