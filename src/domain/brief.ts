/**
 * The brief: the sheet to have in front of you before a phone interview (`ringback brief <id>`).
 * When, who dials whom and at which number (checked, so a missing or odd number shows up before
 * the call and not during it), who the counterpart is and how their company has kept earlier
 * calls, the event's notes, the article's checklist, what to say to a voicemail box (its own
 * script for each direction) and what to do if the call goes wrong.
 *
 * Plain text lines, read by the candidate. Pure: `now` is a parameter.
 */
import { dialsIn } from './dial-in.js';
import type { Candidate, Interview, Millis } from './types.js';
import { formatPhoneForDisplay, isPlausiblePhone, plural, safeZone } from './format.js';
import { addressName, candidateNumber, displayNumber, greetingName } from './templates/email.js';
import { availableUntilFor } from './templates/noshow.js';
import { headerToken, manyLines, oneLine } from './templates/text.js';
import { interviewRecipientZone, spokenTime } from './zones.js';

export interface CompanyHistory {
  /** Interviewer no-shows recorded for the company so far. */
  readonly interviewerNoShows: number;
  /** Calls the candidate missed with this company. */
  readonly candidateMisses: number;
  /** No-shows reached `moveOnAfter`: confirmations to the company stay drafts. */
  readonly pattern: boolean;
}

export interface BriefInput {
  readonly interview: Interview;
  readonly candidate: Candidate;
  readonly history: CompanyHistory;
  readonly now: Millis;
  /** Minutes after the start until which the candidate stays available. */
  readonly giveUpMinutes: number;
  /** Minutes after the start at which the no-show draft is written (`timing.waitMinutes`). */
  readonly waitMinutes: number;
  /** The counterpart's zone as the user set it (`ringback company zone`), if any. */
  readonly zoneSet?: string | null;
  /**
   * When the candidate's next busy time in the synced calendars begins, after the no-show note
   * would be written (`T + waitMinutes`), if any: the brief promises no more than the note will.
   */
  readonly nextBusy?: Millis | null;
}

export interface VoicemailInput {
  readonly interview: Interview;
  readonly candidate: Candidate;
  readonly giveUpMinutes: number;
  /** When given, the promise of the no-show note (30 minutes from T + wait) counts too. */
  readonly waitMinutes?: number;
  readonly zoneSet?: string | null;
  /** As {@link BriefInput.nextBusy}: the promise stops where the next call begins. */
  readonly nextBusy?: Millis | null;
}

const NOTES_MAX_CHARS = 600;
const NOTES_MAX_LINES = 12;

/**
 * Until when the candidate keeps the line free: `giveUpMinutes` after the start and, when the
 * no-show note's time is known, what that note will promise when written at `waitMinutes` (at least
 * half an hour from then, never into the next busy time: templates/noshow.ts `availableUntilFor`).
 * The brief and the voicemail script say the same time as the note, not a later one.
 */
function availableUntil(interview: Interview, giveUpMinutes: number, waitMinutes: number | undefined, nextBusy: Millis | null | undefined): Millis {
  const giveUp = interview.start + (Number.isFinite(giveUpMinutes) ? Math.max(0, giveUpMinutes) : 0) * 60_000;
  if (waitMinutes === undefined || !Number.isFinite(waitMinutes)) return giveUp;
  return availableUntilFor({ availableUntil: giveUp, now: interview.start + Math.max(0, waitMinutes) * 60_000, nextBusy: nextBusy ?? null });
}

/** Who the brief and the voicemail name: a person's name, else their address, else "the interviewer". */
function counterpartLabel(interview: Interview): string {
  return addressName(interview.counterpart.name) || headerToken(interview.counterpart.email, 254) || 'the interviewer';
}

function theirZone(interview: Interview, zoneSet: string | null | undefined, candidateZone: string): string | null {
  return interviewRecipientZone(interview, zoneSet, candidateZone);
}

/**
 * What to say when the call goes to voicemail, as the article lists it: who is calling and why,
 * the time it is now, the planned time, a number to call back (said twice, as people write it
 * down) and how long the candidate stays available. Worded by who was to dial.
 */
