/**
 * What ringback remembers of the emails it wrote: per interview and email kind, the mailbox's
 * draft ref (provider id, Message-ID, thread id) and the revision it was written for; and the
 * send claims that make sending exactly-once (DESIGN.md, Sending exactly once).
 *
 * Keys: `iv:{id}:drafts` hash emailKind → JSON {@link EmailRecord}; `claim:{messageId}`;
 * `iv:{id}:drafts:{kind}:lock` while a job writes or sends that draft, or a withdrawal deletes it; `iv:{id}:drafts:writing` hash
 * emailKind → the Message-ID a job began writing and has not recorded yet (see beginDraftWrite).
 */
import type { DraftRef } from '../providers/mail/types.js';
import type { EmailKind } from '../domain/ids.js';
import type { Candidate, Interview, Millis } from '../domain/types.js';
import { saysTheSame } from '../domain/compose.js';
import { key, type Store } from './store.js';
import type { LeaseKey, ReleaseNote } from './lease.js';
import { runScript, runScriptForBytes } from './scripts.js';

/** The states of an email's record; `submitted`: handed to the provider, its copy in Sent not seen yet (src/engine/submitted.ts). */
export const EMAIL_STATES = ['draft', 'submitted', 'sent', 'deleted', 'vetoed'] as const;

export interface EmailRecord {
  readonly kind: EmailKind;
  readonly ref: DraftRef;
  readonly revision: number;
  readonly state: (typeof EMAIL_STATES)[number];
  readonly subject: string;
  readonly updatedAt: Millis;
  /** When it was handed to the provider. */
  readonly submittedAt?: Millis;
  /**
   * The address it was written to, lower-cased; null when it has no recipient (a no-reply
   * invitation). Absent in records of earlier versions, which did not keep it: then who received
   * it is not known, and nothing is threaded under it ({@link receivedBy}).
   */
  readonly to?: string | null;
  /**
   * The start of the call it was written for: of a confirmation, so that the next one, after a
   * move, can say that it confirms a new time ({@link confirmedStart}); of a follow-up, so that one
   * sent is not written again when the event changes otherwise (engine/followups.ts).
   */
  readonly start?: Millis;
  /**
   * A confirmation draft only: the start named by the confirmation its recipient already received,
   * kept while the draft is rewritten for them (a move after a move) and dropped when the
   * recipient changes.
   */
  readonly confirmed?: Millis;
  /**
   * A confirmation draft only: the candidate's zone (`candidate.timezone`) it was written on. A
   * draft left as written is written again on the new clock before it leaves when the setting
   * changed since (engine/late-confirmation.ts). Absent in records of earlier versions.
   */
  readonly zone?: string;
  /**
   * A confirmation draft only: the candidate's zone of a change after which the draft, which the
   * user had edited, was left on its old clock and the user told (engine/travel.ts): told once.
   */
  readonly zoneNoted?: string;
  /**
   * A confirmation only: a digest of what it says (the call's start, who dials, the number, the
   * clocks, the role, the candidate's name and number; domain/templates/confirmation.ts `confirmationSays`). Once it is sent, a
   * change of the event that alters none of it (the end, another attendee) writes no second one.
   * Absent in records of earlier versions: such a change writes one, as it did. A digest made
   * before the candidate was part of it is compared as it was made (`saysTheSame`).
   */
  readonly says?: string;
  /**
   * A confirmation only: the recipient's zone the user had set (`ringback company zone`) when it
   * was written, null for none. A draft left as written is written again before it leaves when the
   * setting changed since (engine/late-confirmation.ts). Absent in records of earlier versions:
   * such a draft leaves as it stands, as it did.
   */
  readonly theirZone?: string | null;
  /**
   * A confirmation sent, in records of earlier versions only: true once the user was told of one
   * edit saved after it had left. Written no more: {@link EmailRecord.lateEdits} says which edits
   * were told (engine/late-edit.ts reads this to take an earlier version's told edit as told).
   */
  readonly lateEditNoted?: boolean;
  /**
   * A confirmation sent: the edits saved after it had left that the user was told of, each as a
   * digest of what it says (engine/late-edit.ts), the last {@link LATE_EDITS_KEPT}: each edit is
   * told once. Absent in records of earlier versions, which told one edit and kept no digest.
   */
  readonly lateEdits?: readonly string[];
}

/** How many told late edits a confirmation's record keeps (EmailRecord.lateEdits). */
export const LATE_EDITS_KEPT = 20;

