/**
 * Who an invitation names as the interviewer, read from its text. Used twice: when the invitation
 * came from an address nobody reads (an ATS's no-reply sender) and lists nobody else, the name lets
 * the drafts greet that person ("Hi Sam,") although they cannot be addressed to them; and when a
 * coordinator's calendar sent it with the interviewer among the attendees, the name tells which
 * attendee the emails are for (detection/interviewer.ts).
 *
 * Three ways of naming, in this order (a labelled line is the more reliable):
 * - a labelled line, "Interviewer: Sam Lee, Talent Partner" → "Sam Lee";
 * - a phrase just before the name, "You'll be speaking with Sam Lee, Engineering Manager" → "Sam Lee";
 * - the words before a phrase saying that the interviewer will call, "Sam will call you" → "Sam".
 *
 * A name is one to four capitalised words, none of them a word that is never a name ("The
 * Recruiter will call you" names nobody). Nothing here is sure; the user reads every draft.
 */
import data from './words.json' with { type: 'json' };
import { plainText, type Reading } from './reading.js';
import { isNameWord, readable, type Hit } from './words.js';

const LABELS = new Set(data.interviewerNames.labels.map((w) => readable(w).trim()));
/**
 * Lead-ins ("you'll be speaking with"), each followed by a space in the text, by their first word:
 * a line is split at its spaces once and only the lead-ins starting with one of its words are
 * tried (trying each of them on every line cost 50 µs on a 6 KB description).
 */
const LEAD_INS = new Map<string, string[]>();
for (const word of data.interviewerNames.leadIns) {
  const lead = `${readable(word).trim()} `;
  const first = lead.slice(0, lead.indexOf(' '));
  LEAD_INS.set(first, [...(LEAD_INS.get(first) ?? []), lead]);
}
/** What may stand before a lead-in's first word: an opening bracket or quote, a bullet. */
const BEFORE_WORD = new Set([...'("\'“‘«¿¡*•·-']);

/** Longest label in characters: the text before a colon is a label only when shorter. */
const LABEL_MAX = Math.max(...[...LABELS].map((l) => l.length));

/** Characters that end the name on a labelled line: a comma, a bracket, a dash between spaces… */
const NAME_END = /\s[-–—|/&]\s|[,;()[\]<>|/]|\s(?:and|und|et|y|e|en)\s/u;
const MAX_WORDS = 4;
const NAME_LIMIT = 120;

/** Names that are the candidate's own ("Candidate: Ada Park", a hiring-side invitation): never the interviewer. */
function isOwn(name: string, own: readonly string[]): boolean {
  const said = readable(name);
  return own.some((o) => {
    const mine = readable(o).trim();
    return mine !== '' && (said === mine || said === mine.split(/\s+/)[0]);
  });
}

/** The name at the start of `text`: its leading name words, or null when the first is none. */
function leadingName(text: string): string | null {
  const segment = text.slice(0, NAME_LIMIT * 2).split(NAME_END)[0] ?? '';
  const words = segment.trim().split(/\s+/);
  const name: string[] = [];
  let ended = false;
  for (const word of words) {
    if (name.length === MAX_WORDS || !isNameWord(word)) break;
    // "Sam Lee. Sam will call you": a dotted word past the first that is no initial ends the sentence, and the name.
    ended = name.length > 0 && /^\p{Lu}[\p{L}\p{M}]+\.$/u.test(word);
    name.push(ended ? word.slice(0, -1) : word);
    if (ended) break;
  }
  // "Sam Lee Talent Partner": more name words than a name holds is a title, not a name.
  if (name.length === 0 || (!ended && name.length === MAX_WORDS && words.length > MAX_WORDS)) return null;
  return name.join(' ').slice(0, NAME_LIMIT);
}

/** The name at the end of `text` ("Our recruiter Sam Lee" → "Sam Lee"), at most two words. */
function trailingName(text: string): string | null {
  const words = text.slice(-NAME_LIMIT).trim().split(/\s+/);
  const name: string[] = [];
  for (let i = words.length - 1; i >= 0 && name.length < 2; i--) {
    const word = words[i] ?? '';
    if (!isNameWord(word)) break;
    name.unshift(word);
  }
  return name.length === 0 ? null : name.join(' ');
}

