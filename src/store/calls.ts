/**
 * The interviews that start at one instant, read and written together, so that two listings of
 * one call (two calendars of the user, src/domain/duplicates.ts) never both become its owner, even
 * when two processes sync the two calendars at once.
 *
 * Keys (interviews.ts): `iv:{id}` the records, `ivs` the interviews by start time, each member
 * saying which call it may be (call-index.ts), so that deciding reads only the records at the
 * start that may list the same call, not every record there.
 * A record is written only if its own bytes and the records at its start that may list its call
 * are still those it was decided on ({@link writeIfPeersUnchanged}): a compare-and-set over the
 * call's instant, in one Lua step. Whoever loses reads again and decides again, and then sees the
 * other's record. Redis keeps per interview the two fields of a duplicate's own record and 9
 * characters of digests in its member of the index (footprint benchmark, bench/README.md).
 * `call:{start}` is a lease (lease.ts) that a writer who lost twice at that instant holds while it
 * decides (src/engine/duplicates.ts): it lives seconds. Every key is passed as a key, under the
 * `{prefix}` hash tag, so the step works on Redis Cluster.
 */
import type { Interview, Millis } from '../domain/types.js';
import { ID_OF_MEMBER_LUA, indexMemberOf, idOfMember, MAY_BE_SAME_CALL_LUA, mayBeSameCall, type CallDigests } from './call-index.js';
import { REPLACE_RECORD_LUA, type StoredInterview } from './interview-writes.js';
import { decodeInterview, encodeInterview } from './records.js';
import { key, type Store } from './store.js';

/**
 * The records at one start, other than the interview's own, with the bytes each was read from:
 * all of them (`filter` null), or only those whose member of the index may list the call `filter`
 * describes (call-index.ts). `members` are their members of the index, in its order.
 */
export interface Peers {
  readonly start: Millis;
  readonly filter: CallDigests | null;
  readonly members: readonly string[];
  readonly ids: readonly string[];
  readonly raws: readonly Buffer[];
  readonly interviews: readonly Interview[];
}

/** What to read at a start: the records there but `own`'s, only those that may list `call` when given. */
export interface PeersWanted {
  readonly start: Millis;
  readonly own: string;
  readonly call?: CallDigests;
}

/** The records of the interviews starting at each of the `wanted` starts: two round trips for all. */
export async function readPeersMany(store: Store, wanted: readonly PeersWanted[]): Promise<Peers[]> {
  if (wanted.length === 0) return [];
  const index = key(store, 'ivs');
  const pipeline = store.redis.pipeline();
  for (const { start } of wanted) pipeline.zrangebyscore(index, start, start);
  const replies = (await pipeline.exec()) ?? [];
  const memberLists = wanted.map(({ own, call }, i) => {
    const [error, members] = replies[i] ?? [new Error('no reply')];
    if (error) throw error;
    return (members as string[]).filter((m) => idOfMember(m) !== own && (call === undefined || mayBeSameCall(m, call)));
  });
  const all = memberLists.flat();
  const raws = all.length === 0 ? [] : await store.redis.mgetBuffer(all.map((m) => key(store, 'iv', idOfMember(m))));
  let at = 0;
  return wanted.map(({ start, call }, i) => {
    const members: string[] = [];
    const bytes: Buffer[] = [];
    for (const member of memberLists[i] ?? []) {
      const raw = raws[at++];
      // Gone between the two reads: left out here, and the write below sees the index changed.
      if (raw) {
        members.push(member);
        bytes.push(raw);
      }
    }
    const ids = members.map(idOfMember);
    return { start, filter: call ?? null, members, ids, raws: bytes, interviews: ids.map((id, k) => decoded(id, bytes[k] as Buffer)) };
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

/** The records at `start` but `own`'s: all of them, or only those that may list `call` when given. */
export async function readPeers(store: Store, start: Millis, own: string, call?: CallDigests): Promise<Peers> {
  const [peers] = await readPeersMany(store, [{ start, own, ...(call ? { call } : {}) }]);
  return peers as Peers;
}

/**
 * KEYS: the record, the index, then the record of each peer compared. ARGV: the record's bytes read
 * ('' for none: it must not exist), the new record, its start, its id, its new member of the index,
 * its member before ('' for none), the call's UID and counterpart digests the peers were read with
 * ('' and '' for all peers), the members of those peers joined by ',', then each compared peer's
 * bytes read. 1 written; 0 the record changed (or exists, for a new one); -1 the records at that
 * start that may list the call changed. The member of the earlier form (the id alone) is removed too.
 */
const WRITE_IF_PEERS_UNCHANGED = `${MAY_BE_SAME_CALL_LUA}
${ID_OF_MEMBER_LUA}
${REPLACE_RECORD_LUA}
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then return 0 end
local others = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3])) do
  if id_of(m) ~= ARGV[4] and (ARGV[7] == '' or may_be_same_call(m, ARGV[7], ARGV[8])) then others[#others + 1] = m end
end
if table.concat(others, ',') ~= ARGV[9] then return -1 end
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[i + 7] then return -1 end
end
replace_record()
return 1`;

export type PeersWrite = 'written' | 'record-changed' | 'peers-changed';

/**
 * Stores `interview` (over `read`, the record as read with its bytes, or as a new record when
 * null) only if the records at its start are still `peers`: the same interviews there (of those
 * that may list the call, when `peers` were read for one), and those
 * of them that list the same call (`related`, by index in `peers`) with the same bytes. That is what
 * decided whether it is a duplicate, and of which interview. The records of other calls at that
 * instant are not compared: their changes (a plan, an outcome, a move away) decide nothing here,
 * and comparing them made writers at a crowded instant decide again for nothing (fleet benchmark).
 */
export async function writeIfPeersUnchanged(
  store: Store,
  read: StoredInterview | null,
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
    read?.raw ?? '',
    encodeInterview(interview),
    String(interview.start),
    interview.id,
    indexMemberOf(interview),
    read ? indexMemberOf(read.interview) : '',
    peers.filter?.uid ?? '',
    peers.filter?.counterpart ?? '',
    peers.members.join(','),
    ...related.map((i) => peers.raws[i] as Buffer),
  );
  return result === 1 ? 'written' : result === 0 ? 'record-changed' : 'peers-changed';
}
