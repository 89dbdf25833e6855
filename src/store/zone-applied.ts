/**
 * Which `candidate.timezone` the reconciler last wrote the confirmation drafts on (engine/travel.ts),
 * and the interviews whose draft it could not write on it then. The look at the drafts costs a
 * read per upcoming drafted interview; it is made after a change of zone and for those left over,
 * not at every reconcile.
 *
 * Keys: `zone:applied` string, the zone; `zone:retry` set of interview ids.
 */
import { key, type Store } from './store.js';

export interface ZoneApplied {
  /** The zone last applied, or null when none was yet (a first start, or one after an upgrade). */
  readonly zone: string | null;
  /** The interviews whose draft is still to be written on that zone. */
  readonly retry: ReadonlySet<string>;
}

export async function zoneApplied(store: Store): Promise<ZoneApplied> {
  const [zone, retry] = await Promise.all([store.redis.get(key(store, 'zone', 'applied')), store.redis.smembers(key(store, 'zone', 'retry'))]);
  return { zone, retry: new Set(retry) };
}

/** Notes `zone` as applied, with the interviews still to be written on it (replacing the list before), in one step. */
export async function noteZoneApplied(store: Store, zone: string, retry: readonly string[]): Promise<void> {
  const tx = store.redis.multi().set(key(store, 'zone', 'applied'), zone).del(key(store, 'zone', 'retry'));
  if (retry.length > 0) tx.sadd(key(store, 'zone', 'retry'), ...retry);
  await tx.exec();
}
