/**
 * Runs one due action. Every action re-reads the world when it runs (the interview, its revision,
 * its outcome, the draft in the mailbox) and renders the email then; an action whose world changed
 * does nothing and says so in the audit.
 */
import { ACTION_LABEL, type ActionKind, type ActionRecord } from '../domain/actions.js';
import { emailKindOf } from '../domain/ids.js';
import type { Interview } from '../domain/types.js';
import { missedNote } from '../domain/outage.js';
import type { ActionJobData } from '../queue/jobs.js';
import type { AuditEntry } from '../store/audit.js';
import { sendTogether } from '../store/connection.js';
import { getStoredInterview } from '../store/interview-writes.js';
import { getActionRecords, settleActionState } from '../store/interviews.js';
import type { ActionOutcome } from './action-outcome.js';
import type { Engine } from './context.js';
import { draftConfirmation, sendConfirmation } from './confirmation.js';
import { afterTheCall, draftApology, draftNoShow, draftThankYou, resolveNoShow } from './followups.js';
import { holdWhileUnlisted, unlistedFor } from './held-sends.js';
import { mailboxOutage, missedAfterOutage, parkIfDown, recordMissed } from './outage.js';
import { holdWhileUnread, lastReadsFor } from './unread-sends.js';
import { changedAsStored } from './written-meanwhile.js';


/** `records`: the interview's action records, read with it when the action started. */
type Handler = (engine: Engine, interview: Interview, records: readonly ActionRecord[]) => Promise<ActionOutcome>;

const HANDLERS: Record<ActionKind, Handler> = {
  'confirmation-draft': draftConfirmation,
  'confirmation-send': sendConfirmation,
  'noshow-draft': afterTheCall(draftNoShow),
  'noshow-resolve': afterTheCall(resolveNoShow),
  'thankyou-draft': afterTheCall(draftThankYou),
  'apology-draft': afterTheCall(draftApology),
};

export async function runAction(engine: Engine, job: ActionJobData): Promise<ActionOutcome> {
  // Asked at once, in one socket write: one round trip.
  const [stored, records, outage, unlisted, lastReads] = await sendTogether(engine.store.redis, () =>
    Promise.all([
      getStoredInterview(engine.store, job.interviewId),
      getActionRecords(engine.store, job.interviewId),
      mailboxOutage(engine),
      unlistedFor(engine, job),
      lastReadsFor(engine, job),
    ]),
  );
  const interview = stored?.interview ?? null;
  let result: ActionOutcome;
  if (!interview) {
    result = { state: 'stale', message: 'the interview is no longer known' };
  } else if (interview.revision !== job.revision) {
    result = { state: 'stale', message: `the interview changed since this was planned (revision ${job.revision} → ${interview.revision})` };
  } else if (interview.status !== 'scheduled') {
    result = { state: 'stale', message: `the interview is ${interview.status}` };
  } else if (!engine.mailbox) {
    result = { state: 'skipped', message: 'no mailbox is connected (run "ringback connect maildir" or another mailbox)' };
  } else {
    // While its calendar awaits confirmation that the call is gone, a send waits (throws ActionParked).
    await holdWhileUnlisted(engine, job, interview, unlisted);
    // While its calendar has not been read lately, a send waits too (throws ActionParked).
    await holdWhileUnread(engine, job, interview, lastReads);
    const record = records.find((r) => r.kind === job.kind && r.revision === job.revision);
    const missed = await missedAfterOutage(engine, interview, job, record, outage);
    if (missed) {
      // Recorded and audited there, once; nothing more to write here.
      await recordMissed(engine, job, missed);
      return { state: 'missed', message: missedNote(missed) };
    }
    // While the mailbox is known to be down, wait without calling it (throws ActionParked).
    await parkIfDown(engine, job, outage);
    result = await HANDLERS[job.kind](engine, interview, records);
  }
  const entries: AuditEntry[] = result.audit ? [result.audit] : [];
  if (result.state === 'stale' || result.state === 'skipped') {
    entries.push({
      type: result.state === 'stale' ? 'stale' : 'skipped',
      interviewId: job.interviewId,
      message: `${ACTION_LABEL[job.kind]}: nothing done, ${result.message}`,
      at: engine.now(),
    });
  }
  const read = records.find((r) => r.kind === job.kind);
  const settled = { interviewId: job.interviewId, kind: job.kind, revision: job.revision, state: result.state, note: result.message };
  if (!result.release) {
    await settleActionState(engine.store, read, settled, entries);
    return result;
  }
  // A draft whose record went out with the release (a confirmation draft) is stored only now: the
  // call is looked at again, as after every draft written (written-meanwhile.ts), in the record as
  // the same step read it once the draft's record was in.
  const asStored = await settleActionState(engine.store, read, settled, entries, result.release);
  const changed = stored ? await changedAsStored(engine, stored, emailKindOf(job.kind), asStored) : null;
  if (!changed) return result;
  const stale: AuditEntry = { type: 'stale', interviewId: job.interviewId, message: `${ACTION_LABEL[job.kind]}: ${changed.message}`, at: engine.now() };
  await settleActionState(engine.store, read, { ...settled, state: changed.state, note: changed.message }, [stale]);
  return changed;
}
