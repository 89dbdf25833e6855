/**
 * A confirmation written inside the lead window says how soon the call is ("in 44 minutes, at
 * 4:38 AM Eastern"), counted from when it was planned to leave. When it leaves later (the mailbox
 * could not be used, the daemon was stopped), that count is wrong by the time the recruiter reads
 * it: "in 44 minutes" for a call 13 minutes away. Right before such a confirmation is sent, a draft
 * the user left exactly as ringback wrote it is written again with the count of now. A draft the
 * user changed in any way (text, subject, recipients) is sent as they left it: their edits win.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { composeConfirmation } from '../domain/compose.js';
import { minutesUntil, plural } from '../domain/format.js';
import type { ComposedEmail, Interview } from '../domain/types.js';
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

/**
 * The ref to send: the same draft, or the draft written again with the count of now when the one
 * in Drafts is ringback's own and its count is off by more than a minute.
 */
export async function refreshLateConfirmation(engine: Engine, interview: Interview, ref: DraftRef): Promise<DraftRef> {
  const mailbox = mailboxOf(engine);
  const stored = await mailbox.readMessage(ref);
  if (!stored || stored.state !== 'draft') return ref;
  const draft = await simpleParser(stored.raw);
  const text = draft.text ?? '';
  const written = SOON.exec(text);
  if (!written) return ref;
  const now = engine.now();
  const left = minutesUntil(interview.start, now);
  if (Math.abs(left - Number(written[1])) <= TOLERANCE_MINUTES) return ref;
  const zoneSet = await counterpartZone(engine.store, { email: interview.counterpart.email, company: interview.company });
  const fresh = composeConfirmation({ interview, candidate: engine.config.candidate, messageId: ref.messageId, now, shortNotice: true, zoneSet, sendAt: now });
  if (!leftAsWritten(draft, text, fresh, left, Number(written[1]))) return ref;
  return await mailbox.updateDraft(ref, fresh);
}

/** True when the draft is the fresh email but for the count it was written with. */
function leftAsWritten(draft: Awaited<ReturnType<typeof simpleParser>>, text: string, fresh: ComposedEmail, left: number, count: number): boolean {
  const then = fresh.text.replace(`in ${plural(left, 'minute', 'minutes')}, at `, `in ${plural(count, 'minute', 'minutes')}, at `);
  return (
    body(then) === body(text) &&
    (draft.subject ?? '') === fresh.subject &&
    addresses(draft.to) === fresh.to.map((p) => p.email.toLowerCase()).sort().join(',') &&
    addresses(draft.cc) === '' &&
    addresses(draft.bcc) === ''
  );
}
