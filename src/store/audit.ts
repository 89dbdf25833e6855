/**
 * The audit stream: every decision ringback takes, in plain words, in one Redis stream
 * (`audit`), capped at about 100,000 entries and a year of age. The CLI, the dashboard and the demo
 * read it.
 */
import type { ChainableCommander } from 'ioredis';
import { describePlanLine, type PlanLine } from '../domain/plan-line.js';
import { isKnownZone } from '../domain/time-phrases.js';
import type { Millis } from '../domain/types.js';
import { decodePlanLine, encodePlanLine } from './plan-line.js';
import { leanPipeline } from './lean-pipeline.js';
import { decodeAuditMessage, encodeAuditMessage } from './records.js';
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
  /**
   * A plan's line as data, when the entry is one: kept as that (plan-line.ts) instead of its
   * message, which is then only read by whoever asks for it (planAudit makes it a getter).
   */
  readonly plan?: PlanLine;
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
 * Entries older than this are dropped by the reconciler ({@link trimAudit}). A small install never
 * comes near the length cap, and without an age its stream would keep every decision for ever
 * (issue 17).
 */
const MAX_AGE_MS = 365 * 86_400_000;

/**
 * An entry's fields. The message is kept deflated (`z1`, records.ts) when that is shorter, which it
 * is for all but the shortest: the plan's line of every interview took ~280 bytes as text, the audit
 * ~550 bytes per interview (issue 17, footprint benchmark). `type` stays first and in words, for
 * anyone reading the stream with redis-cli.
 */
function auditFields(entry: AuditEntry): (string | Buffer)[] {
  const fields: (string | Buffer)[] = ['type', entry.type, ...messageFields(entry), 'at', String(entry.at)];
  if (entry.interviewId) fields.push('interview', entry.interviewId);
  if (entry.accountId) fields.push('account', entry.accountId);
  return fields;
}

/**
 * A plan's line of four steps or more is kept as data (plan-line.ts): a new interview's plan has
 * five, and so kept it takes fewer bytes than its words deflated (53 against 55–63 in New York);
 * with fewer steps the zone's name can weigh more than the words. It goes in the field of a
 * deflated message (`z1`) behind a mark: an entry whose fields are named as the first of its
 * stream node's is stored without their names, and a field of its own cost every plan line more
 * than the data saved (footprint benchmark). The mark, `~`, is a byte no deflated message starts
 * with (its bits 1–2 would be block type 3, which RFC 1951 reserves). Any other message is kept
 * deflated (`z1`) when that is shorter, else as text.
 */
const PLAN_LINE_STEPS = 4;
const PLAN_LINE_MARK = '~';

function messageFields(entry: AuditEntry): (string | Buffer)[] {
  const line = entry.plan && entry.plan.steps.length >= PLAN_LINE_STEPS ? encodePlanLine(entry.plan, entry.at) : null;
  if (line !== null) return ['z1', `${PLAN_LINE_MARK}${line}`];
  const message = entry.message.slice(0, 2000);
  const deflated = encodeAuditMessage(message);
  return deflated ? ['z1', deflated] : ['message', message];
}

/** A `z1` field that holds a plan's line as data: it starts with a byte of block type 3. */
function isPlanLine(z1: Buffer): boolean {
  return z1.length > 0 && ((z1[0] as number) & 0b110) === 0b110;
}

/**
 * Adds the entries to a batch of commands, for a write that goes with others in one round trip.
 * The length cap goes with each write; the age bound is kept by {@link trimAudit}.
 */
export function auditIn(batch: ChainableCommander, store: Store, ...entries: readonly AuditEntry[]): ChainableCommander {
  const k = key(store, 'audit');
  // call(): the batch may be BullMQ's (src/queue/first-plan.ts), which gives some commands a
  // signature of its own; the generic form reaches Redis as written.
  for (const entry of entries) batch.call('xadd', k, 'MAXLEN', '~', String(MAX_LEN), '*', ...auditFields(entry));
  return batch;
}

/**
 * Lua that adds entries to the stream inside a script of the store, for a write that goes with
 * others in one step (interviews.ts: an action's state and its audit entry). `addAudit(stream, at)`
 * reads, from ARGV[at] on, what {@link auditScriptArgs} wrote: the length cap, then each entry as
 * its count of arguments and the arguments of its XADD.
 */