/** The recipient as a record keeps it: the address lower-cased, or null for none. */
export function recipientOf(email: { readonly to: readonly { readonly email: string }[] }): string | null {
  const first = email.to[0];
  return first === undefined ? null : first.email.toLowerCase();
}

/**
 * True when the email went to `address`: sent, and written to that address. A reply is threaded
 * only under a message its recipient received (DESIGN.md, Emails): a confirmation sent to the
 * coordinator who booked the call is no thread of the interviewer's who took it over. A record of
 * an earlier version, which did not keep its recipient, is not known here to have gone to anyone
 * (followups.ts asks the mailbox for its copy in Sent).
 */
export function receivedBy(record: EmailRecord | null, address: string | null): boolean {
  if (record === null || record.state !== 'sent' || address === null) return false;
  return typeof record.to === 'string' && record.to === address.toLowerCase();
}

/**
 * True when the confirmation its recipient received, of an earlier revision, is word for word the
 * one `interview` would be given: the event changed in nothing a confirmation says (its end, its
 * attendees). A second one would be a copy in Drafts for the user to delete or, sent, a second
 * "Confirming our phone interview" that has the interviewer look for what changed.
 */
export function saysNothingNew(record: EmailRecord | null, interview: Interview, candidate: Candidate, theirZone: string | null): boolean {
  if (!mayStand(record, interview)) return false;
  return receivedBy(record, interview.counterpart.email) && saysTheSame(record.says, interview, candidate, theirZone);
}

/** True when {@link saysNothingNew} may hold: a record of an earlier revision that kept its digest (the recipient's zone is read only then). */
export function mayStand(record: EmailRecord | null, interview: Interview): record is EmailRecord & { readonly says: string } {
  return record !== null && record.revision !== interview.revision && record.says !== undefined && record.state === 'sent';
}

/**
 * The start named by the confirmation `address` already received, when the record tells it: the
 * record of that confirmation (sent), or of a draft rewritten for the same recipient since.
 */
export function confirmedStart(record: EmailRecord | null, address: string | null): Millis | null {
  if (record === null || address === null || typeof record.to !== 'string' || record.to !== address.toLowerCase()) return null;
  if (record.state === 'sent' || record.state === 'submitted') return record.start ?? null;
  return record.state === 'draft' ? (record.confirmed ?? null) : null;
}

/** An email's record as stored in `iv:{id}:drafts`, or null for none. */
export function decodeEmail(raw: string | null | undefined): EmailRecord | null {
  return raw ? (JSON.parse(raw) as EmailRecord) : null;
}

export async function getEmail(store: Store, interviewId: string, kind: EmailKind): Promise<EmailRecord | null> {
  return decodeEmail(await store.redis.hget(key(store, 'iv', interviewId, 'drafts'), kind));
}

export async function getEmails(store: Store, interviewId: string): Promise<EmailRecord[]> {
  const all = await store.redis.hgetall(key(store, 'iv', interviewId, 'drafts'));
  return Object.values(all).flatMap((raw) => decodeEmail(raw) ?? []);
}

/** Records the email; a write of it that was begun (beginDraftWrite) is over. */
export async function saveEmail(store: Store, interviewId: string, record: EmailRecord): Promise<void> {
  const note = emailRecordNote(interviewId, record);
  await store.redis
    .multi()
    .hset(key(store, ...note.hash), note.fields)
    .hdel(key(store, ...note.remove.hash), ...note.remove.fields)
    .exec();
}

/**
 * Writes the email's record alone, its lock held by the caller: a write of another revision that
 * was begun and never recorded stays noted (unlike {@link saveEmail}), for its own job to finish.
 */
export async function putEmail(store: Store, interviewId: string, record: EmailRecord): Promise<void> {
  await store.redis.hset(key(store, 'iv', interviewId, 'drafts'), record.kind, JSON.stringify(record));
}

/**
 * The email's record as the note written when its lock is released (holdLease's `release`), so
 * that the record, the end of the write begun with beginDraftWrite and the release of the lock go
 * in one round trip instead of two (fire benchmark).
 */
export function emailRecordNote(interviewId: string, record: EmailRecord): ReleaseNote & { readonly remove: NonNullable<ReleaseNote['remove']> } {
  return {
    hash: ['iv', interviewId, 'drafts'],
    fields: { [record.kind]: JSON.stringify(record) },
    remove: { hash: ['iv', interviewId, 'drafts', 'writing'], fields: [record.kind] },
  };
}

