/**
 * One call listed by two calendars of the user gets one set of emails (src/domain/duplicates.ts
 * says when two listings are one call). The interview recorded first owns the call; the other is
 * recorded as its duplicate, with no actions, and audited once. When the owner's event leaves its
 * calendar while the duplicate is still listed, the duplicate takes over (an owner declined,
 * marked or cancelled by its organizer keeps the call, withdrawn: domain/duplicates.ts):
 * it is planned, and what the owner already sent is kept as sent for it, so that the interviewer
 * is not sent the same email again under the duplicate's own Message-ID. A duplicate that moves
 * to another time than its owner is no longer the same call, and is planned on its own.
 *
 * Each decision is written with a compare-and-set over the records at the call's start
 * (src/store/calls.ts), so that two processes syncing the two calendars at once agree.
 */
import { randomUUID } from 'node:crypto';
import { describeSameCall, followsMovedOwner, ownerOf, sameCall, withOwner, type SameCall } from '../domain/duplicates.js';
import type { Interview } from '../domain/types.js';
import { audit, type AuditEntry } from '../store/audit.js';
import { callDigestsOf } from '../store/call-index.js';
import { readPeers, writeIfPeersUnchanged, type Peers } from '../store/calls.js';
import { getEmails, saveEmail, sendClaimed } from '../store/drafts.js';
import { sendTogether } from '../store/connection.js';
import { checkAttempts, updateInterview, type StoredInterview } from '../store/interview-writes.js';
import { getInterview } from '../store/interviews.js';
import { acquireLease, releaseLease } from '../store/lease.js';
import type { Engine } from './context.js';
import { withdrawIfCallWithdrawn } from './declined-call.js';
import { replan } from './replan.js';
import { safeTitle } from './wording.js';

/** The owner of `interview`'s call among `peers`, unless it cannot be a duplicate (declined, over). */
export function decideOwner(interview: Interview, peers: Peers): SameCall | null {
  return interview.status === 'scheduled' ? ownerOf(interview, peers.interviews) : null;
}

/** The indexes of the peers that list the same call as `interview`, whatever their state: what a decision rests on. */
export function relatedIn(interview: Interview, peers: Peers): number[] {
  const related: number[] = [];
  peers.interviews.forEach((peer, i) => {
    if (sameCall(interview, peer) !== null) related.push(i);
  });
  return related;
}

/** The one audit line of a duplicate: which interview has the emails, and why it is the same call. */
export function duplicateFound(interview: Interview, same: SameCall, now: number): AuditEntry {
  return {
    type: 'detected',
    interviewId: interview.id,
    message:
      `"${safeTitle(interview.title)}" (calendar "${interview.sourceId}") is ${describeSameCall(same.by)} as ${same.owner.id} ` +
      `(calendar "${same.owner.sourceId}"): one call, so the emails are ${same.owner.id}'s and none are written for this one`,
    at: now,
  };
}

/**
 * Records a new interview, as a duplicate when another calendar's interview owns its call. Null
 * when another writer recorded it first (the caller processes it as an existing one).
 */
export async function recordNew(engine: Engine, interview: Interview): Promise<Decided | null> {
  return await decideAndWrite(engine, null, interview);
}

/**
 * Writes the new record of an existing interview that moved, came back or is a duplicate, deciding
 * again whether it is one (and of which interview) at its start. Null when its own record changed
 * meanwhile (the caller reads it again). `alongside` is called right after each attempt's write is
 * issued, in the same turn, for reads the caller needs once the write is done: they reach Redis in
 * the same socket write, behind it, and are answered in the same round trip.
 */
export async function saveDeciding(engine: Engine, before: StoredInterview, updated: Interview, alongside?: () => void): Promise<Decided | null> {
  return await decideAndWrite(engine, before, updated, alongside);
}

export interface Decided {
  readonly interview: Interview;
  readonly same: SameCall | null;
}

/** Unleased tries before a writer waits for the start's lease (see {@link decideAndWrite}). */
const FREE_TRIES = 2;
const LEASE_TTL_MS = 10_000;
const LEASE_WAIT_MS = 20_000;

/**
 * Reads the records at the interview's start, decides, and writes if they are still as read. At
 * an instant many interviews share (calendars of the same shape, moved together), writers that
 * keep changing the records there can make each other decide again and again: after
 * {@link FREE_TRIES} the writer takes a short lease on that instant, so that those who lost take
 * turns (the fleet benchmark, 200 calendars moving their calls to the same times at once, ran
 * out of tries without it).
 */
