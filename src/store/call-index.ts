/**
 * The call index: which interviews at one start may list the same call (src/domain/duplicates.ts:
 * the same UID, or the same interviewer's address), found without reading the others there.
 *
 * Keys (interviews.ts):
 * - `ivc:{n}`, n in 0…1023: sorted sets, every score 0, so that members sort by their bytes. An
 *   interview's start with the digest of its UID, and with that of its interviewer's address when it
 *   names one, each give a slot ({@link callSlotsOf}: 32 bits of both, whose top 10 pick the set and
 *   whose low 24 are a 4-character tag), and the interview has a member `{tag}{id}` in each of its
 *   slots. The interviews that may share a call with one are then two `ZRANGEBYLEX` on its own tags:
 *   as many members as there are such interviews, however many other calls start at that instant
 *   (the fleet benchmark puts 1,000 calendars' interviews at the very same instants; reading the
 *   `ivs` members there grew with their number). Two slots that share a tag in one set by chance
 *   (once in about 4 million pairs of one set: two of the tag's 24 bits are among the 10 that pick
 *   the set) only make their records read and compared for nothing. Many small sets rather than
 *   one: a set of at most 128 members of at most 64 bytes is kept by Redis as one packed string
 *   (`zset-max-listpack-entries`), about 20 bytes a member where one large set spends about 120,
 *   which keeps Redis under 3 KB per interview (footprint benchmark, bench/README.md). Past about 60,000 interviews under one prefix the sets grow past 128 members
 *   and cost that much more; the lookup stays the same.
 * - `ivc:complete`: set once every interview recorded by an earlier version, which wrote no
 *   members here, has its members ({@link indexEarlierCalls}, run before anything syncs). A record
 *   written by this version always writes its members with it. A process of an earlier version
 *   still running on the same Redis after that writes records the index does not list: stop
 *   earlier versions when upgrading. The reconciler puts back the members of the interviews it
 *   reads (those of the last 8 days and to come) that lack theirs ({@link restoreCallEntries}),
 *   and says so in the audit (src/engine/reconcile.ts).
 *
 * The keys digested are those domain/duplicates.ts compares (`callKeysOf`: the invitation's UID a
 * Google or Microsoft listing carries, else the one its event id is made of; the address in lower
 * case). Each digest is
 * 4 characters of base64url of a SHA-256 (24 bits): two different calls share one
 * by chance once in about 16 million pairs, and then their records are only read and compared for
 * nothing. The member of `ivs` is the interview's id; an earlier version wrote
 * `{id}|{uid digest}{counterpart digest}` there ({@link earlierMemberOf}), which is read as the id
 * and replaced when the record is written again.
 */
import { createHash } from 'node:crypto';
import { callKeysOf, sharedCallKey, type CallKeys } from '../domain/duplicates.js';
import type { Interview, Millis } from '../domain/types.js';
import { decodeInterview } from './records.js';
import { key, type Store } from './store.js';

const DIGEST_CHARS = 4;

/** What the index says of an interview's call: the digests of its call's keys (domain/duplicates.ts; '' for no address). */
export type CallDigests = CallKeys;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, DIGEST_CHARS);
}

export function callDigestsOf(interview: Pick<Interview, 'eventId' | 'uid' | 'counterpart'>): CallDigests {
  const keys = callKeysOf(interview);
  return { uid: digest(keys.uid), counterpart: keys.counterpart === '' ? '' : digest(keys.counterpart) };
}

/** Whether two calls may be the same by their digests: a key shared as {@link sharedCallKey} compares them. */
export function mayBeSameCall(a: CallDigests, b: CallDigests): boolean {
  return sharedCallKey(a, b) !== null;
}

/** The interview's member of the `ivs` index: its id. */
export function indexMemberOf(interview: Pick<Interview, 'id'>): string {
  return interview.id;
}

/** The member an earlier version wrote in `ivs` for this record, removed with it. */
export function earlierMemberOf(interview: Pick<Interview, 'id' | 'eventId' | 'uid' | 'counterpart'>): string {
  const digests = callDigestsOf(interview);
  return `${interview.id}|${digests.uid}${digests.counterpart}`;
}

/** The interview id a member of `ivs` names (of either form). */
export function idOfMember(member: string): string {
  const bar = member.indexOf('|');
  return bar === -1 ? member : member.slice(0, bar);
}

/** Where the interviews of one start and one digest are: the set, and the tag their members begin with. */
export interface CallSlot {
  readonly key: string;
  readonly prefix: string;
}

