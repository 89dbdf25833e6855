/**
 * The time zones the user set for a company or an address (`ringback company zone`, the
 * dashboard): emails to that counterpart show their time next to the candidate's.
 *
 * Key: `zones` hash, field = company key (a mail domain) or a full address, value = IANA zone.
 * Key: `candidate-zone`, the candidate's own zone (`candidate.timezone`) ringback last started with.
 */
import { key, type Store } from './store.js';

/** A company key or an address, as stored: trimmed, lower-cased. */
export function zoneSubject(companyOrAddress: string): string {
  return companyOrAddress.trim().toLowerCase();
}

export async function setCounterpartZone(store: Store, companyOrAddress: string, zone: string | null): Promise<void> {
  const field = zoneSubject(companyOrAddress);
  if (zone === null) await store.redis.hdel(key(store, 'zones'), field);
  else await store.redis.hset(key(store, 'zones'), field, zone);
}

/** The zone set for the address, else for the company, else null. A counterpart without an address has only its company's. */
export async function counterpartZone(store: Store, who: { readonly email: string | null; readonly company: string | null }): Promise<string | null> {
  const fields = [...(who.email ? [zoneSubject(who.email)] : []), ...(who.company ? [zoneSubject(who.company)] : [])].filter((field) => field !== '');
  if (fields.length === 0) return null;
  const values = await store.redis.hmget(key(store, 'zones'), ...fields);
  return values.find((value): value is string => typeof value === 'string' && value !== '') ?? null;
}

/** Writes an exported zone unless one is set here for the same company or address (`ringback import`). */
export async function importCounterpartZone(store: Store, companyOrAddress: string, zone: string): Promise<void> {
  await store.redis.hsetnx(key(store, 'zones'), zoneSubject(companyOrAddress), zone);
}

export async function listCounterpartZones(store: Store): Promise<Record<string, string>> {
  return await store.redis.hgetall(key(store, 'zones'));
}

/**
 * Records the candidate's zone this start runs with; the one the last start ran with, or null on
 * the first (SET … GET, Redis 6.2): a change is a trip, whose drafts follow (engine/travel.ts).
 */
export async function swapCandidateZone(store: Store, zone: string): Promise<string | null> {
  return await store.redis.set(key(store, 'candidate-zone'), zone, 'GET');
}
