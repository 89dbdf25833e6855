/**
 * Every kind of email ringback writes, in every situation that changes its wording: each
 * direction, the recipient's zone known or not, short and scheduler-long titles, no-show levels
 * 1–3, a second confirmation after a move, thank-you plain and after a move or a no-show, apology with and without free times, a
 * counterpart with no name or a team name, a phone interview held on a meeting's bridge (the candidate
 * dials in), an invitation from a no-reply address (no recipient:
 * the drafts greet the interviewer the invitation names, or say "Hello,"), and the note left to the
 * candidate in their own Drafts when a confirmation did not leave, by each reason the daemon gives
 * (ringback not running, the mailbox unusable, refused as spam). `npm run emails` renders them into `docs/emails/`, and
 * the tests check every one (word limits, zones, greeting, subject, threading, slots).
 *
 * Pure: a fixed "now" (Tuesday, March 10, 2026), the real templates and the real slot finder.
 */
import { DEFAULT_POLICY, DEFAULT_TIMING, DEFAULT_WORKING_HOURS } from '../../config/fields.js';
import { composeApology, composeConfirmation, composeMissedNotice, composeNoShow, composeThankYou, type ReplyTo } from '../domain/compose.js';
import { decideEscalation, noShowLevel } from '../domain/escalation.js';
import { outageWindow, pastUse, whyMissedAfterOutage, whyMissedWhileStopped } from '../domain/outage.js';
import { flexibilityOwed } from '../domain/reschedule.js';
import { findSlots, type WorkingHours } from '../domain/slots.js';
import { clock } from '../domain/time-phrases.js';
import type { Candidate, ComposedEmail, Interview, Millis, Slot } from '../domain/types.js';
import { workingDaysOf } from '../domain/working-week.js';
import { interviewRecipientZone } from '../domain/zones.js';
import { smtpError } from '../providers/mail/smtp.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Tuesday, March 10, 2026, 3:00 PM in New York (EDT), 12:00 PM in California, 20:00 in Berlin (CET). */
export const START: Millis = Date.UTC(2026, 2, 10, 19, 0);

/** The emails are shown as the default settings write them. */
export const WORKING_HOURS: WorkingHours = DEFAULT_WORKING_HOURS;

export const CANDIDATE: Candidate = { name: 'Ada Park', email: 'ada@example.org', phone: '+12125550100', timezone: 'America/New_York' };
const BERLIN_CANDIDATE: Candidate = { ...CANDIDATE, phone: '+4930901820', timezone: 'Europe/Berlin' };
/** A candidate in Tel Aviv, whose week runs from Sunday to Thursday. */
const TEL_AVIV_CANDIDATE: Candidate = { ...CANDIDATE, phone: '+97235550100', timezone: 'Asia/Jerusalem' };

const SCHEDULER_TITLE = 'Phone Screen: Ada Park <> Northwind – Senior Payments Infrastructure Engineer (Remote, US)';

function interview(overrides: Partial<Interview> = {}): Interview {
  return {
    id: 'iv3f9a0c12d4',
    sourceId: 'cal',
    eventId: 'evt-1',
    revision: 1,
    revisionKey: 'k1',
    status: 'scheduled',
    rescheduled: 0,
    outcome: null,
    outcomeSource: null,
    firstSeen: START - 3 * DAY,
    title: 'Platform Engineer phone screen (Northwind)',
    start: START,
    end: START + 30 * MIN,
    timeZone: 'America/New_York',
    counterpart: { name: 'Dana Whitfield', email: 'dana@northwind.example' },
    company: 'northwind.example',
    number: '+14155550100',
    direction: 'candidate-calls',
    role: 'accepted',
    notes: '',
    taggedOutcome: null,
    ...overrides,
  };
}

/** The candidate's calendar over the next days: the slot finder has to work around it. */
const BUSY: readonly { start: Millis; end: Millis }[] = [
  { start: START + DAY - 5 * HOUR, end: START + DAY - 3 * HOUR }, // Wednesday 10:00–12:00 Eastern
  { start: START + 2 * DAY - 2 * HOUR, end: START + 2 * DAY + HOUR }, // Thursday 13:00–16:00 Eastern
];