/** One member of the call index, in its set. */
export interface CallEntry {
  readonly key: string;
  readonly member: string;
}

/** 2 ** 10 = 1,024 `ivc:{n}` sets. Changing either needs the index built again. */
const BUCKET_BITS = 10;
const TAG_CHARS = 4;
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * 32 bits of a call's start and one of its digests: FNV-1a, then murmur3's finalizer so that every
 * bit depends on every character (no secret is involved: any stable spread will do).
 */
function slotHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** The slot of a start and a digest: its top bits pick the set, its low 24 bits are the tag. */
function slotOf(store: Store, text: string): CallSlot {
  const hash = slotHash(text);
  let tag = '';
  for (let i = 0; i < TAG_CHARS; i++) tag += BASE64URL[(hash >>> (6 * i)) & 63];
  return { key: key(store, 'ivc', String(hash >>> (32 - BUCKET_BITS))), prefix: tag };
}

/** The slots a call at `start` is looked up in: its UID's, then its address's when it has one. */
export function callSlotsOf(store: Store, start: Millis, digests: CallDigests): CallSlot[] {
  return [`${start}|u${digests.uid}`, ...(digests.counterpart === '' ? [] : [`${start}|c${digests.counterpart}`])].map((text) => slotOf(store, text));
}

/** The interview's members of the call index. */
export function callEntriesOf(store: Store, interview: Pick<Interview, 'id' | 'start' | 'eventId' | 'uid' | 'counterpart'>): CallEntry[] {
  return callSlotsOf(store, interview.start, callDigestsOf(interview)).map((slot) => ({ key: slot.key, member: slot.prefix + interview.id }));
}

/**
 * How the call index changes when `before` (null: no record) is written as `after` (null: removed):
 * the members to remove (those of `before` that `after` has not) and those to add (all of `after`'s,
 * so that a record an earlier version wrote gets its members when written again).
 */
export function callIndexChange(
  store: Store,
  before: Pick<Interview, 'id' | 'start' | 'eventId' | 'uid' | 'counterpart'> | null,
  after: Pick<Interview, 'id' | 'start' | 'eventId' | 'uid' | 'counterpart'> | null,
): { readonly remove: CallEntry[]; readonly add: CallEntry[] } {
  const add = after ? callEntriesOf(store, after) : [];
  const remove = (before ? callEntriesOf(store, before) : []).filter((e) => !add.some((a) => a.key === e.key && a.member === e.member));
  return { remove, add };
}

/** The upper bound of a `ZRANGEBYLEX` over the members that begin with `prefix` (ids hold no byte 0xff). */
export function prefixEnd(prefix: string): Buffer {
  return Buffer.concat([Buffer.from(`(${prefix}`), Buffer.from([0xff])]);
}

/**
 * Keys and arguments of an index change as {@link CHANGE_CALL_INDEX_LUA} reads them: the keys of the
 * members removed then added; the two counts, then the members, in the same order.
 */
export function callIndexArgs(change: { readonly remove: readonly CallEntry[]; readonly add: readonly CallEntry[] }): { keys: string[]; args: string[] } {
  const all = [...change.remove, ...change.add];
  return { keys: all.map((e) => e.key), args: [String(change.remove.length), String(change.add.length), ...all.map((e) => e.member)] };
}

/**
 * Lua: `change_call_index(k, a)` applies an index change laid out by {@link callIndexArgs} from
 * KEYS[k] and ARGV[a] on.
 */
export const CHANGE_CALL_INDEX_LUA = `
local function change_call_index(k, a)
  local removed, added = tonumber(ARGV[a]), tonumber(ARGV[a + 1])
  for i = 0, removed - 1 do redis.call('ZREM', KEYS[k + i], ARGV[a + 2 + i]) end
  for i = removed, removed + added - 1 do redis.call('ZADD', KEYS[k + i], 0, ARGV[a + 2 + i]) end
end`;

/** The ids at `start` that may list the call `digests` describe, but `own`: one `ZRANGEBYLEX` a slot, in a pipeline. */
export function queueCallLookup(pipeline: { zrangebylex(key: string, min: string, max: Buffer): unknown }, slots: readonly CallSlot[]): void {
  for (const slot of slots) pipeline.zrangebylex(slot.key, `[${slot.prefix}`, prefixEnd(slot.prefix));
}

/** The ids the lookups of {@link queueCallLookup} found (`replies`: one list of members per slot), own left out, sorted. */
export function idsFound(slots: readonly CallSlot[], replies: readonly (readonly string[])[], own: string): string[] {
  const ids = new Set<string>();
  slots.forEach((slot, i) => {
    for (const member of replies[i] ?? []) {
      const id = member.slice(slot.prefix.length);
      if (id !== own) ids.add(id);
    }
  });
  return [...ids].sort();
}

