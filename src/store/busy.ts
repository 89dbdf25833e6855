/**
 * Busy time per calendar source, kept from the synced events, for calendars whose source has no
 * free/busy query of its own (ics files, feeds).
 *
 * Key: `src:{sourceId}:busy` hash eventId → "start,end".
 */
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';

export async function setBusy(store: Store, sourceId: string, intervals: ReadonlyMap<string, { start: Millis; end: Millis }>): Promise<void> {
  const entries = [...intervals.entries()];
  for (let i = 0; i < entries.length; i += 1000) {
    const flat = entries.slice(i, i + 1000).flatMap(([id, b]) => [id, `${b.start},${b.end}`]);
    if (flat.length > 0) await store.redis.hset(key(store, 'src', sourceId, 'busy'), ...flat);
  }
}

export async function forgetBusy(store: Store, sourceId: string, eventIds: readonly string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += 1000) {
    const chunk = eventIds.slice(i, i + 1000);
    if (chunk.length > 0) await store.redis.hdel(key(store, 'src', sourceId, 'busy'), ...chunk);
  }
}

export async function getBusy(store: Store, sourceId: string, range: { from: Millis; to: Millis }): Promise<{ start: Millis; end: Millis }[]> {
  const all = await store.redis.hvals(key(store, 'src', sourceId, 'busy'));
  const out: { start: Millis; end: Millis }[] = [];
  for (const v of all) {
    const [s, e] = v.split(',').map(Number);
    if (s === undefined || e === undefined || !Number.isFinite(s) || !Number.isFinite(e)) continue;
    if (e > range.from && s < range.to) out.push({ start: s, end: e });
  }
  return out.sort((a, b) => a.start - b.start);
}
