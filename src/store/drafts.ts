/**
 * What ringback remembers of the emails it wrote: per interview and email kind, the mailbox's
 * draft ref (provider id, Message-ID, thread id) and the revision it was written for; and the
 * send claims that make sending exactly-once (DESIGN.md, Sending exactly once).
 *
 * Keys: `iv:{id}:drafts` hash emailKind → JSON {@link EmailRecord}; `claim:{messageId}`;
 * `iv:{id}:drafts:{kind}:lock` while a job writes that draft.
 */
import type { DraftRef } from '../providers/mail/types.js';
import type { EmailKind } from '../domain/ids.js';
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';
import { acquireLease, type LeaseKey } from './lease.js';


export interface EmailRecord {
  readonly kind: EmailKind;
  readonly ref: DraftRef;
  readonly revision: number;
  /** `submitted`: handed to the provider, its copy in Sent not seen yet (src/engine/submitted.ts). */
  readonly state: 'draft' | 'submitted' | 'sent' | 'deleted' | 'vetoed';
  readonly subject: string;
  readonly updatedAt: Millis;
  /** When it was handed to the provider. */
  readonly submittedAt?: Millis;
}

export async function getEmail(store: Store, interviewId: string, kind: EmailKind): Promise<EmailRecord | null> {
  const raw = await store.redis.hget(key(store, 'iv', interviewId, 'drafts'), kind);
  return raw ? (JSON.parse(raw) as EmailRecord) : null;
}

export async function getEmails(store: Store, interviewId: string): Promise<EmailRecord[]> {
  const all = await store.redis.hgetall(key(store, 'iv', interviewId, 'drafts'));
  return Object.values(all).map((raw) => JSON.parse(raw) as EmailRecord);
}

export async function saveEmail(store: Store, interviewId: string, record: EmailRecord): Promise<void> {
  await store.redis.hset(key(store, 'iv', interviewId, 'drafts'), record.kind, JSON.stringify(record));
}

/**
 * Claims the right to send a Message-ID. Returns true for the first caller; false means an
 * earlier attempt claimed it (and may have sent it): the caller must ask the mailbox first.
 */
export async function claimSend(store: Store, messageId: string, owner: string): Promise<boolean> {
  const ok = await store.redis.set(key(store, 'claim', messageId), owner, 'PX', 30 * 24 * 3600_000, 'NX');
  return ok === 'OK';
}

/**
 * Takes the lock on one email of an interview while a job writes its draft: the draft job and the
 * send job of a confirmation may run at the same moment, and without it each wrote a draft of its
 * own (one left behind in Drafts, the other sent). False when another job holds it. The lock is
 * a lease: held with holdLease while the draft is written, and freed by its expiry when the job's
 * process died.
 */
export const emailLockKey = (interviewId: string, kind: EmailKind): LeaseKey => ['iv', interviewId, 'drafts', kind, 'lock'];

export async function lockEmail(store: Store, interviewId: string, kind: EmailKind, token: string, ttlMs: number): Promise<boolean> {
  return await acquireLease(store, emailLockKey(interviewId, kind), token, ttlMs);
}