function slotsFor(iv: Interview, candidate: Candidate, now: Millis, zoneSet: string | null = null): Slot[] {
  return findSlots({
    busy: BUSY,
    from: now + 2 * HOUR,
    to: now + 8 * DAY,
    durationMinutes: 30,
    bufferMinutes: DEFAULT_TIMING.bufferMinutes,
    // Days as the default config gives them: the week where the candidate is.
    workingHours: { ...WORKING_HOURS, days: workingDaysOf(candidate.timezone) },
    timeZone: candidate.timezone,
    recipientZone: interviewRecipientZone(iv, zoneSet, candidate.timezone),
    recipientOffset: iv.statedOffset ?? null,
    spreadTimesOfDay: true,
    count: 3,
  });
}

export interface Variant {
  /** File name in docs/emails/, without extension. */
  readonly name: string;
  /** What situation it shows, one line. */
  readonly about: string;
  /** `notice`: the note to the candidate that their confirmation was not sent (to them, never sent). */
  readonly kind: 'confirmation' | 'noshow' | 'apology' | 'thankyou' | 'notice';
  readonly interview: Interview;
  readonly candidate: Candidate;
  readonly email: ComposedEmail;
  /** When it leaves (the Date header): sent at once, except the confirmation (at its send time). */
  readonly sentAt: Millis;
  /** The recipient's zone as ringback knows it, or null. */
  readonly recipientZone: string | null;
  /** The times proposed, if any. */
  readonly slots: readonly Slot[];
  /** The message it answers: only a confirmation the recipient received. */
  readonly replyTo: ReplyTo | null;
  /** The thank-you thanks them for their flexibility. */
  readonly flexibility?: boolean;
}

/** As the daemon names an email (domain/ids.ts): the revision is the interview's, 2 after a move. */
const msgId = (kind: string, revision = 1) => `<ringback.iv3f9a0c12d4.${kind}.${revision}@example.org>`;
const SENT_CONFIRMATION: ReplyTo = { messageId: msgId('confirmation'), subject: 'Confirming our phone interview today at 3:00 PM Eastern – Platform Engineer' };

function confirmation(
  name: string,
  about: string,
  iv: Interview,
  options: { candidate?: Candidate; zoneSet?: string; now?: Millis; sendAt?: Millis; shortNotice?: boolean; earlier?: Millis } = {},
): Variant {
  const candidate = options.candidate ?? CANDIDATE;
  const now = options.now ?? START - DAY;
  const sendAt = options.sendAt ?? START - HOUR;
  const email = composeConfirmation({ interview: iv, candidate, messageId: msgId('confirmation', iv.revision), now, sendAt, shortNotice: options.shortNotice ?? false, zoneSet: options.zoneSet ?? null, earlier: options.earlier ?? null });
  const zone = interviewRecipientZone(iv, options.zoneSet, candidate.timezone);
  return { name, about, kind: 'confirmation', interview: iv, candidate, email, sentAt: sendAt, recipientZone: zone, slots: [], replyTo: null };
}

function noShow(name: string, about: string, iv: Interview, options: { candidate?: Candidate; noShows?: number; replyTo?: ReplyTo } = {}): Variant {
  const candidate = options.candidate ?? CANDIDATE;
  const now = iv.start + 15 * MIN;
  const policy = DEFAULT_POLICY;
  const history = { interviewerNoShows: options.noShows ?? 1, candidateMisses: 0 };
  const level = noShowLevel(history, policy);
  const slots = level === 1 ? slotsFor(iv, candidate, now) : [];
  const replyTo = options.replyTo ?? null;
  const email = composeNoShow({
    interview: iv,
    candidate,
    messageId: msgId('noshow', iv.revision),
    now,
    escalation: decideEscalation(history, policy),
    level,
    availableUntil: iv.start + 30 * MIN,
    slots,
    replyTo,
  });
  const zone = interviewRecipientZone(iv, null, candidate.timezone);
  return { name, about, kind: 'noshow', interview: iv, candidate, email, sentAt: now, recipientZone: zone, slots, replyTo };
}

