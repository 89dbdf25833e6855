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
import type { DraftRef } from '../providers/mail/types.js';
import type { LeaseKey } from './lease.js';
import { key, type Store } from './store.js';

export interface NoticeRecord {
  /**
   * `writing` from right before the mailbox is asked to store it, `written` once it has. Once its
   * call is withdrawn (engine/missed-notice.ts `removeNotes`): `deleted` from Drafts; `edited`, left
   * there as the user changed it; `sent`, found in Sent; `gone`, not in the mailbox (the user
   * deleted it, or a write cut short never stored it).
   */
  readonly state: 'writing' | 'written' | 'deleted' | 'edited' | 'sent' | 'gone';
  readonly messageId: string;
  readonly at: Millis;
  /** The mailbox's ref of the draft as stored; absent in records of earlier versions and while `writing`. */
  readonly ref?: DraftRef;
  /**
   * A digest of its subject and text as ringback wrote them: a draft that no longer matches it was
   * changed by the user, and is theirs. Absent in records of earlier versions.
   */
  readonly digest?: string;
}

/** Whether the note may still be in Drafts as ringback wrote it: what a withdrawal looks for. */
export function noticeLeft(record: NoticeRecord): boolean {
  return record.state === 'writing' || record.state === 'written';
}

export const noticeLockKey = (interviewId: string): LeaseKey => ['iv', interviewId, 'notice', 'lock'];

export async function getNotice(store: Store, interviewId: string, revision: number): Promise<NoticeRecord | null> {
  const raw = await store.redis.hget(key(store, 'iv', interviewId, 'notice'), String(revision));
  return raw ? (JSON.parse(raw) as NoticeRecord) : null;
}

/** Every revision's record of the interview's notes, by revision. */
export async function getNotices(store: Store, interviewId: string): Promise<Map<number, NoticeRecord>> {
  const all = await store.redis.hgetall(key(store, 'iv', interviewId, 'notice'));
  return new Map(Object.entries(all).map(([revision, raw]) => [Number(revision), JSON.parse(raw) as NoticeRecord]));
}

/** Writes the record; called with the notice's lock held. */
export async function putNotice(store: Store, interviewId: string, revision: number, record: NoticeRecord): Promise<void> {
  await store.redis.hset(key(store, 'iv', interviewId, 'notice'), String(revision), JSON.stringify(record));
}
