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
 * Runs `work` while holding a lease taken by the caller, renewing it every third of its life, so
 * that slow work (a provider call may take 30 s) never outlives it; then releases it. `onLost` is
 * told, once, when a renewal fails or finds the lease gone or held by another (it expired while
 * Redis was away, or was taken over): the work goes on, but may no longer be alone.
 */
export async function holdLease<T>(
  store: Store,
  parts: LeaseKey,
  holder: string,
  ttlMs: number,
  work: () => Promise<T>,
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
  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await releaseLease(store, parts, holder);
  }
}