const MARKER = ['ivc', 'complete'] as const;

/**
 * KEYS: the record, `ivs`, then the keys of its members of the call index. ARGV: the bytes the
 * record was read with, its start, its id, its earlier member of `ivs`, then the index change.
 * Written only if the record still holds those bytes: a record changed since was written by this
 * version, with its members.
 */
const INDEX_EARLIER = `${CHANGE_CALL_INDEX_LUA}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[4] ~= ARGV[3] and redis.call('ZREM', KEYS[2], ARGV[4]) == 1 then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) end
change_call_index(3, 5)
return 1`;

/**
 * Gives every interview recorded by an earlier version its members of the call index (and its
 * member of `ivs` in this version's form), once: a few commands per 500 interviews, then
 * `ivc:complete`. Safe to run from several processes at once.
 */
export async function indexEarlierCalls(store: Store): Promise<number> {
  if ((await store.redis.exists(key(store, ...MARKER))) === 1) return 0;
  const members = await store.redis.zrange(key(store, 'ivs'), 0, -1);
  let indexed = 0;
  for (let i = 0; i < members.length; i += 500) {
    const chunk = members.slice(i, i + 500);
    const raws = await store.redis.mgetBuffer(chunk.map((m) => key(store, 'iv', idOfMember(m))));
    indexed += await indexAsRead(store, raws, (_, j) => chunk[j] as string);
  }
  await store.redis.set(key(store, ...MARKER), '1');
  return indexed;
}

/**
 * Gives each record read (null: none) its members of the call index, and its member of `ivs`
 * (`memberOf`: as found there) in this version's form, by {@link INDEX_EARLIER}: one pipeline.
 * How many records were indexed (not those changed since they were read).
 */
async function indexAsRead(store: Store, raws: readonly (Buffer | null)[], memberOf: (interview: Interview, i: number) => string): Promise<number> {
  if (raws.every((raw) => !raw)) return 0;
  const pipeline = store.redis.pipeline();
  raws.forEach((raw, i) => {
    if (!raw) return;
    const interview = decodeInterview(raw);
    const { keys, args } = callIndexArgs(callIndexChange(store, null, interview));
    pipeline.eval(INDEX_EARLIER, 2 + keys.length, key(store, 'iv', interview.id), key(store, 'ivs'), ...keys, raw, String(interview.start), interview.id, memberOf(interview, i), ...args);
  });
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error !== null);
  if (failed?.[0]) throw failed[0];
  // A record changed since it was read was written again by this version, with its members.
  return replies.filter(([, written]) => written === 1).length;
}

/** KEYS: sets of the call index, ARGV: a member of each. The positions (from 1) of the members missing. */
const MISSING_ENTRIES = `
local missing = {}
for i = 1, #KEYS do
  if not redis.call('ZSCORE', KEYS[i], ARGV[i]) then missing[#missing + 1] = i end
end
return missing`;

/**
 * Puts back the members of the call index that these interviews (as read) lack, and their member
 * of `ivs` in this version's form: the reconciler's repair for a record an earlier process wrote
 * after the index was complete (one still running beside this version through an upgrade). Without
 * its members, another calendar's listing of its call is not found, and the interviewer gets two
 * confirmations. One script checks a page's members: for 2,000 interviews about 30 ms of the
 * process and 6 ms of Redis a reconcile, where a pipelined `ZSCORE` each took about 40 ms and 4 ms.
 * A record found lacking one is read again and indexed as {@link indexEarlierCalls} indexes it,
 * only if it still holds the bytes read then. Returns how many records were indexed.
 */
export async function restoreCallEntries(store: Store, interviews: readonly Interview[]): Promise<number> {
  if (interviews.length === 0) return 0;
  const entries = interviews.flatMap((interview) => callEntriesOf(store, interview).map((entry) => ({ interview, entry })));
  const missing = (await store.redis.eval(MISSING_ENTRIES, entries.length, ...entries.map((e) => e.entry.key), ...entries.map((e) => e.entry.member))) as number[];
  const lacking = [...new Set(missing.map((i) => (entries[i - 1] as (typeof entries)[number]).interview))];
  if (lacking.length === 0) return 0;
  const raws = await store.redis.mgetBuffer(lacking.map((interview) => key(store, 'iv', interview.id)));
  return await indexAsRead(store, raws, earlierMemberOf);
}
