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
 * On a Redis Cluster every key of a prefix lives on one node (the `{prefix}` hash tag), so the node
 * that runs this step holds everything the sync wrote: its run id being one of the primaries' run
 * ids read when the sync began says it did not restart, nor a replica take over, since.
 */
import { LUA_RUN_ID } from './connection.js';
import { eventsKey, eventsSeenFields, type EventSeen } from './events.js';
import type { LeaseKey, ReleaseNote } from './lease.js';
import { key, type Store } from './store.js';

/**
 * KEYS: events hash, cursor, account hash, [lease]. ARGV: run ids (comma-separated), n, n hash
 * fields and values, '1' and the cursor or '0' (no cursor: deleted), m, m account fields and
 * values, [lease holder]. Returns 0, having written nothing, when the server's run id is not one
 * of those given.
 */
const COMMIT = `
local id = ${LUA_RUN_ID}
if not id or not string.find(',' .. ARGV[1] .. ',', ',' .. id .. ',', 1, true) then return 0 end
local n = tonumber(ARGV[2])
if n > 0 then redis.call('hset', KEYS[1], unpack(ARGV, 3, 2 + n)) end
local i = 3 + n
if ARGV[i] == '1' then redis.call('set', KEYS[2], ARGV[i + 1]) else redis.call('del', KEYS[2]) end
i = i + 2
local m = tonumber(ARGV[i])
if m > 0 then redis.call('hset', KEYS[3], unpack(ARGV, i + 1, i + m)) end
if #KEYS > 3 and redis.call('get', KEYS[4]) == ARGV[i + m + 1] then redis.call('del', KEYS[4]) end
return 1`;

/** Fields per step: larger writes go in chunks before it (src/engine/sync.ts). */
export const COMMIT_MAX_EVENTS = 1000;

export interface SyncCommit {
  /** The run id (or ids, for a cluster) read when the sync began: `redisRunId`. */
  readonly runId: string;
  readonly events: ReadonlyMap<string, EventSeen>;
  readonly cursor: string | null;
  /** Written into the account hash: the detection version, when it changed. */
  readonly detectionVersion?: number;
  /** The sync lease to release with the account's success written beside it, when held. */
  readonly release?: { readonly lease: LeaseKey; readonly holder: string; readonly note: ReleaseNote };
}

/**
 * Sends the step (after whatever was sent before on the connection); true when written, false when
 * Redis restarted since `runId` was read, and nothing was written.
 */
export async function commitSync(store: Store, accountId: string, commit: SyncCommit): Promise<boolean> {
  if (commit.events.size > COMMIT_MAX_EVENTS) throw new Error(`commitSync takes at most ${COMMIT_MAX_EVENTS} events`);
  const hashFields = eventsSeenFields(commit.events);
  const accountFields: string[] = commit.detectionVersion === undefined ? [] : ['detection', String(commit.detectionVersion)];
  const release = commit.release;
  if (release) {
    const note = release.note;
    if (note.hash.join(':') !== ['account', accountId].join(':') || note.remove) throw new Error('commitSync writes only the account hash with the release');
    for (const [field, value] of Object.entries(note.fields)) accountFields.push(field, value);
  }
  const keys = [eventsKey(store, accountId), key(store, 'cursor', accountId), key(store, 'account', accountId)];
  if (release) keys.push(key(store, ...release.lease));
  const cursor = commit.cursor === null ? ['0', ''] : ['1', commit.cursor];
  const written = await store.redis.eval(
    COMMIT,
    keys.length,
    ...keys,
    commit.runId,
    String(hashFields.length),
    ...hashFields,
    ...cursor,
    String(accountFields.length),
    ...accountFields,
    ...(release ? [release.holder] : []),
  );
  return written === 1;
}
