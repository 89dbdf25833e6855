/**
 * The last write of a successful sync, in one Lua step: the events' hashes, the detection version,
 * the cursor, and (for the sync worker) the account's success with the release of its lease, all
 * only if Redis is still the server the sync began on.
 *
 * The sync compares the Redis run id before storing its cursor (src/engine/sync.ts: a restart may
 * have lost the writes just made, and the cursor would then say they were done). It asked
 * `INFO server` in a round trip of its own, after its writes, and stored the cursor in the next:
 * here the check is made by Redis itself, right before the writes it guards, so a poll takes one
 * round trip and one command less (fleet benchmark, bench/README.md 2026-12-06 08:40).
 *
 * The cursor and the hashes are written only while the cursor is still the one the sync began
 * from. Another writer that changed it meanwhile (`ringback mark` asking for a full listing,
 * src/engine/mark.ts; a Redis restart's recovery) wanted this calendar read again from there: a
 * sync already under way that stored its own cursor over it, or the hashes of events it read
 * before, made the next sync skip what that writer asked to be read (the marked event then waited
 * for its next change). The sync's changes are then read again by the next sync, as after a
 * restart (processing an event twice changes nothing).
 *
 * On a Redis Cluster every key of a prefix lives on one node (the `{prefix}` hash tag), so the node
 * that runs this step holds everything the sync wrote: its run id being one of the primaries' run
 * ids read when the sync began says it did not restart, nor a replica take over, since.
 */
import { LUA_RUN_ID } from './connection.js';
import { eventsKey, eventsSeenFields, type EventSeen } from './events.js';
import type { LeaseKey, ReleaseNote } from './lease.js';
import { parkedKeys } from './outages.js';
import { runScript } from './scripts.js';
import { key, type Store } from './store.js';

/**
 * KEYS: events hash, cursor, account hash, the held list's parked and releasing hashes, [lease].
 * ARGV: run ids (comma-separated), n, n hash fields and values, '1' and the cursor or '0' (no
 * cursor: deleted), the same for the cursor the sync began from, m, m account fields and values,
 * [lease holder]. Returns the outcome and the count of the held list's actions (parked, or left by
 * a release stopped half-way), counted after the writes. The outcome: 0, having written nothing,
 * when the server's run id is not one of those given; 2 when the cursor is no longer the one the
 * sync began from, having written only the account fields and the release; 1 otherwise.
 */
const COMMIT = `
local id = ${LUA_RUN_ID}
if not id or not string.find(',' .. ARGV[1] .. ',', ',' .. id .. ',', 1, true) then return {0, 0} end
local n = tonumber(ARGV[2])
local i = 3 + n
local current = redis.call('get', KEYS[2])
local moved = (ARGV[i + 2] == '1' and current ~= ARGV[i + 3]) or (ARGV[i + 2] == '0' and current ~= false)
if not moved then
  if n > 0 then redis.call('hset', KEYS[1], unpack(ARGV, 3, 2 + n)) end
  if ARGV[i] == '1' then redis.call('set', KEYS[2], ARGV[i + 1]) else redis.call('del', KEYS[2]) end
end
i = i + 4
local m = tonumber(ARGV[i])
if m > 0 then redis.call('hset', KEYS[3], unpack(ARGV, i + 1, i + m)) end
if #KEYS > 5 and redis.call('get', KEYS[6]) == ARGV[i + m + 1] then redis.call('del', KEYS[6]) end
local held = redis.call('hlen', KEYS[4]) + redis.call('hlen', KEYS[5])
if moved then return {2, held} end
return {1, held}`;

/** Fields per step: larger writes go in chunks before it (src/engine/sync.ts). */
export const COMMIT_MAX_EVENTS = 1000;

export interface SyncCommit {
  /** The run id (or ids, for a cluster) read when the sync began: `redisRunId`. */
  readonly runId: string;
  readonly events: ReadonlyMap<string, EventSeen>;
  readonly cursor: string | null;
  /** The cursor as stored when the sync began (null: none): the cursor and hashes are written only over it. */
  readonly startedFrom: string | null;
  /** Written into the account hash: the detection version, when it changed. */
  readonly detectionVersion?: number;
  /** The sync lease to release with the account's success written beside it, when held. */
  readonly release?: { readonly lease: LeaseKey; readonly holder: string; readonly note: ReleaseNote };
  /**
   * The list of actions held for this calendar (`heldList`, src/store/unlisted.ts), counted by the
   * step after its writes: what the sync releases once its cursor is stored (src/engine/sync.ts).
   * Counted in the same step rather than by a command of its own behind it, which Redis ran right
   * after the step all the same: one command less per poll (fleet benchmark, issue 17).
   */
  readonly held: string;
}

/** What the step did: `done` as below, and how many actions the held list has after it. */
export interface SyncCommitted {
  /**
   * True when done (the cursor and hashes written, or left as another writer changed them), false
   * when Redis restarted since `runId` was read, and nothing was written.
   */
  readonly done: boolean;
  readonly held: number;
}

/** Sends the step (after whatever was sent before on the connection). */
export async function commitSync(store: Store, accountId: string, commit: SyncCommit): Promise<SyncCommitted> {
  if (commit.events.size > COMMIT_MAX_EVENTS) throw new Error(`commitSync takes at most ${COMMIT_MAX_EVENTS} events`);
  const hashFields = eventsSeenFields(commit.events);
  const accountFields: string[] = commit.detectionVersion === undefined ? [] : ['detection', String(commit.detectionVersion)];
  const release = commit.release;
  if (release) {
    const note = release.note;
    if (note.hash.join(':') !== ['account', accountId].join(':') || note.remove) throw new Error('commitSync writes only the account hash with the release');
    for (const [field, value] of Object.entries(note.fields)) accountFields.push(field, value);
  }
  const keys = [eventsKey(store, accountId), key(store, 'cursor', accountId), key(store, 'account', accountId), ...parkedKeys(store, commit.held)];
  if (release) keys.push(key(store, ...release.lease));
  const cursor = commit.cursor === null ? ['0', ''] : ['1', commit.cursor];
  const startedFrom = commit.startedFrom === null ? ['0', ''] : ['1', commit.startedFrom];
  // By its SHA1 (scripts.ts): every poll of every calendar ends here.
  const [outcome, held] = (await runScript(
    store.redis,
    COMMIT,
    keys.length,
    ...keys,
    commit.runId,
    String(hashFields.length),
    ...hashFields,
    ...cursor,
    ...startedFrom,
    String(accountFields.length),
    ...accountFields,
    ...(release ? [release.holder] : []),
  )) as [number, number];
  return { done: outcome === 1 || outcome === 2, held };
}