export const AUDIT_LUA = `
local function addAudit(stream, at)
  local cap = ARGV[at]
  local i = at + 1
  while i <= #ARGV do
    local n = tonumber(ARGV[i])
    redis.call('XADD', stream, 'MAXLEN', '~', cap, '*', unpack(ARGV, i + 1, i + n))
    i = i + 1 + n
  end
end`;

/** The stream's key, for a script's KEYS. */
export function auditKey(store: Store): string {
  return key(store, 'audit');
}

/** The entries as ARGV of a script that adds them with {@link AUDIT_LUA}'s `addAudit`; last in ARGV. */
export function auditScriptArgs(entries: readonly AuditEntry[]): (string | Buffer)[] {
  const args: (string | Buffer)[] = [String(MAX_LEN)];
  for (const entry of entries) {
    const fields = auditFields(entry);
    args.push(String(fields.length), ...fields);
  }
  return args;
}

/**
 * Drops entries older than a year; returns how many went. Run by the reconciler (every ten minutes
 * by default), not with every write: between two runs the stream gains minutes of entries, nothing
 * next to a year, and every write was paying an XTRIM for it (issue 17).
 * Stream ids are Redis' clock in ms; the machine's clock is near enough for an age of a year.
 * `~`: Redis trims whole nodes only, which costs next to nothing when none is that old.
 */
export async function trimAudit(store: Store): Promise<number> {
  return await store.redis.xtrim(key(store, 'audit'), 'MINID', '~', String(Date.now() - MAX_AGE_MS));
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
  // A lean pipeline: plain commands only (lean-pipeline.ts).
  const results = await auditIn(leanPipeline(store.redis).batch, store, ...entries).exec();
  for (const [error] of results ?? []) if (error) throw error;
}

/** An entry as read, its message not yet inflated (a reader may filter it out first). */
interface RawEntry {
  readonly id: string;
  readonly fields: ReadonlyMap<string, Buffer>;
}

function rawEntry(id: Buffer, fields: readonly Buffer[]): RawEntry {
  const map = new Map<string, Buffer>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set((fields[i] as Buffer).toString('utf8'), fields[i + 1] as Buffer);
  return { id: id.toString('utf8'), fields: map };
}

/** Reads entries of every version: the message deflated or a plan's line as data (`z1`), or as text (`message`). */
function toRecord({ id, fields }: RawEntry): AuditRecord {
  const text = (name: string) => fields.get(name)?.toString('utf8');
  const deflated = fields.get('z1');
  const interviewId = text('interview');
  const accountId = text('account');
  const at = Number(text('at') ?? 0);
  const message = !deflated ? (text('message') ?? '') : isPlanLine(deflated) ? planMessage(deflated.toString('utf8', 1), at) : decodeAuditMessage(deflated);
  return {
    id,
    type: (text('type') ?? 'error') as AuditType,
    message,
    at,
    ...(interviewId ? { interviewId } : {}),
    ...(accountId ? { accountId } : {}),
  };
}

/** A plan's line kept as data, in words; one that cannot be read is shown as it is. */
function planMessage(value: string, at: Millis): string {
  const line = decodePlanLine(value, at);
  return line && isKnownZone(line.zone) ? describePlanLine(line, at) : `planned: ${value}`;
}

/** Newest last. With `interviewId`, only that interview's entries (scans the newest `scan`). */
export async function readAudit(
  store: Store,
  options: { interviewId?: string; count?: number; scan?: number } = {},
): Promise<AuditRecord[]> {
  const count = options.count ?? 100;
  const raw = await store.redis.xrevrangeBuffer(key(store, 'audit'), '+', '-', 'COUNT', options.interviewId ? (options.scan ?? 20_000) : count);
  const entries = raw.map(([id, fields]) => rawEntry(id, fields));
  // Filtered before the messages are inflated: a scan for one interview reads 20,000 entries.
  const wanted = options.interviewId
    ? entries.filter((e) => e.fields.get('interview')?.toString('utf8') === options.interviewId)
    : entries;
  return wanted.slice(0, count).map(toRecord).reverse();
}

/** Waits for entries after `lastId` ('$' = only new ones). Used by the demo and the dashboard. */
export async function followAudit(
  store: Store,
  lastId: string,
  blockMs: number,
): Promise<AuditRecord[]> {
  const res = (await store.redis.xreadBuffer('COUNT', 100, 'BLOCK', blockMs, 'STREAMS', key(store, 'audit'), lastId)) as
    | [Buffer, [Buffer, Buffer[]][]][]
    | null;
  if (!res || !res[0]) return [];
  return res[0][1].map(([id, fields]) => toRecord(rawEntry(id, fields)));
}
