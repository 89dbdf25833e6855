/**
 * The candidate changed zone (`candidate.timezone`) while confirmations wait in Drafts: each draft
 * ringback wrote on the old clock and the user left as written is written again on the new one at
 * once, so that what the user reviews in Drafts is what will go ("17:00 WET", not "12:00 noon
 * Eastern"; the same instant). Before, it kept the old clock until the moment of sending, and the
 * email that left was not the one the user had read. A draft the user changed is theirs: it is
 * left as they wrote it, and the audit tells them, once. Run by the reconciler (at start, then every
 * ten minutes) after a change of zone (store/zone-applied.ts), and for a draft it could not write
 * then, at each round until it is written; the send step still writes again a draft a failed run
 * left behind (late-confirmation.ts).
 */
import type { ActionRecord } from '../domain/actions.js';
import { confirmationSays } from '../domain/compose.js';
import type { Interview } from '../domain/types.js';
import { clockWithZone } from '../domain/zones.js';
import { audit } from '../store/audit.js';
import { getEmail, putEmail } from '../store/drafts.js';
import { plannedSend, withConfirmationDraftHeld } from './confirmation.js';
import type { Engine } from './context.js';
import { rewriteConfirmation } from './late-confirmation.js';

/** Whether the interview may hold a confirmation draft to look at: its draft was written and the call is ahead. */
export function mayHoldDraft(interview: Interview, records: ReadonlyMap<string, ActionRecord>, now: number): boolean {
  const drafted = records.get('confirmation-draft');
  return interview.status === 'scheduled' && interview.start > now && drafted?.state === 'done';
}

/**
 * Writes the interview's confirmation draft again on the candidate's zone of now when it was
 * written on another and left as written; tells the user once of one they changed. What it did.
 */
export async function followCandidateZone(engine: Engine, interview: Interview, records: readonly ActionRecord[]): Promise<'rewritten' | 'told' | 'none' | 'busy'> {
  const zone = engine.config.candidate.timezone;
  const before = await getEmail(engine.store, interview.id, 'confirmation');
  if (!before || before.state !== 'draft' || before.zone === undefined || before.zone === zone || before.zoneNoted === zone) return 'none';
  // Busy (a draft job or the send holds it): they write on the new clock themselves; else the next reconcile.
  return await withConfirmationDraftHeld(engine, interview, 'zone', 'writing it on the new zone', () => rewriteHeld(engine, interview, records));
}

/** {@link followCandidateZone} with the draft's lock held. */
async function rewriteHeld(engine: Engine, interview: Interview, records: readonly ActionRecord[]): Promise<'rewritten' | 'told' | 'none'> {
  const zone = engine.config.candidate.timezone;
  const record = await getEmail(engine.store, interview.id, 'confirmation');
  // A draft of another revision is its draft job's to write, on the new clock.
  if (!record || record.state !== 'draft' || record.revision !== interview.revision || record.zone === undefined || record.zone === zone) return 'none';
  const planned = plannedSend(interview, records);
  const result = await rewriteConfirmation(engine, interview, record.ref, { earlier: record.confirmed ?? null, zone: record.zone, sendAt: planned ?? engine.now() });
  const now = engine.now();
  const { zoneNoted: _told, ...kept } = record;
  if (result.wrote === 'edited') {
    if (record.zoneNoted === zone) return 'none';
    await putEmail(engine.store, interview.id, { ...record, zoneNoted: zone });
    const goes = planned === null ? 'it stays in Drafts as it stands' : 'it is sent as it stands in Drafts';
    const message = `you changed the confirmation draft, so it is left as you wrote it: it names the call on your old clock, ${clockWithZone(interview.start, record.zone)}, which is ${clockWithZone(interview.start, zone)} on your new one (${zone}); ${goes}`;
    await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: now });
    return 'told';
  }
  const subject = result.wrote === 'rewritten' ? result.email.subject : record.subject;
  // What it says now is recorded (the digest has the candidate's clock and the recipient's): a
  // later change of the call compares with what the interviewer is sent.
  const theirs = result.wrote === 'rewritten' ? { theirZone: result.theirZone, says: confirmationSays(interview, engine.config.candidate, result.theirZone) } : {};
  await putEmail(engine.store, interview.id, { ...kept, ...theirs, ref: result.ref, subject, zone, updatedAt: now });
  if (result.wrote === 'same') return 'none';
  const message = `confirmation draft written again on your new time zone, ${zone}: it now names the call as ${clockWithZone(interview.start, zone)}, the same moment as ${clockWithZone(interview.start, record.zone)}`;
  await audit(engine.store, { type: 'drafted', interviewId: interview.id, message, at: now });
  return 'rewritten';
}
