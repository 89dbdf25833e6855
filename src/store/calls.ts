/**
 * The interviews that start at one instant, read and written together, so that two listings of
 * one call (two calendars of the user, src/domain/duplicates.ts) never both become its owner, even
 * when two processes sync the two calendars at once.
 *
 * Keys (interviews.ts): `iv:{id}` the records, `ivs` the interviews by start time, `ivc:{n}` the
 * call index (call-index.ts), so that deciding reads only the records at the start that may list
 * the same call, found by two lookups of exactly them, not every record there.
 * A record is written only if its own bytes and the records at its start that may list its call
 * are still those it was decided on ({@link writeIfPeersUnchanged}): a compare-and-set over the
 * call's instant, in one Lua step, which looks them up again and writes the record's members of
 * both indexes with it. Whoever loses reads again and decides again, and then sees the other's
 * record. Redis keeps per interview the two fields of a duplicate's own record and its two members
 * of the call index (footprint benchmark, bench/README.md).
 * `call:{start}` is a lease (lease.ts) that a writer who lost twice at that instant holds while it
 * decides (src/engine/duplicates.ts): it lives seconds. Every key is passed as a key, under the
 * `{prefix}` hash tag, so the step works on Redis Cluster.
 */
import type { Interview, Millis } from '../domain/types.js';
import {
  callIndexArgs,
  callIndexChange,
  callSlotsOf,
  earlierMemberOf,
  idOfMember,
  idsFound,
  indexMemberOf,
  queueCallLookup,
  type CallDigests,
  type CallSlot,
} from './call-index.js';
import { REPLACE_RECORD_LUA, type StoredInterview } from './interview-writes.js';
import { leanPipeline } from './lean-pipeline.js';
import { decodeInterview, encodeInterview } from './records.js';
import { key, type Store } from './store.js';

/**
 * The records at one start, other than the interview's own, with the bytes each was read from:
 * all of them (`filter` null, their members of `ivs` in `members`), or only those the call index
 * lists as possibly the call `filter` describes (call-index.ts; `members` their ids, sorted).
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
  // Without the connection's Lua commands: a pipeline made from it copied BullMQ's 52 onto itself,
  // and every first confirmation draft makes one (its call index lookup), 3% of the main thread's
  // busy time in the fire benchmark's window (bench/README.md; lean-pipeline.ts).
  const pipeline = leanPipeline(store.redis).batch;
  const slots: (CallSlot[] | null)[] = wanted.map(({ start, call }) => (call === undefined ? null : callSlotsOf(store, start, call)));
  wanted.forEach(({ start }, i) => {
    const mine = slots[i];
    if (mine) queueCallLookup(pipeline, mine);
    else pipeline.zrangebyscore(index, start, start);
  });
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
  let reply = 0;
  const memberLists = wanted.map(({ own }, i) => {
    const mine = slots[i];
    if (mine === null || mine === undefined) return ((replies[reply++]?.[1] ?? []) as string[]).filter((m) => idOfMember(m) !== own);
    const found = mine.map(() => (replies[reply++]?.[1] ?? []) as string[]);
    return idsFound(mine, found, own);
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
 * Records decoded before, by id, with the bytes they were decoded from. A handover reads every
 * record at its start, and before the call index each new or moved interview did: inflating each
 * again took most of a first sync's CPU (fleet benchmark, 200 calendars at one instant). A record
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
 * KEYS: the record, `ivs`, the sets of the call index looked up (none for all peers), the keys of
 * the index change (call-index.ts), then the record of each peer compared. ARGV: the record's bytes
 * read ('' for none: it must not exist), the new record, its start, its id, its new member of `ivs`,
 * its member before ('' for none), the number of sets looked up (0: all the members of `ivs` at the
 * start), the peers read joined by ',' (their ids when looked up, their members of `ivs` in its
 * order otherwise), the prefix looked up in each set, the index change, then each compared peer's
 * bytes read. 1 written; 0 the record changed (or exists, for a new one); -1 the records at that
 * start that may list the call changed. The ids found by lookups are compared as a set: Lua sorts
 * by the server's locale, not by bytes.
 */
const WRITE_IF_PEERS_UNCHANGED = `${REPLACE_RECORD_LUA}
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then return 0 end
local slots = tonumber(ARGV[7])
if slots == 0 then
  local others = {}
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[3], ARGV[3])) do
    if m ~= ARGV[4] and string.sub(m, 1, #ARGV[4] + 1) ~= ARGV[4] .. '|' then others[#others + 1] = m end
  end
  if table.concat(others, ',') ~= ARGV[8] then return -1 end
else
  local found, count = {}, 0
  for i = 1, slots do
    local prefix = ARGV[8 + i]
    for _, m in ipairs(redis.call('ZRANGEBYLEX', KEYS[2 + i], '[' .. prefix, '(' .. prefix .. '\\255')) do
      local id = string.sub(m, #prefix + 1)
      if id ~= ARGV[4] and not found[id] then
        found[id] = true
        count = count + 1
      end
    end
  end
  local expected = 0
  for id in string.gmatch(ARGV[8], '[^,]+') do
    if not found[id] then return -1 end
    expected = expected + 1
  end
  if expected ~= count then return -1 end
end
local k, a = 3 + slots, 9 + slots
local changed = tonumber(ARGV[a]) + tonumber(ARGV[a + 1])
for i = k + changed, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[a + 2 + i - k] then return -1 end
end
replace_record(k, a)
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
  const slots = peers.filter ? callSlotsOf(store, interview.start, peers.filter) : [];
  const index = callIndexArgs(callIndexChange(store, read?.interview ?? null, interview));
  const result = await store.redis.eval(
    WRITE_IF_PEERS_UNCHANGED,
    2 + slots.length + index.keys.length + related.length,
    key(store, 'iv', interview.id),
    key(store, 'ivs'),
    ...slots.map((slot) => slot.key),
    ...index.keys,
    ...related.map((i) => key(store, 'iv', peers.ids[i] as string)),
    read?.raw ?? '',
    encodeInterview(interview),
    String(interview.start),
    interview.id,
    indexMemberOf(interview),
    read ? earlierMemberOf(read.interview) : '',
    String(slots.length),
    peers.members.join(','),
    ...slots.map((slot) => slot.prefix),
    ...index.args,
    ...related.map((i) => peers.raws[i] as Buffer),
  );
  return result === 1 ? 'written' : result === 0 ? 'record-changed' : 'peers-changed';
}