function apology(name: string, about: string, iv: Interview, options: { noSlots?: boolean; replyTo?: ReplyTo } = {}): Variant {
  const now = iv.start + 40 * MIN;
  const slots = options.noSlots === true ? [] : slotsFor(iv, CANDIDATE, now);
  const replyTo = options.replyTo ?? null;
  const email = composeApology({ interview: iv, candidate: CANDIDATE, messageId: msgId('apology', iv.revision), now, slots, replyTo });
  const zone = interviewRecipientZone(iv, null, CANDIDATE.timezone);
  return { name, about, kind: 'apology', interview: iv, candidate: CANDIDATE, email, sentAt: now, recipientZone: zone, slots, replyTo };
}

function thankYou(name: string, about: string, iv: Interview, earlier: readonly Interview[] = []): Variant {
  const now = iv.end + HOUR;
  const flexibility = flexibilityOwed(iv, earlier).owed;
  const email = composeThankYou({ interview: iv, candidate: CANDIDATE, messageId: msgId('thankyou', iv.revision), now, rescheduled: flexibility });
  const zone = interviewRecipientZone(iv, null, CANDIDATE.timezone);
  return { name, about, kind: 'thankyou', interview: iv, candidate: CANDIDATE, email, sentAt: now, recipientZone: zone, slots: [], replyTo: null, flexibility };
}

/**
 * The note in the candidate's Drafts that the confirmation did not leave, written when ringback
 * finds it missed (5 minutes before the call) or failed for good (at its send time). `said`: the
 * plain words of the action's record, as the engine writes them.
 */
function missedNotice(name: string, about: string, iv: Interview, said: { readonly why: string; readonly fix?: string | undefined }, now: Millis): Variant {
  const email = composeMissedNotice({ interview: iv, candidate: CANDIDATE, messageId: `<ringback.iv3f9a0c12d4.notice.${iv.revision}@example.org>`, now, why: said.why, fix: said.fix });
  const zone = interviewRecipientZone(iv, null, CANDIDATE.timezone);
  return { name, about, kind: 'notice', interview: iv, candidate: CANDIDATE, email, sentAt: now, recipientZone: zone, slots: [], replyTo: null };
}

/** The confirmation's send time at the default lead, and why it is past its use 5 minutes before the call. */
const SEND_AT = START - DEFAULT_TIMING.confirmLeadMinutes * MIN;
const FOUND_AT = START - 5 * MIN;
const TOO_NEAR = pastUse({ kind: 'confirmation-send', dueAt: SEND_AT }, START, DEFAULT_TIMING, FOUND_AT) ?? '';
const at = (t: Millis): string => clock(t, CANDIDATE.timezone);
/** The reasons as src/engine/outage.ts records them (through the same sentences), for an account named "mail". */
const NOT_RUNNING = { why: whyMissedWhileStopped(at(SEND_AT), TOO_NEAR) };
const MAILBOX_DOWN = { why: whyMissedAfterOutage('mail', outageWindow(SEND_AT - 20 * MIN, FOUND_AT, at), TOO_NEAR) };
/**
 * A refusal as spam after DATA, through the real translation of nodemailer's failure: "550 5.7.1
 * Message rejected as spam by Content Filtering." (swiftmailer/swiftmailer#1244, as in
 * test/engine/refused-as-spam.int.test.ts); the server's address is ours. Its plain words, as the
 * send's record keeps them apart from the reply.
 */
const REFUSED = smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 550, response: '550 5.7.1 Message rejected as spam by Content Filtering.' }, 'SMTP smtp.example.org:587');
const REFUSED_AS_SPAM = { why: REFUSED.plain ?? '', fix: REFUSED.fix };
/**
 * The interviewer's address refused at RCPT as having no mailbox, through the same translation:
 * Postfix's "550 5.1.1 <…>: Recipient address rejected: User unknown in virtual mailbox table"
 * (mailcow/mailcow-dockerized#893); the addresses are ours.
 */
const UNKNOWN = smtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table' }, 'SMTP smtp.example.org:587');
const RECIPIENT_UNKNOWN = { why: UNKNOWN.plain ?? '', fix: UNKNOWN.fix };

