/**
 * Leases: a Redis key that names its holder and expires on its own, so that the holder's death
 * frees it. Only the holder may renew or release it (compare and act in one Lua step). The sync
 * lease of an account and the lock on an email's draft are both leases.
 */
import { key, type Store } from './store.js';

const IF_HOLDER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call(ARGV[2], KEYS[1], unpack(ARGV, 3)) else return 0 end";

export type LeaseKey = readonly string[];

/** Takes the lease when nobody holds it. */
export async function acquireLease(store: Store, parts: LeaseKey, holder: string, ttlMs: number): Promise<boolean> {
  return (await store.redis.set(key(store, ...parts), holder, 'PX', ttlMs, 'NX')) === 'OK';
}

export async function leaseHolder(store: Store, parts: LeaseKey): Promise<string | null> {
  return await store.redis.get(key(store, ...parts));
}

/** Extends the lease when `holder` still holds it; false when it does not. */
export async function renewLease(store: Store, parts: LeaseKey, holder: string, ttlMs: number): Promise<boolean> {
  return (await store.redis.eval(IF_HOLDER, 1, key(store, ...parts), holder, 'pexpire', String(ttlMs))) === 1;
}

export async function releaseLease(store: Store, parts: LeaseKey, holder: string): Promise<void> {
  await store.redis.eval(IF_HOLDER, 1, key(store, ...parts), holder, 'del');
}

/**
 * Fields a holder writes into a hash as it releases its lease, in the same round trip (the sync
 * worker records an account's success this way: one round trip less per poll, fleet benchmark;
 * a confirmation draft its email record, fire benchmark). They are written whether or not the lease
 * was still held, as a separate write would be.
 */
export interface ReleaseNote {
  readonly hash: readonly string[];
  readonly fields: Readonly<Record<string, string>>;
  /** Fields removed from another hash in the same step (a note that the work had begun). */
  readonly remove?: { readonly hash: readonly string[]; readonly fields: readonly string[] };
}

const RELEASE_WITH_NOTE = `
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
local n = tonumber(ARGV[2])
redis.call('hset', KEYS[2], unpack(ARGV, 3, 2 + n))
if #KEYS > 2 then redis.call('hdel', KEYS[3], unpack(ARGV, 3 + n)) end
return 1`;

async function releaseWithNote(store: Store, parts: LeaseKey, holder: string, note: ReleaseNote): Promise<void> {
  const fields = Object.entries(note.fields).flat();
  if (fields.length === 0) return await releaseLease(store, parts, holder);
  const removed = note.remove && note.remove.fields.length > 0 ? note.remove : null;
  const keys = [key(store, ...parts), key(store, ...note.hash), ...(removed ? [key(store, ...removed.hash)] : [])];
  await store.redis.eval(RELEASE_WITH_NOTE, keys.length, ...keys, holder, String(fields.length), ...fields, ...(removed ? removed.fields : []));
}

/**
 * A lease whose release, with its note, another step of the store writes together with its own
 * writes (interviews.ts: an action's state, fire benchmark): {@link RELEASE_LUA} in that step's
 * script, with the keys and arguments of {@link releaseScriptParts}.
 */
export interface LeaseRelease {
  readonly parts: LeaseKey;
  readonly holder: string;
  readonly note: ReleaseNote;
}

/**
 * Lua for a script that releases a lease with its note among other writes. `releaseWith(lease,
 * hash, removeFrom, at)` reads ARGV from `at` as {@link releaseScriptParts} wrote them (the
 * holder; the count of the note's fields and values, then them; the count of the fields removed
 * from `removeFrom`, then them) and returns the index of the first argument after them. The note is
 * written whether or not the lease was still held, as RELEASE_WITH_NOTE writes it.
 */
export const RELEASE_LUA = `
local function releaseWith(lease, hash, removeFrom, at)
  if redis.call('get', lease) == ARGV[at] then redis.call('del', lease) end
  local n = tonumber(ARGV[at + 1])
  if n > 0 then redis.call('hset', hash, unpack(ARGV, at + 2, at + 1 + n)) end
  local m = tonumber(ARGV[at + 2 + n])
  if m > 0 then redis.call('hdel', removeFrom, unpack(ARGV, at + 3 + n, at + 2 + n + m)) end
  return at + 3 + n + m
end`;

/** The three keys (the lease, the note's hash, the hash fields are removed from) and the arguments of RELEASE_LUA's `releaseWith`. */
export function releaseScriptParts(store: Store, release: LeaseRelease): { keys: [string, string, string]; args: string[] } {
  const { note } = release;
  const fields = Object.entries(note.fields).flat();
  const removed = note.remove?.fields ?? [];
  const hash = key(store, ...note.hash);
  return {
    keys: [key(store, ...release.parts), hash, note.remove ? key(store, ...note.remove.hash) : hash],
    args: [release.holder, String(fields.length), ...fields, String(removed.length), ...removed],
  };
}

/** The lease `work` runs under, for work that releases it itself as its last write. */
export interface HeldLease {
  /**
   * Stops renewing and releases the lease now (with `note` written in the same step), sent after
   * whatever the work has sent before on the same connection. `holdLease` then releases nothing.
   */
  release(note?: ReleaseNote): Promise<void>;
  /**
   * For work that releases the lease in a Lua step of its own (the sync's last write,
   * src/store/sync-commit.ts): stops renewing it, so that no renewal races the release. Then
   * `released()` once that step did release it; without that call `holdLease` releases it at the
   * end as usual.
   */
  stopRenewing(): void;
  released(): void;
  /**
   * Stops renewing and leaves the release, with `note`, to a later step of the caller's, which
   * writes it with its own writes ({@link LeaseRelease}); `holdLease` then releases nothing. Until
   * that step, or the lease's expiry, the lease stays taken. Only for a step that follows at once.
   */
  handOver(note: ReleaseNote): LeaseRelease;
}

/**
 * Runs `work` while holding a lease taken by the caller, renewing it every third of its life, so
 * that slow work (a provider call may take 30 s) never outlives it; then releases it, unless the
 * work did. `onLost` is told, once, when a renewal fails or finds the lease gone or held by
 * another (it expired while Redis was away, or was taken over): the work goes on, but may no
 * longer be alone.
 */
export async function holdLease<T>(
  store: Store,
  parts: LeaseKey,
  holder: string,
  ttlMs: number,
  work: (lease: HeldLease) => Promise<T>,
  onLost: (reason: string) => void,
): Promise<T> {
  let lost = false;
  const heartbeat = setInterval(() => {
    const tell = (reason: string) => {
      if (lost) return;
      lost = true;
      onLost(reason);
    };
    renewLease(store, parts, holder, ttlMs).then(
      (held) => {
        if (!held) tell('another process holds it now, or it expired');
      },
      (error: unknown) => tell(`it could not be renewed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }, ttlMs / 3);
  let released = false;
  const lease: HeldLease = {
    async release(note) {
      clearInterval(heartbeat);
      released = true;
      await (note ? releaseWithNote(store, parts, holder, note) : releaseLease(store, parts, holder));
    },
    stopRenewing() {
      clearInterval(heartbeat);
    },
    released() {
      clearInterval(heartbeat);
      released = true;
    },
    handOver(note) {
      clearInterval(heartbeat);
      released = true;
      return { parts, holder, note };
    },
  };
  try {
    return await work(lease);
  } finally {
    clearInterval(heartbeat);
    if (!released) await releaseLease(store, parts, holder);
  }
}