async function decideAndWrite(engine: Engine, before: StoredInterview | null, interview: Interview, alongside?: () => void): Promise<Decided | null> {
  const lease = ['call', String(interview.start)] as const;
  const holder = `${process.pid}:${randomUUID()}`;
  let held = false;
  // Only the records at the start that may list the same call are read (call-index.ts).
  const call = callDigestsOf(interview);
  try {
    for (let attempt = 1; ; attempt++) {
      if (attempt > FREE_TRIES && !held) held = await waitForLease(engine, lease, holder);
      const peers = await readPeers(engine.store, interview.start, interview.id, call);
      const same = decideOwner(interview, peers) ?? (await movedOwner(engine, before, interview));
      const decided = withOwner(interview, same);
      // `alongside` sends the caller's next reads right behind the write, in its socket write (see saveDeciding).
      const written = await sendTogether(engine.store.redis, () => {
        const writing = writeIfPeersUnchanged(engine.store, before, decided, peers, relatedIn(interview, peers));
        alongside?.();
        return writing;
      });
      if (written === 'written') return { interview: decided, same };
      if (written === 'record-changed') return null;
      // Only the other calendars' records at its start make it try again (its own changing returns null above).
      checkAttempts(interview.id, attempt, `the records of other calendars at its start (${new Date(interview.start).toISOString()})`);
    }
  } finally {
    if (held) await releaseLease(engine.store, lease, holder);
  }
}

/**
 * The owner a duplicate still at its time keeps following after the owner's calendar moved the
 * call (domain/duplicates.ts, `followsMovedOwner`), or null. Its record is read apart from the
 * records at the duplicate's start: what changes it (a move back, which the compare-and-set at this
 * start sees; leaving its calendar) is decided again at the duplicate's next change.
 */
async function movedOwner(engine: Engine, before: StoredInterview | null, interview: Interview): Promise<SameCall | null> {
  const of = before?.interview.duplicateOf;
  if (of === undefined || interview.status !== 'scheduled' || before?.interview.start !== interview.start) return null;
  const owner = await getInterview(engine.store, of);
  return owner === null ? null : followsMovedOwner(interview, owner);
}

async function waitForLease(engine: Engine, lease: readonly string[], holder: string): Promise<boolean> {
  const until = Date.now() + LEASE_WAIT_MS;
  while (!(await acquireLease(engine.store, lease, holder, LEASE_TTL_MS))) {
    // Its holder died or is slow: try on without it (the write is still a compare-and-set).
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }
  return true;
}

/**
 * The audit line of a change of an interview's duplicate state (already written), once: no longer
 * the same call (with `kept`, what {@link keepSentOfGone} counted as sent), or the duplicate of
 * another owner.
 */
export async function announceChange(engine: Engine, before: Interview, after: Interview, same: SameCall | null, kept: readonly string[] = []): Promise<void> {
  const now = engine.now();
  if (before.duplicateOf !== undefined && same === null) {
    const when = new Date(after.start).toISOString();
    // At the same time, the owner's listing is what went (it left its calendar, or moved).
    const why =
      after.start === before.start
        ? `${before.duplicateOf}'s calendar no longer lists the call at ${when}`
        : `it is now at ${when}, not at the same time or with the same UID`;
    await audit(engine.store, {
      type: 'updated',
      interviewId: after.id,
      message:
        `"${safeTitle(after.title)}" is no longer the same call as ${before.duplicateOf} (${why}): handled on its own, with its own emails` +
        (kept.length > 0 ? `; already sent by ${before.duplicateOf} and not sent again: ${kept.join(', ')}` : ''),
      at: now,
    });
  } else if (same !== null && before.duplicateOf !== same.owner.id) {
    await audit(engine.store, duplicateFound(after, same, now));
  }
}

/**
 * A duplicate freed at its own time because its owner left its calendar, decided by its own change
 * before the handover was made (a sync that stopped after withdrawing the owner, an owner moved
 * before it went whose handover waits for the reconciler): it takes the call over as
 * {@link handOver} would, so what the owner sent is not sent again under its own Message-ID.
 * The kinds kept.
 */
export async function keepSentOfGone(engine: Engine, before: Interview, after: Interview): Promise<string[]> {
  if (before.duplicateOf === undefined || after.duplicateOf !== undefined || after.start !== before.start) return [];
  const gone = await getInterview(engine.store, before.duplicateOf);
  return gone?.vanished === true ? await inheritSent(engine, gone, after) : [];
}

/**
 * The owner `gone` left its calendar: the first of its duplicates still listed
 * takes the call over (planned now), the others become its duplicates. Emails the owner sent are
 * recorded as sent for the new owner too, so that none of them is sent a second time.
 */