/**
 * Reads the record of an email (KEYS[1], field ARGV[1]) and, unless it already holds a draft of
 * revision ARGV[3], notes that a write of Message-ID ARGV[2] begins (KEYS[2]); returns the record
 * and the Message-ID an earlier write had noted and never recorded.
 */
const BEGIN_BODY = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local record = cjson.decode(raw)
  if record.revision == tonumber(ARGV[3]) and record.state ~= 'deleted' then return {raw, false} end
end
local before = redis.call('HGET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {raw or false, before or false}`;

const BEGIN_WRITE = BEGIN_BODY;

/**
 * Takes the email's lock (KEYS[3], holder ARGV[4], for ARGV[5] ms) when nobody holds it, and then
 * does what BEGIN_WRITE does, in the same step; returns false when another holds the lock. A
 * failure after the lock was taken (a record that cannot be read) gives the lock back before it
 * is raised, as the holder's release would have.
 */
const LOCK_AND_BEGIN = `
if not redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5], 'NX') then return false end
local function begin()${BEGIN_BODY.replace(/\n/g, '\n  ')}
end
local ok, result = pcall(begin)
if ok then return result end
redis.call('DEL', KEYS[3])
return redis.error_reply(type(result) == 'table' and result.err or tostring(result))`;

export interface DraftWrite {
  /** The email's record as stored. */
  readonly record: EmailRecord | null;
  /**
   * True when an earlier write of this same Message-ID began and was never recorded: that job may
   * have died after the mailbox stored the draft, so the mailbox must be asked before writing one.
   */
  readonly unfinished: boolean;
}

/**
 * Reads an email's record before its draft is written, and notes the write in the same step, so
 * that only a write that follows an unfinished one has to search the mailbox for the draft. That
 * search was the cost of every new draft: the Maildir lists Drafts and Sent for it (bench/README.md,
 * fire), Gmail and Graph make a request. Called with the email's lock held (emailLockKey).
 */
export async function beginDraftWrite(store: Store, interviewId: string, kind: EmailKind, messageId: string, revision: number): Promise<DraftWrite> {
  const [raw, before] = (await store.redis.eval(
    BEGIN_WRITE,
    2,
    key(store, 'iv', interviewId, 'drafts'),
    key(store, 'iv', interviewId, 'drafts', 'writing'),
    kind,
    messageId,
    String(revision),
  )) as [string | null, string | null];
  return { record: decodeEmail(raw), unfinished: before === messageId };
}

/**
 * Takes the email's lock ({@link emailLockKey}) and begins its draft's write ({@link beginDraftWrite})
 * in one round trip instead of two (fire benchmark, bench/README.md): null when another job holds
 * the lock, and nothing else was done then.
 */
export async function lockAndBeginDraftWrite(
  store: Store,
  email: { readonly interviewId: string; readonly kind: EmailKind; readonly messageId: string; readonly revision: number },
  lock: { readonly token: string; readonly ttlMs: number },
): Promise<DraftWrite | null> {
  const { interviewId, kind, messageId, revision } = email;
  const reply = (await runScript(
    store.redis,
    LOCK_AND_BEGIN,
    3,
    key(store, 'iv', interviewId, 'drafts'),
    key(store, 'iv', interviewId, 'drafts', 'writing'),
    key(store, ...emailLockKey(interviewId, kind)),
    kind,
    messageId,
    String(revision),
    lock.token,
    String(lock.ttlMs),
  )) as [string | null, string | null] | null;
  if (!reply) return null;
  const [raw, before] = reply;
  return { record: decodeEmail(raw), unfinished: before === messageId };
}

/**
 * Claims the right to send a Message-ID (KEYS[2], holder ARGV[2]) and takes the email's lock
 * (KEYS[3], token ARGV[3], for ARGV[4] ms), in one step and only while the interview's record
 * (KEYS[1]) still holds the bytes ARGV[1] the send read it as: 'changed' when it does not (a sync
 * withdrew or moved the call meanwhile, and whatever it wrote after that is seen by the send),
 * 'busy' when another job holds the lock, else 'first', or 'again' when an earlier attempt claimed it.
 */
const CLAIM = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'changed' end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'busy' end
local first = redis.call('SET', KEYS[2], ARGV[2], 'PX', ${30 * 24 * 3600_000}, 'NX')
redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
if first then return 'first' end
return 'again'`;

export type SendClaim = 'first' | 'again' | 'changed' | 'busy';

/**
 * Claims the right to send a Message-ID, as the interview stands in the stored bytes `read`
 * (getStoredInterview), and takes the email's lock ({@link emailLockKey}) for the send: a withdrawal
 * that writes the interview's record first makes the claim 'changed', and one that comes after it
 * finds the lock held and leaves the draft being sent (engine/cancel.ts). 'again': an earlier attempt
 * claimed it and may have sent it before it died; the caller must ask the mailbox first.
 */
export async function claimSend(
  store: Store,
  email: { readonly interviewId: string; readonly kind: EmailKind; readonly messageId: string; readonly read: Buffer; readonly owner: string },
  lock: { readonly token: string; readonly ttlMs: number },
): Promise<SendClaim> {
  const { interviewId, kind, messageId, read, owner } = email;
  return (await runScript(
    store.redis,
    CLAIM,
    3,
    key(store, 'iv', interviewId),
    key(store, 'claim', messageId),
    key(store, ...emailLockKey(interviewId, kind)),
    read,
    owner,
    lock.token,
    String(lock.ttlMs),
  )) as SendClaim;
}

/**
 * The last step before a claimed send hands the draft to the provider: records the email as
 * submitted (KEYS[2], field ARGV[3], record ARGV[4]; a write of it begun, KEYS[4], is over, as
 * saveEmail writes it) only while the send still holds the email's lock (KEYS[3], token ARGV[2])
 * and the interview's record (KEYS[1]) still holds the bytes ARGV[1] the claim read it as. Returns {'submitted'}, {'lost'} when the lock is no longer the send's, or
 * {'changed', record now} ('' when the record is gone).
 */
const SUBMIT = `
if redis.call('GET', KEYS[3]) ~= ARGV[2] then return {'lost'} end
local now = redis.call('GET', KEYS[1])
if now ~= ARGV[1] then return {'changed', now or ''} end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('HDEL', KEYS[4], ARGV[3])
return {'submitted'}`;

export type SubmitCheck = { readonly state: 'submitted' } | { readonly state: 'lost' } | { readonly state: 'changed'; readonly now: Buffer | null };

/**
 * Records a claimed send as submitted ({@link SUBMIT}), in one step with the look at the call:
 * a withdrawal or a move written after the claim is seen here, right before the provider is
 * handed the draft, and not after the email has left (engine/confirmation.ts).
 */
export async function submitAsRead(
  store: Store,
  email: { readonly interviewId: string; readonly read: Buffer; readonly record: EmailRecord },
  lock: { readonly token: string },
): Promise<SubmitCheck> {
  const { interviewId, read, record } = email;
  const [state, now] = (await runScriptForBytes(
    store.redis,
    SUBMIT,
    4,
    key(store, 'iv', interviewId),
    key(store, 'iv', interviewId, 'drafts'),
    key(store, ...emailLockKey(interviewId, record.kind)),
    key(store, 'iv', interviewId, 'drafts', 'writing'),
    read,
    lock.token,
    record.kind,
    JSON.stringify(record),
  )) as [Buffer, Buffer | undefined];
  const said = state.toString();
  if (said === 'changed') return { state: 'changed', now: now && now.length > 0 ? now : null };
  return said === 'lost' ? { state: 'lost' } : { state: 'submitted' };
}

/** Whether a send of this Message-ID was claimed ({@link claimSend}): it may have gone out. */
export async function sendClaimed(store: Store, messageId: string): Promise<boolean> {
  return (await store.redis.exists(key(store, 'claim', messageId))) === 1;
}

/**
 * The lock on one email of an interview, held while a job writes its draft: the draft job and the
 * send job of a confirmation may run at the same moment, and without it each wrote a draft of its
 * own (one left behind in Drafts, the other sent). Held too from a send's claim ({@link claimSend})
 * until the send is recorded, and by a withdrawal while it deletes the draft (engine/cancel.ts), so
 * that a draft being sent is never deleted as unsent. Taken by {@link lockAndBeginDraftWrite}; a
 * lease: held with holdLease while the draft is written, and freed by its expiry when the job's
 * process died.
 */
export const emailLockKey = (interviewId: string, kind: EmailKind): LeaseKey => ['iv', interviewId, 'drafts', kind, 'lock'];
