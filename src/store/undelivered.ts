/**
 * Emails that a report of non-delivery (a bounce) says did not reach their recipient, per
 * interview and email kind, so that `interviews`, the dashboard and `doctor` can say so.
 *
 * Key: `iv:{id}:undelivered` hash `{emailKind}:{Message-ID}` → JSON {@link UndeliveredEmail}.
 */
import type { Millis } from '../domain/types.js';
import type { EmailKind } from '../domain/ids.js';
import { key, type Store } from './store.js';

export interface UndeliveredEmail {
  readonly kind: EmailKind;
  readonly messageId: string;
  /** The address it failed for, or null when the report does not say. */
  readonly recipient: string | null;
  /** The enhanced status code (`5.1.1`), or null. */
  readonly status: string | null;
  /** What the receiving side said, one short line. */
  readonly reason: string;
  /** When ringback found the report. */
  readonly reportedAt: Millis;
  /**
   * True when the server deferred the recipient rather than refused it (a 4yz at RCPT, greylisting:
   * DeliveryFailure.temporary): the address is likely right, and the email is to be sent again.
   * Absent for a refusal, and in records of earlier versions.
   */
  readonly temporary?: true;
}

/** Records it once; true when it was not known yet (the caller then tells the user). */
export async function recordUndelivered(store: Store, interviewId: string, email: UndeliveredEmail): Promise<boolean> {
  const field = `${email.kind}:${email.messageId}`;
  return (await store.redis.hsetnx(key(store, 'iv', interviewId, 'undelivered'), field, JSON.stringify(email))) === 1;
}

export async function getUndelivered(store: Store, interviewId: string): Promise<UndeliveredEmail[]> {
  const all = await store.redis.hgetall(key(store, 'iv', interviewId, 'undelivered'));
  return Object.values(all)
    .map((raw) => JSON.parse(raw) as UndeliveredEmail)
    .sort((a, b) => a.reportedAt - b.reportedAt);
}