export function voicemailScript(input: VoicemailInput): string {
  const { interview, candidate } = input;
  const zone = safeZone(candidate.timezone);
  const other = theirZone(interview, input.zoneSet, candidate.timezone);
  const name = greetingName(interview.counterpart.name);
  const me = oneLine(candidate.name, 80);
  // "for you", not "your time": a zone said with "time" ("India time", "Sydney time") would be
  // heard as "6:30 PM India time your time".
  const planned = spokenTime(interview.start, zone, other, { otherLabel: 'for you' });
  // The planned time before it named their date; a second date in one spoken message is noise.
  const until = spokenTime(availableUntil(interview, input.giveUpMinutes, input.waitMinutes, input.nextBusy), zone, other, { otherLabel: 'for you', otherWeekdayOnly: true });
  const mine = candidateNumber(interview, candidate);
  const hello = `${name === '' ? 'Hello' : `Hello ${name}`}, this is ${me === '' ? 'your interview candidate' : me}`;
  const callback = mine === null ? 'Please call me back when you can.' : `You can call me back at ${mine}; again, that is ${mine}.`;
  const opening = dialsIn(interview)
    ? `${hello}. It is [the time now]; I joined our phone interview planned for ${planned} on the dial-in line and waited.`
    : interview.direction === 'interviewer-calls'
      ? `${hello}. It is [the time now], and I was expecting your call for our phone interview planned for ${planned}.`
      : `${hello}, calling at [the time now] for our phone interview planned for ${planned}.`;
  const retry = interview.direction === 'candidate-calls' && !dialsIn(interview) ? ' I will try you again in a few minutes.' : '';
  return `${opening}${retry} ${callback} I will stay available until ${until}. Thank you, and I look forward to speaking with you.`;
}

/** The article's practical advice, for the minutes before the call. */
const CHECKLIST: readonly string[] = [
  'A quiet place with good reception (a landline if you have one); phone charged, volume on.',
  'Job description, resume, your notes and your calendar at hand.',
];

function beforeLines(interview: Interview): string[] {
  const dial = dialsIn(interview)
    ? ['Have the invitation open: the dial-in number and the meeting ID or passcode; dial in a minute or two before the time.']
    : interview.direction === 'candidate-calls'
      ? ['Double-check the number before you dial; if nobody answers, leave the voicemail below and try again a few minutes later.']
      : interview.direction === 'interviewer-calls'
        ? ['Keep the line free from a few minutes before the time.']
        : ['Who dials is not settled: the confirmation asks them; check their answer before the call.'];
  return ['Before the call:', ...[...CHECKLIST, ...dial].map((line) => `  - ${line}`)];
}

function ifWrongLines(interview: Interview, wait: string, id: string): string[] {
  const noCall = dialsIn(interview)
    ? `Nobody joins: stay on the line at least 15 minutes; a "we did not connect" draft is in your Drafts at ${wait}: send it if nobody came.`
    : interview.direction === 'candidate-calls'
      ? `Nobody answers: wait at least 15 minutes and try again; a "we did not connect" draft is in your Drafts at ${wait}: send it if you could not reach them.`
      : interview.direction === 'interviewer-calls'
        ? `They have not called: a "we did not connect" draft is in your Drafts at ${wait}: send it if the call did not happen.`
        : `You have not connected: a "we did not connect" draft is in your Drafts at ${wait}: send it if the call did not happen.`;
  return [
    'If it goes wrong:',
    `  - ${noCall}`,
    `  - You missed it: take a breath, gather your notes, and call back right away; then "ringback outcome ${id} candidate-missed" puts a short apology with free times in your Drafts.`,
  ];
}

