/**
 * The brief: the sheet to have in front of you before a phone interview (`ringback brief <id>`).
 * When, who dials whom and at which number (checked, so a missing or odd number shows up before
 * the call and not during it), who the counterpart is and how their company has kept earlier
 * calls, the event's notes, and what to say to a voicemail box.
 *
 * Plain text lines, read by the candidate. Pure: `now` is a parameter.
 */
import type { Candidate, Interview, Millis } from './types.js';
import { formatPhoneForDisplay, formatTimeBothZones, isPlausiblePhone, knownZone, plural, safeZone } from './format.js';
import { addressName, candidateNumber, displayNumber, greetingName } from './templates/email.js';
import { headerToken, manyLines, oneLine } from './templates/text.js';

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
}

export interface VoicemailInput {
  readonly interview: Interview;
  readonly candidate: Candidate;
  readonly giveUpMinutes: number;
}

const NOTES_MAX_CHARS = 600;
const NOTES_MAX_LINES = 12;

function availableUntil(interview: Interview, giveUpMinutes: number): Millis {
  const minutes = Number.isFinite(giveUpMinutes) ? Math.max(0, giveUpMinutes) : 0;
  return interview.start + minutes * 60_000;
}

function counterpartLabel(interview: Interview): string {
  return addressName(interview.counterpart.name) || headerToken(interview.counterpart.email, 254) || 'the interviewer';
}

/**
 * What to say when the call goes to voicemail: who is calling and why, the planned time, a number
 * to call back (said twice, as people write it down), and how long the candidate stays available.
 */
export function voicemailScript(input: VoicemailInput): string {
  const { interview, candidate } = input;
  const zone = safeZone(candidate.timezone);
  const theirZone = knownZone(interview.timeZone);
  const name = greetingName(interview.counterpart.name);
  const me = oneLine(candidate.name, 80);
  const planned = formatTimeBothZones(interview.start, zone, theirZone, { withDate: false, otherLabel: 'your time' });
  const until = formatTimeBothZones(availableUntil(interview, input.giveUpMinutes), zone, theirZone, {
    withDate: false,
    otherLabel: 'your time',
  });
  const mine = candidateNumber(interview, candidate);
  const hello = name === '' ? 'Hello' : `Hello ${name}`;
  const opening = `${hello}, this is ${me === '' ? 'your interview candidate' : me}, calling for our phone interview planned for ${planned}.`;
  const callback = mine === null ? 'Please call me back when you can.' : `You can call me back at ${mine}; again, that is ${mine}.`;
  return `${opening} ${callback} I will stay available until ${until}. Thank you, and I look forward to speaking with you.`;
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
  const theirZone = knownZone(interview.timeZone);
  const title = oneLine(interview.title, 200);
  const minutes = Math.max(0, Math.round((interview.end - interview.start) / 60_000)) || 0;
  const until = availableUntil(interview, input.giveUpMinutes);
  const email = headerToken(interview.counterpart.email, 254);
  const name = oneLine(interview.counterpart.name, 80);
  const notes = manyLines(interview.notes, NOTES_MAX_CHARS, NOTES_MAX_LINES);
  const lines = [
    `Phone interview: ${title === '' ? '(untitled)' : title}`,
    `When: ${formatTimeBothZones(interview.start, zone, theirZone, { otherLabel: 'for them' })}${minutes > 0 ? `, ${plural(minutes, 'minute', 'minutes')}` : ''}`,
    ...(input.now > interview.start ? ['(This call has already started or passed.)'] : []),
    ...dialLines(interview, candidate),
    `With: ${name === '' ? '(no name)' : name}${email === '' ? '' : ` <${email}>`}`,
    ...companyLines(interview, input.history),
    ...(notes.length === 0 ? ['Notes: none'] : ['Notes:', ...notes.map((line) => `  ${line}`)]),
    'Voicemail, if nobody answers:',
    `  "${voicemailScript({ interview, candidate, giveUpMinutes: input.giveUpMinutes })}"`,
    `Stay available until ${formatTimeBothZones(until, zone, theirZone, { withDate: false, otherLabel: 'for them' })}.`,
    `Your number: ${formatPhoneForDisplay(candidate.phone)}`,
  ];
  return `${lines.join('\n')}\n`;
}