const PACIFIC = { timeZone: 'America/Los_Angeles' };
/**
 * 8:00 PM Eastern on Tuesday: 11:00 AM on Wednesday in Sydney, 1:00 PM in Auckland. Their numbers
 * are of their own countries (Sydney's from the range Australia keeps for fiction, 02 5550 xxxx).
 */
const SYDNEY_EVENING = { start: START + 5 * HOUR, end: START + 5 * HOUR + 30 * MIN };
/** 9:00 AM Eastern on Tuesday: 6:30 PM in Kolkata. */
const KOLKATA_MORNING = { start: START - 6 * HOUR, end: START - 6 * HOUR + 30 * MIN };
/** 10:00 AM in Berlin on Tuesday: 2:30 PM in Kolkata. */
const KOLKATA_AFTERNOON = { start: Date.UTC(2026, 2, 10, 9, 0), end: Date.UTC(2026, 2, 10, 9, 30) };
/** Thursday, March 12, 10:00 in Tel Aviv and 09:00 in Berlin: 12:30 in Kabul. */
const THURSDAY_MORNING = { start: Date.UTC(2026, 2, 12, 8, 0), end: Date.UTC(2026, 2, 12, 8, 30) };
/** They call: the number in the event is the candidate's own. */
const THEY_CALL = { direction: 'interviewer-calls' as const, number: '+12125550100' };
const TEAM = { counterpart: { name: 'Northwind Talent Team', email: 'talent@northwind.example' } };
/** An ATS invitation from no-reply@fabrikam.example that names "Sam Lee, Talent Partner" as the interviewer. */
const NO_REPLY = { counterpart: { name: 'Sam Lee', email: null }, company: 'fabrikam.example', title: 'Interview with Fabrikam', ...THEY_CALL };
const NO_REPLY_NO_NAME = { ...NO_REPLY, counterpart: { name: '', email: null } };
/** A phone interview on a Teams bridge: the candidate dials in with the invitation's number and ID. */
const DIAL_IN = { direction: 'candidate-calls' as const, number: null, dialIn: true };

