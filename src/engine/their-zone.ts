/**
 * The user set (or changed, or removed) the recipient's time zone (`ringback company zone`, the
 * dashboard) while confirmations wait in Drafts: each draft ringback wrote with the zone set before
 * and the user left as written is written again at once, so that what the user reviews in Drafts is
 * what will go ("3:00 PM Eastern (2:00 PM Central for you)"), as travel.ts does for the candidate's
 * own zone. A draft the user changed is theirs: left as they wrote it, and the audit says so. One
 * that cannot be written now (the mailbox down, another job holding the draft) is written before it
 * is sent (confirmation.ts, late-confirmation.ts). A record of an earlier version, which kept no
 * zone, is left as it stands.
 */
import { confirmationSays } from '../domain/compose.js';
import type { Interview } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getEmail, putEmail } from '../store/drafts.js';
import { getActionRecords, listInterviews } from '../store/interviews.js';
import { counterpartZone } from '../store/zones.js';
import { plannedSend, withConfirmationDraftHeld } from './confirmation.js';
import type { Engine } from './context.js';
import { rewriteConfirmation } from './late-confirmation.js';

/** Writes again the confirmation drafts of upcoming calls whose recipient's zone is no longer the one they were written with; how many. */
export async function followRecipientZones(engine: Engine): Promise<number> {
  if (!engine.mailbox) return 0;
  let rewritten = 0;
  for (const interview of await listInterviews(engine.store, { from: engine.now() })) {
    if (interview.status !== 'scheduled' || interview.start <= engine.now()) continue;
    try {
      if ((await followRecipientZone(engine, interview)) === 'rewritten') rewritten++;
    } catch (error) {
      engine.log.warn({ interview: interview.id, err: error }, "the confirmation draft could not be written again with the recipient's time zone now; it is before it is sent");
    }
  }
  return rewritten;
}

async function followRecipientZone(engine: Engine, interview: Interview): Promise<'rewritten' | 'told' | 'none' | 'busy'> {
  const before = await getEmail(engine.store, interview.id, 'confirmation');
  if (!before || before.state !== 'draft' || before.theirZone === undefined) return 'none';
  const theirs = await counterpartZone(engine.store, { email: interview.counterpart.email, company: interview.company });
  if (theirs === before.theirZone) return 'none';
  return await withConfirmationDraftHeld(engine, interview, 'their-zone', "writing it with the recipient's zone", () => rewriteHeld(engine, interview, theirs));
}

/** {@link followRecipientZone} with the draft's lock held; `theirs`: the zone set now (null for none). */
async function rewriteHeld(engine: Engine, interview: Interview, theirs: string | null): Promise<'rewritten' | 'told' | 'none'> {
  const record = await getEmail(engine.store, interview.id, 'confirmation');
  if (!record || record.state !== 'draft' || record.revision !== interview.revision || record.theirZone === undefined) return 'none';
  const planned = plannedSend(interview, await getActionRecords(engine.store, interview.id));
  const zone = record.zone ?? engine.config.candidate.timezone;
  const result = await rewriteConfirmation(engine, interview, record.ref, { earlier: record.confirmed ?? null, zone, theirZone: record.theirZone, sendAt: planned ?? engine.now() });
  const now = engine.now();
  if (result.wrote === 'edited') {
    const shows = theirs === null ? 'it may still show their time, from the zone you removed' : `it does not show their time in ${theirs}`;
    const message = `you changed the confirmation draft, so it is left as you wrote it: ${shows}; ${planned === null ? 'it stays in Drafts as it stands' : 'it is sent as it stands in Drafts'}`;
    await audit(engine.store, { type: 'kept-as-draft', interviewId: interview.id, message, at: now });
    return 'told';
  }
  if (result.wrote === 'same') return 'none';
  // Written on the candidate's clock of now too (rewriteConfirmation): recorded so.
  const says = confirmationSays(interview, engine.config.candidate, result.theirZone);
  await putEmail(engine.store, interview.id, { ...record, ref: result.ref, subject: result.email.subject, zone: engine.config.candidate.timezone, theirZone: result.theirZone, says, updatedAt: now });
  const message =
    result.theirZone === null
      ? 'confirmation draft written again without their time: you removed the time zone you had set for them'
      : `confirmation draft written again with their time (${result.theirZone}), as you set it for them`;
  await audit(engine.store, { type: 'drafted', interviewId: interview.id, message, at: now });
  return 'rewritten';
}
