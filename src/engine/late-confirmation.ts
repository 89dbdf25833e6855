/**
 * A confirmation says when the call is from the moment it is planned to leave: "in 44 minutes, at
 * 4:38 AM Eastern" inside the lead window, else "today at" or "tomorrow at". When it leaves later
 * (the mailbox could not be used, the daemon was stopped), that is wrong by the time the recruiter
 * reads it: "in 44 minutes" for a call 13 minutes away, "tomorrow at 12:32 AM" sent after midnight.
 * Right before the send, a draft the user left exactly as ringback wrote it is written again as of
 * now. A draft the user changed in any way (text, subject, recipients) is sent as they left it:
 * their edits win.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { composeConfirmation } from '../domain/compose.js';
import { minutesUntil } from '../domain/format.js';
import type { ComposedEmail, Interview, Millis } from '../domain/types.js';
import type { DraftRef } from '../providers/mail/types.js';
import { counterpartZone } from '../store/zones.js';
import { mailboxOf, type Engine } from './context.js';

/** What the short-notice phrase looks like in the text ringback writes (templates/confirmation.ts). */
const SOON = /\bin (\d+) minutes?, at /;

/** A count this close to the truth is left alone: the send itself takes a moment. */
const TOLERANCE_MINUTES = 1;

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list
    .flatMap((v) => v.value.map((a) => (a.address ?? '').toLowerCase()))
    .sort()
    .join(',');
}

function body(text: string): string {
  return text.replace(/\r\n/g, '\n').trim();
}

/** What the draft was written with: the time a confirmation already sent named, and the candidate's zone then. */
export interface WrittenWith {
  readonly earlier: Millis | null;
  readonly zone: string;
  /** The recipient's zone the user had set then (null for none); absent: not known (a record of an earlier version), taken as the one set now. */
  readonly theirZone?: string | null;
}

/**
 * The ref to send: the same draft, or the draft written again with the count and the day of now,
 * on the candidate's clock of now, when the one in Drafts is ringback's own and says something
 * else. A draft written on the zone the candidate had before they moved reads
 * "at 12:00 noon Eastern" when they are in Lisbon: the instant is right, the clock is not theirs.
 */
export async function refreshLateConfirmation(engine: Engine, interview: Interview, ref: DraftRef, written: WrittenWith): Promise<Rewritten> {
  return await rewriteConfirmation(engine, interview, ref, { ...written, sendAt: engine.now() });
}

/** What became of a confirmation draft read to be written again. */
export type Rewritten =
  /** Still true as it stands, or not a draft any more: left. */
  | { readonly wrote: 'same'; readonly ref: DraftRef }
  /** `theirZone`: the recipient's zone the user has set, as the draft is now written with it. */
  | { readonly wrote: 'rewritten'; readonly ref: DraftRef; readonly email: ComposedEmail; readonly theirZone: string | null }
  /** Changed by the user: their edits win, and it is left. */
  | { readonly wrote: 'edited'; readonly ref: DraftRef };

/**
 * The confirmation draft at `ref` written again as it would be for a send at `sendAt`, on the
 * candidate's clock of now, when it is ringback's own as written (on `written.zone`, with a count
 * when it gave one, else the day) and says something else; a draft the user changed is left.
 */
export async function rewriteConfirmation(engine: Engine, interview: Interview, ref: DraftRef, written: WrittenWith & { readonly sendAt: Millis }): Promise<Rewritten> {
  const mailbox = mailboxOf(engine);
  const stored = await mailbox.readMessage(ref);
  if (!stored || stored.state !== 'draft') return { wrote: 'same', ref };
  const draft = await simpleParser(stored.raw);
  const text = draft.text ?? '';
  const now = engine.now();
  const { sendAt } = written;
  const count = SOON.exec(text);
  const zoneSet = await counterpartZone(engine.store, { email: interview.counterpart.email, company: interview.company });
  const theirsWas = written.theirZone === undefined ? zoneSet : written.theirZone;
  const moved = written.zone !== engine.config.candidate.timezone || theirsWas !== zoneSet;
  if (!moved && count && Math.abs(minutesUntil(interview.start, sendAt) - Number(count[1])) <= TOLERANCE_MINUTES) return { wrote: 'same', ref };
  const compose = (timezone: string, theirZone: string | null): ComposedEmail =>
    composeConfirmation({ interview, candidate: { ...engine.config.candidate, timezone }, messageId: ref.messageId, now, shortNotice: count !== null, zoneSet: theirZone, sendAt, earlier: written.earlier });
  const fresh = compose(engine.config.candidate.timezone, zoneSet);
  if (body(fresh.text) === body(text) && (draft.subject ?? '') === fresh.subject) return { wrote: 'same', ref };
  // Compared with what ringback wrote then: on the clocks it was written on.
  if (!leftAsWritten(draft, text, moved ? compose(written.zone, theirsWas) : fresh)) return { wrote: 'edited', ref };
  return { wrote: 'rewritten', ref: await mailbox.updateDraft(ref, fresh), email: fresh, theirZone: zoneSet };
}

/** The phrases that say when, from the moment of sending: "tomorrow at", "in 44 minutes, at". */
const WHEN = /\b(?:today|tomorrow|yesterday|on [A-Z][a-z]+, [A-Z][a-z]+ \d{1,2}|in \d+ minutes?,) at /g;

function masked(text: string): string {
  return body(text).replace(WHEN, '… at ');
}

/** True when the draft is `asWritten`, the email ringback wrote, but for the phrases that say when. */
function leftAsWritten(draft: Awaited<ReturnType<typeof simpleParser>>, text: string, asWritten: ComposedEmail): boolean {
  return (
    masked(text) === masked(asWritten.text) &&
    masked(draft.subject ?? '') === masked(asWritten.subject) &&
    addresses(draft.to) === asWritten.to.map((p) => p.email.toLowerCase()).sort().join(',') &&
    addresses(draft.cc) === '' &&
    addresses(draft.bcc) === ''
  );
}
