/**
 * The notes ringback left the candidate in Drafts that a confirmation was not sent
 * (engine/missed-notice.ts), one per interview and revision, so that none is written twice: not by
 * the reconciler's next round, not by a process started again after a crash between the mailbox
 * storing the draft and this record.
 *
 * Keys: `iv:{id}:notice` hash revision → JSON {@link NoticeRecord}; `iv:{id}:notice:lock` the lease
 * of the one process writing it.
 */
import type { Millis } from '../domain/types.js';
import type { LeaseKey } from './lease.js';
import { key, type Store } from './store.js';

export interface NoticeRecord {
  /** `writing` from right before the mailbox is asked to store it, `written` once it has. */
  readonly state: 'writing' | 'written';
  readonly messageId: string;
  readonly at: Millis;
}

export const noticeLockKey = (interviewId: string): LeaseKey => ['iv', interviewId, 'notice', 'lock'];

export async function getNotice(store: Store, interviewId: string, revision: number): Promise<NoticeRecord | null> {
  const raw = await store.redis.hget(key(store, 'iv', interviewId, 'notice'), String(revision));
  return raw ? (JSON.parse(raw) as NoticeRecord) : null;
}

/** Writes the record; called with the notice's lock held. */
export async function putNotice(store: Store, interviewId: string, revision: number, record: NoticeRecord): Promise<void> {
  await store.redis.hset(key(store, 'iv', interviewId, 'notice'), String(revision), JSON.stringify(record));
}