export async function handOver(engine: Engine, gone: Interview): Promise<void> {
  // All the records at the start: a duplicate stays one of `gone` even if its address changed since.
  const peers = await readPeers(engine.store, gone.start, gone.id);
  const candidates = peers.interviews
    .filter((p) => p.duplicateOf === gone.id && p.status === 'scheduled')
    .sort((a, b) => a.firstSeen - b.firstSeen || (a.id < b.id ? -1 : 1));
  // A listing of the call that owns it already (a duplicate freed by its own change before this
  // handover was made): the duplicates of its call follow it instead of taking the call a second time.
  const heirs: Interview[] = [];
  for (const candidate of candidates) {
    const standing = ownerOf(candidate, peers.interviews);
    if (standing === null) heirs.push(candidate);
    else await joinOwner(engine, gone, candidate, standing);
  }
  const [heir, ...others] = heirs;
  if (!heir) return;
  const taken = await updateInterview(engine.store, heir.id, (current) => (current.duplicateOf === gone.id ? withOwner(current, null) : null));
  // Another process handed the call over first (or the heir moved meanwhile): nothing more to do.
  if (!taken || taken.after === taken.before) return;
  const now = engine.now();
  const kept = await inheritSent(engine, gone, taken.after);
  await audit(engine.store, {
    type: 'updated',
    interviewId: heir.id,
    message:
      `"${safeTitle(heir.title)}" takes over the call from ${gone.id}, which calendar "${gone.sourceId}" no longer lists, while calendar "${heir.sourceId}" still does: planned now` +
      (kept.length > 0 ? `; already sent by ${gone.id} and not sent again: ${kept.join(', ')}` : ''),
    at: now,
  });
  // The other duplicates follow the heir only when they are its call too (a copy matched to the
  // one that left by its address may share nothing with an heir matched by UID): one that is not
  // takes the call on its own, with what the one that left sent, as the heir does.
  for (const other of others) {
    const moved = await updateInterview(engine.store, other.id, (current) => {
      if (current.duplicateOf !== gone.id) return null;
      const by = sameCall(current, taken.after);
      return withOwner(current, by === null ? null : { owner: taken.after, by });
    });
    if (!moved || moved.after === moved.before || moved.after.duplicateOf !== undefined) continue;
    const alsoKept = await inheritSent(engine, gone, moved.after);
    await audit(engine.store, {
      type: 'updated',
      interviewId: other.id,
      message:
        `"${safeTitle(other.title)}" takes over the call from ${gone.id}, which calendar "${gone.sourceId}" no longer lists; ${heir.id} took it too but shares neither its UID nor its interviewer: planned now` +
        (alsoKept.length > 0 ? `; already sent by ${gone.id} and not sent again: ${alsoKept.join(', ')}` : ''),
      at: now,
    });
    if (!(await withdrawIfCallWithdrawn(engine, moved.after))) await replan(engine, moved.after, moved.after.revision);
  }
  if (!(await withdrawIfCallWithdrawn(engine, taken.after))) await replan(engine, taken.after, taken.after.revision);
}

/** `duplicate` of `gone`, which left its calendar, becomes the duplicate of the call's standing owner. */
async function joinOwner(engine: Engine, gone: Interview, duplicate: Interview, same: SameCall): Promise<void> {
  const moved = await updateInterview(engine.store, duplicate.id, (current) => (current.duplicateOf === gone.id ? withOwner(current, same) : null));
  if (!moved || moved.after === moved.before) return;
  await audit(engine.store, duplicateFound(moved.after, same, engine.now()));
}

/**
 * Copies the emails `gone` sent into `heir`'s records at its revision, so that the heir's own steps
 * find them sent and nothing goes twice; returns their kinds. An email counts as sent once it was
 * handed to the mailbox or its send claimed (drafts.ts): a send in flight when the owner's draft was
 * deleted may still reach the interviewer, and the heir's own Message-ID would not be recognised as
 * the same email.
 */
async function inheritSent(engine: Engine, gone: Interview, heir: Interview): Promise<string[]> {
  const ownerEmails = await getEmails(engine.store, gone.id);
  const inFlight = await Promise.all(
    ownerEmails.map(async (e) => (e.state === 'deleted' || e.state === 'draft') && (e.submittedAt !== undefined || (await sendClaimed(engine.store, e.ref.messageId)))),
  );
  const sentByOwner = ownerEmails
    .map((e, i) => (inFlight[i] === true ? { ...e, state: 'sent' as const } : e))
    .filter((e) => e.state === 'sent' || e.state === 'submitted');
  const own = new Set((await getEmails(engine.store, heir.id)).map((e) => e.kind));
  for (const email of sentByOwner) {
    if (!own.has(email.kind)) await saveEmail(engine.store, heir.id, { ...email, revision: heir.revision });
  }
  return sentByOwner.map((e) => e.kind);
}