function dialLines(interview: Interview, candidate: Candidate): string[] {
  const who = counterpartLabel(interview);
  const number = interview.number;
  const formatted = number === null ? null : displayNumber(number);
  const plausible = number !== null && isPlausiblePhone(number);
  const numberLine =
    formatted === null
      ? 'Number: no number found in the event; check the invitation or ask for one.'
      : plausible
        ? `Number: ${formatted}`
        : `Number: ${formatted} (this number looks implausible; check it against the invitation)`;
  switch (interview.direction) {
    case 'candidate-calls':
      // A meeting's bridge: its number needs the meeting's ID, so it is no number to call a person at.
      if (dialsIn(interview)) return [`Who dials: you dial in to the meeting's bridge, where ${who} joins.`, "Number: the bridge's number and meeting ID or passcode, in the invitation."];
      return [`Who dials: you call ${who}.`, numberLine];
    case 'interviewer-calls': {
      const lines = [`Who dials: ${who} calls you.`, numberLine];
      const mine = candidateNumber(interview, candidate);
      if (formatted === null && mine !== null) lines.push(`They should have your number: ${mine}`);
      return lines;
    }
    case 'unknown':
      return ['Who dials: not clear from the event; settle it in the confirmation email.', numberLine];
  }
}

function companyLines(interview: Interview, history: CompanyHistory): string[] {
  const company = oneLine(interview.company ?? '', 120);
  const noShows = Math.max(0, Math.trunc(history.interviewerNoShows) || 0);
  const misses = Math.max(0, Math.trunc(history.candidateMisses) || 0);
  const lines = [
    `Company: ${company === '' ? 'not known' : company}`,
    `History: ${plural(noShows, 'earlier interviewer no-show', 'earlier interviewer no-shows')}, ${plural(misses, 'call', 'calls')} you missed`,
  ];
  if (history.pattern) {
    lines.push(
      'PATTERN: this company has repeatedly missed calls. Confirmations to it stay drafts until you clear it; it may be worth weighing other opportunities.',
    );
  }
  return lines;
}

export function composeBrief(input: BriefInput): string {
  const { interview, candidate } = input;
  const zone = safeZone(candidate.timezone);
  const other = theirZone(interview, input.zoneSet, candidate.timezone);
  const waitMinutes = Number.isFinite(input.waitMinutes) ? Math.max(0, input.waitMinutes) : 0;
  const title = oneLine(interview.title, 200);
  const minutes = Math.max(0, Math.round((interview.end - interview.start) / 60_000)) || 0;
  const until = availableUntil(interview, input.giveUpMinutes, waitMinutes, input.nextBusy);
  const email = headerToken(interview.counterpart.email, 254);
  const name = oneLine(interview.counterpart.name, 80);
  // A no-reply invitation: the brief says why no email goes to them by itself.
  const address = interview.counterpart.email === null ? ' (no address to write to: the invitation came from a no-reply address)' : email === '' ? '' : ` <${email}>`;
  const notes = manyLines(interview.notes, NOTES_MAX_CHARS, NOTES_MAX_LINES);
  const lines = [
    `Phone interview: ${title === '' ? '(untitled)' : title}`,
    `When: ${spokenTime(interview.start, zone, other, { withDate: true, otherLabel: 'for them' })}${minutes > 0 ? `, ${plural(minutes, 'minute', 'minutes')}` : ''}`,
    ...(input.now > interview.start ? ['(This call has already started or passed.)'] : []),
    ...dialLines(interview, candidate),
    `With: ${name === '' ? '(no name)' : name}${address}`,
    ...companyLines(interview, input.history),
    ...(notes.length === 0 ? ['Notes: none'] : ['Notes:', ...notes.map((line) => `  ${line}`)]),
    ...beforeLines(interview),
    interview.direction === 'interviewer-calls' || dialsIn(interview) ? 'Voicemail, if you call them back and nobody answers:' : 'Voicemail, if nobody answers:',
    `  "${voicemailScript({ interview, candidate, giveUpMinutes: input.giveUpMinutes, waitMinutes, zoneSet: input.zoneSet ?? null, nextBusy: input.nextBusy ?? null })}"`,
    `Stay available until ${spokenTime(until, zone, other, { otherLabel: 'for them' })}.`,
    ...ifWrongLines(interview, spokenTime(interview.start + waitMinutes * 60_000, zone, null), interview.id),
    `Your number: ${formatPhoneForDisplay(candidate.phone)}`,
  ];
  return `${lines.join('\n')}\n`;
}