/** Every variant, in the order of a call's life. */
export function variants(): Variant[] {
  const earlierNoShow = interview({ id: 'iv0earlier0001', eventId: 'evt-0', start: START - 6 * DAY, end: START - 6 * DAY + 30 * MIN, outcome: 'interviewer-no-show', status: 'done' });
  return [
    confirmation('confirmation-interviewer-calls', 'They call the candidate; same zone as the candidate', interview({ ...THEY_CALL, number: null })),
    confirmation('confirmation-candidate-calls-pacific', 'The candidate calls a recruiter in California (organizer’s zone known)', interview({ ...PACIFIC })),
    confirmation('confirmation-unknown-direction-utc-event', 'Who dials is not known; the event is stored in UTC, so the recipient’s zone is unknown', interview({ direction: 'unknown', number: null, timeZone: 'UTC' })),
    confirmation('confirmation-candidate-calls-no-number', 'The candidate calls, but the event gives no number', interview({ number: null })),
    confirmation('confirmation-short-notice', 'Found 20 minutes ahead: drafted now, sent after the 5-minute review window', interview({ ...THEY_CALL }), { now: START - 20 * MIN, sendAt: START - 15 * MIN, shortNotice: true }),
    confirmation('confirmation-scheduler-title', 'A long scheduler title with names and "<>"', interview({ title: SCHEDULER_TITLE, ...PACIFIC })),
    confirmation('confirmation-team-organizer', 'Organised by a team address ("Northwind Talent Team")', interview({ ...TEAM, ...THEY_CALL })),
    confirmation('confirmation-no-name', 'A counterpart with an address and no name', interview({ counterpart: { name: '', email: 'dana@northwind.example' }, title: 'Phone interview' })),
    confirmation('confirmation-recipient-berlin', 'A recruiter in Berlin, where times are written on 24 hours', interview({ timeZone: 'Europe/Berlin', number: '+4930901820' })),
    confirmation('confirmation-zone-set-by-user', 'The candidate organised the event; the user set the company’s zone (ringback company zone)', interview({ role: 'organizer', timeZone: 'America/New_York' }), { zoneSet: 'America/Chicago' }),
    noShow('noshow-1-candidate-calls-pacific', 'First no-show; the candidate called a recruiter three hours behind', interview({ ...PACIFIC })),
    noShow('noshow-1-interviewer-calls', 'First no-show; they were to call; same zone', interview({ ...THEY_CALL, number: null })),
    noShow('noshow-1-nine-hours-apart', 'First no-show; candidate in Berlin, recruiter in California (nine hours behind)', interview({ direction: 'unknown', number: null, ...PACIFIC, start: Date.UTC(2026, 2, 10, 16, 0), end: Date.UTC(2026, 2, 10, 16, 30) }), { candidate: BERLIN_CANDIDATE }),
    noShow('noshow-1-threaded', 'First no-show after the confirmation was sent: a reply in its thread', interview({ ...THEY_CALL }), { replyTo: SENT_CONFIRMATION }),
    noShow('noshow-2-call-me', 'Second no-show with the company: asks them to call when convenient', interview({ ...THEY_CALL, ...TEAM }), { noShows: 2 }),
    noShow('noshow-3-pattern', 'Third no-show: the company already has a pattern; short, no times', interview({ direction: 'candidate-calls', ...PACIFIC }), { noShows: 3 }),
    apology('apology-slots-pacific', 'The candidate missed their call; recruiter three hours behind', interview({ ...THEY_CALL, ...PACIFIC })),
    apology('apology-no-slots', 'The candidate missed the call and has no free time this week', interview({ ...THEY_CALL }), { noSlots: true }),
    apology('apology-threaded', 'The candidate did not call as planned, after a confirmation that was sent', interview({ direction: 'candidate-calls' }), { replyTo: SENT_CONFIRMATION }),
    thankYou('thankyou-plain', 'The call was held', interview({ ...THEY_CALL })),
    thankYou('thankyou-after-move', 'The call was held after the event was moved', interview({ rescheduled: 1 })),
    thankYou('thankyou-after-noshow', 'The call was held; it replaced a call of the same company that they missed', interview({ title: 'Northwind – phone interview' }), [earlierNoShow]),
    // Appended, so that the files above keep their numbers.
    confirmation('confirmation-no-recipient', 'An invitation from a no-reply address naming the interviewer: a draft without a recipient, sent at its time only if you write one into it', interview(NO_REPLY)),
    confirmation('confirmation-no-recipient-no-name', 'An invitation from a no-reply address that names nobody: no recipient, a neutral greeting', interview(NO_REPLY_NO_NAME)),
    noShow('noshow-1-no-recipient', 'First no-show after an invitation from a no-reply address: a draft for you to address', interview(NO_REPLY)),
    apology('apology-no-recipient', 'The candidate missed a call booked from a no-reply address: a draft for you to address', interview(NO_REPLY_NO_NAME)),
    thankYou('thankyou-no-recipient', 'The call booked from a no-reply address was held: a draft for you to address', interview(NO_REPLY)),
    confirmation('confirmation-after-move', 'The recruiter moved the call an hour later after the first confirmation went out: the second one confirms the new time', interview({ ...PACIFIC, start: START + HOUR, end: START + HOUR + 30 * MIN, revision: 2, rescheduled: 1 }), {
      now: START - 2 * HOUR,
      sendAt: START,
      earlier: START,
    }),
    confirmation('confirmation-after-move-to-next-day', 'The call moved to the next day, after the first confirmation went out', interview({ ...THEY_CALL, start: START + DAY, end: START + DAY + 30 * MIN, revision: 2, rescheduled: 1 }), {
      now: START - 3 * HOUR,
      sendAt: START + DAY - HOUR,
      earlier: START,
    }),
    confirmation('confirmation-recipient-sydney', 'A recruiter in Sydney, where 8:00 PM on Tuesday in New York is already Wednesday morning: their reading names its own date, and the subject gives their day and clock', interview({ ...SYDNEY_EVENING, timeZone: 'Australia/Sydney', number: '+61255504321' })),
    noShow('noshow-1-recipient-auckland', 'First no-show with a recruiter in Auckland, a day ahead: the times offered fall in their working hours, never on their Saturday, and only as many as keep the note within 100 words (here one)', interview({ ...SYDNEY_EVENING, timeZone: 'Pacific/Auckland', number: '+6495550123' })),
    confirmation('confirmation-dial-in', 'A phone interview held on a Teams bridge: the candidate dials in with the number and meeting ID of the invitation; no number asked for', interview({ ...DIAL_IN, ...PACIFIC })),
    noShow('noshow-1-dial-in', 'First no-show on a meeting bridge: the candidate joined on the dial-in line and waited on the line; offers their own number and new times', interview({ ...DIAL_IN, ...PACIFIC })),
    apology('apology-dial-in', 'The candidate did not dial in to the meeting bridge as planned', interview({ ...DIAL_IN })),
    confirmation('confirmation-recipient-kolkata-stated-ist', 'A recruiting tool in India stored the event in UTC and wrote "6:30 PM IST" in it: IST on India’s clock alone is the recruiter’s, five and a half hours ahead, written with AM and PM as India writes it', interview({ ...KOLKATA_MORNING, ...THEY_CALL, timeZone: 'UTC', statedZone: 'Asia/Kolkata' }), {
      now: KOLKATA_MORNING.start - DAY,
      sendAt: KOLKATA_MORNING.start - HOUR,
    }),
    confirmation('confirmation-recipient-stated-offset', 'The invitation states the call as "6:30 PM - 7:00 PM (GMT+05:30)", a bare offset that names no place: the recruiter is given that clock for this call alone, and no zone is learned', interview({ ...KOLKATA_MORNING, ...THEY_CALL, timeZone: 'UTC', statedOffset: { at: KOLKATA_MORNING.start, offset: 330 } }), {
      now: KOLKATA_MORNING.start - DAY,
      sendAt: KOLKATA_MORNING.start - HOUR,
    }),
    missedNotice('notice-ringback-not-running', 'To you, in your Drafts, never sent: the confirmation was due while ringback was not running, and when it ran again the call was too near', interview({ ...PACIFIC }), NOT_RUNNING, FOUND_AT),
    missedNotice('notice-mailbox-unusable', 'To you, in your Drafts: the mailbox could not be used from before the send time until the call was too near', interview({ ...TEAM, ...THEY_CALL }), MAILBOX_DOWN, FOUND_AT),
    missedNotice('notice-refused-as-spam', 'To you, in your Drafts: the mail server refused the confirmation as spam at its send time', interview({ title: SCHEDULER_TITLE, ...PACIFIC }), REFUSED_AS_SPAM, SEND_AT),
    missedNotice('notice-recipient-unknown', "To you, in your Drafts: the mail server refused the interviewer's address at the send time as having no mailbox", interview({ ...PACIFIC }), RECIPIENT_UNKNOWN, SEND_AT),
    noShow('noshow-1-recipient-stated-offset', 'First no-show; the candidate is in Berlin and the invitation stated the call as "2:30 PM (GMT+05:30)", a bare offset: the new times are Berlin mornings, which fall in the working day of every place on that offset (India and Sri Lanka), and are written on that offset too, which both keep all year', interview({ ...KOLKATA_AFTERNOON, direction: 'interviewer-calls', number: '+4930901820', timeZone: 'UTC', statedOffset: { at: KOLKATA_AFTERNOON.start, offset: 330 } }), {
      candidate: BERLIN_CANDIDATE,
    }),
    noShow('noshow-1-candidate-tel-aviv', 'First no-show; the candidate and the recruiter are in Tel Aviv, where the week runs from Sunday to Thursday: no Friday is offered, and Sunday is', interview({ ...THURSDAY_MORNING, ...THEY_CALL, number: '+97235550100', timeZone: 'Asia/Jerusalem' }), {
      candidate: TEL_AVIV_CANDIDATE,
    }),
    noShow('noshow-1-recipient-kabul', 'First no-show; the candidate is in Berlin and the recruiter in Kabul, who rests on Thursday and Friday: the new times fall on days both work, Monday to Wednesday', interview({ ...THURSDAY_MORNING, direction: 'interviewer-calls', number: '+4930901820', timeZone: 'Asia/Kabul' }), {
      candidate: BERLIN_CANDIDATE,
    }),
  ];
}
