/**
 * The audit stream: every decision ringback takes, in plain words, in one Redis stream
 * (`audit`), capped at about 100,000 entries and a year of age. The CLI, the dashboard and the demo
 * read it.
 */
import type { ChainableCommander } from 'ioredis';
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';

export type AuditType =
  | 'detected'
  | 'updated'
  | 'skipped'
  | 'planned'
  | 'drafted'
  | 'sent'
  | 'vetoed'
  | 'kept-as-draft'
  | 'cancelled'
  | 'declined'
  | 'stale'
  | 'outcome'
  | 'marked'
  | 'escalation'
  | 'reply'
  | 'undelivered'
  | 'deleted-draft'
  | 'account'
  | 'missed'
  | 'unconfirmed'
  | 'error';

export interface AuditEntry {
  readonly type: AuditType;
  readonly message: string;
  readonly interviewId?: string;
  readonly accountId?: string;
  readonly at: Millis;
}

export interface AuditRecord extends AuditEntry {
  /** Stream id. */
  readonly id: string;
}

const MAX_LEN = 100_000;
/**
 * Entries older than this are dropped as new ones come. A small install never comes near the
 * length cap, and without an age its stream would keep every decision for ever (issue 17).
 */
const MAX_AGE_MS = 365 * 86_400_000;

function auditFields(entry: AuditEntry): string[] {
  const fields = ['type', entry.type, 'message', entry.message.slice(0, 2000), 'at', String(entry.at)];
  if (entry.interviewId) fields.push('interview', entry.interviewId);
  if (entry.accountId) fields.push('account', entry.accountId);
  return fields;
}

/**
 * Adds the entries to a batch of commands, for a write that goes with others in one round trip.
 * Stream ids are Redis' clock in ms; the machine's clock is near enough for an age of a year.
 * `~`: Redis trims whole nodes only, which costs next to nothing when none is that old.
 */
export function auditIn(batch: ChainableCommander, store: Store, ...entries: readonly AuditEntry[]): ChainableCommander {
  const k = key(store, 'audit');
  for (const entry of entries) batch.xadd(k, 'MAXLEN', '~', String(MAX_LEN), '*', ...auditFields(entry));
  return batch.xtrim(k, 'MINID', '~', String(Date.now() - MAX_AGE_MS));
}

export async function audit(store: Store, entry: AuditEntry): Promise<void> {
  await auditAll(store, [entry]);
}

/**
 * Several entries in one round trip, in this order (a replan's "planned" and "skipped" lines:
 * one write each cost the schedule benchmark a round trip per line, issue 17).
 */
export async function auditAll(store: Store, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const results = await auditIn(store.redis.pipeline(), store, ...entries).exec();
  for (const [error] of results ?? []) if (error) throw error;
}

function toRecord(id: string, fields: string[]): AuditRecord {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const interviewId = map.get('interview');
  const accountId = map.get('account');
  return {
    id,
    type: (map.get('type') ?? 'error') as AuditType,
    message: map.get('message') ?? '',
    at: Number(map.get('at') ?? 0),
    ...(interviewId ? { interviewId } : {}),
    ...(accountId ? { accountId } : {}),
  };
}

/** Newest last. With `interviewId`, only that interview's entries (scans the newest `scan`). */
export async function readAudit(
  store: Store,
  options: { interviewId?: string; count?: number; scan?: number } = {},
): Promise<AuditRecord[]> {
  const count = options.count ?? 100;
  const raw = await store.redis.xrevrange(key(store, 'audit'), '+', '-', 'COUNT', options.interviewId ? (options.scan ?? 20_000) : count);
  const records = raw.map(([id, fields]) => toRecord(id, fields));
  const filtered = options.interviewId ? records.filter((r) => r.interviewId === options.interviewId) : records;
  return filtered.slice(0, count).reverse();
}

/** Waits for entries after `lastId` ('$' = only new ones). Used by the demo and the dashboard. */
export async function followAudit(
  store: Store,
  lastId: string,
  blockMs: number,
): Promise<AuditRecord[]> {
  const res = (await store.redis.xread('COUNT', 100, 'BLOCK', blockMs, 'STREAMS', key(store, 'audit'), lastId)) as
    | [string, [string, string[]][]][]
    | null;
  if (!res || !res[0]) return [];
  return res[0][1].map(([id, fields]) => toRecord(id, fields));
}