/**
 * The names at the start of `text`, one a part ("Sam Lee, Kim Soto and Noor Haddad"), or none when
 * the first part is no name. A part that is not one ("Talent Partner") is no second person.
 */
function leadingNames(text: string): string[] {
  const first = leadingName(text);
  if (first === null) return [];
  const names = [first];
  for (const part of text.slice(0, NAME_LIMIT * 2).split(NAME_END).slice(1, 6)) {
    const name = leadingName(part.trim());
    if (name !== null && !names.includes(name)) names.push(name);
  }
  return names;
}

/** "Interviewer: Sam Lee, Talent Partner" → "Sam Lee". */
function labelledNames(raw: string): string[] {
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon > LABEL_MAX + 4) return [];
  const label = readable(raw.slice(0, colon)).replace(/^[\s*•·-]+/, '').trim();
  if (!LABELS.has(label)) return [];
  return leadingNames(raw.slice(colon + 1));
}

/**
 * "You'll be speaking with Sam Lee, Engineering Manager" → "Sam Lee": the names right after the
 * first lead-in of the line. The lead-in must start a word; offsets are in the text as read, used
 * only when that reading kept the text's length.
 */
function leadInNames(raw: string): string[] {
  const text = readable(raw);
  if (text.length !== raw.length) return [];
  for (let at = 0; at < text.length; ) {
    const space = text.indexOf(' ', at);
    const end = space < 0 ? text.length : space;
    let start = at;
    while (start < end && BEFORE_WORD.has(text[start]!)) start++;
    for (const lead of LEAD_INS.get(text.slice(start, end)) ?? []) {
      if (!text.startsWith(lead, start)) continue;
      const names = leadingNames(raw.slice(start + lead.length));
      if (names.length > 0) return names;
    }
    at = end + 1;
  }
  return [];
}

function lineNames(raw: string): string[] {
  const labelled = labelledNames(raw);
  return labelled.length > 0 ? labelled : leadInNames(raw);
}

/**
 * The name before the first "will call you" of a text. Offsets of a hit are in the text as read
 * (lower case, normalised); they are used only when that reading kept the text's length.
 */
function callerName(raw: string, hits: readonly Hit[]): string | null {
  const hit = hits.find((h) => h.signals.includes('interviewerCalls'));
  if (hit === undefined || readable(raw).length !== raw.length) return null;
  return trailingName(raw.slice(0, hit.index));
}

/**
 * The interviewer the invitation's text names, or null when it names nobody. `own` are the
 * candidate's names (config and the attendee marked as them), never taken for the interviewer.
 */
export function namedInterviewer(reading: Reading, location: string, own: readonly string[]): string | null {
  const name = namedInterviewers(reading, location)[0];
  return name === undefined || isOwn(name, own) ? null : name;
}

/**
 * Every person the first place naming anyone names ("Interviewers: Sam Lee, Kim Soto"), the
 * candidate's own names left out; empty when the text names nobody. All of them, so that two
 * named people who are both on the event choose neither (detection/interviewer.ts).
 */
export function interviewersNamed(reading: Reading, location: string, own: readonly string[]): string[] {
  return namedInterviewers(reading, location).filter((name) => !isOwn(name, own));
}

/** Who the text names as the interviewer, read only when asked (most events never need it). */
export interface Naming {
  /** {@link interviewersNamed}. */
  readonly all: () => readonly string[];
  /** {@link namedInterviewer}. */
  readonly first: () => string | null;
}

export function namingOf(reading: Reading, location: string, own: () => readonly string[]): Naming {
  return { all: () => interviewersNamed(reading, location, own()), first: () => namedInterviewer(reading, location, own()) };
}

function namedInterviewers(reading: Reading, location: string): string[] {
  // As the reading read it, so that its hits' offsets fit.
  const place = plainText(location);
  const lines = reading.lines.filter((line) => !line.inBlock);
  for (const line of lines) {
    const names = lineNames(line.raw);
    if (names.length > 0) return names;
  }
  const fromLocation = lineNames(place);
  if (fromLocation.length > 0) return fromLocation;
  const caller = callerName(place, reading.location);
  if (caller !== null) return [caller];
  for (const line of lines) {
    const name = callerName(line.raw, line.hits);
    if (name !== null) return [name];
  }
  return [];
}
