/**
 * Reading an event's text as a person does: the title, the location, and the description line by
 * line, with the joining blocks that meeting providers append (Google Meet, Zoom, Teams, Webex)
 * told apart from what a person wrote. Pure and bounded: long text is cut before it is read.
 */
import { namedCalls } from './imperative.js';
import { jobNameInTitle, jobNamesInLine, outsideJobNames } from './job-title.js';
import { withoutKeypadPress } from './keypad.js';
import { readable, scan, type Hit, type Lexicon, type Signal } from './words.js';

/** Only this much of a title, location or description is read. */
export const READ_LIMIT = 32_768;
/** At most this many lines of a description are read. */
const MAX_LINES = 600;

export interface Line {
  /** The line as written (HTML removed), for numbers and for evidence. */
  readonly raw: string;
  readonly hits: readonly Hit[];
  /** Inside a provider's joining block: nothing here was written by a person. */
  readonly inBlock: boolean;
  /** "Event Name: …", "What: …": a scheduler names the event type here, as a title would. */
  readonly labelled: boolean;
  /** Holds something shaped like a phone number (7 digits or more); cheap, not yet parsed. */
  readonly numberLike: boolean;
}

export interface Reading {
  readonly title: readonly Hit[];
  readonly titleKeywords: readonly Hit[];
  readonly titleText: string;
  readonly location: readonly Hit[];
  readonly locationText: string;
  /** The location is short and mostly a phone number ("+1 415 555 0100", "Phone: …"). */
  readonly locationIsNumber: boolean;
  readonly lines: readonly Line[];
}

const HTML_HINT = /<\/?(?:br|p|div|span|a|b|i|u|li|ul|ol|table|tr|td|font|strong|em|h\d)\b[^<>]{0,500}>/i;
const ENTITIES: Readonly<Record<string, string>> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Calendar descriptions often hold HTML (Google, Outlook); numbers in `tel:` links are kept. */
export function plainText(text: string): string {
  const cut = text.slice(0, READ_LIMIT);
  if (!HTML_HINT.test(cut)) return cut;
  return cut
    .replace(/href\s*=\s*["']tel:([^"'<>]{1,60})["']/gi, '> $1 <')
    .replace(/<br\s*\/?>|<\/(?:p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^<>]{0,1000}>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ENTITIES[name] ?? ' ');
}

/**
 * What may be a phone number: digits with the separators people write between them, 7 to 20
 * digits. Bounded and without nested quantifiers, so linear on any text.
 */
export const NUMBER_SHAPE = /(?<![\d+])(?:\+\s?|\(\s?)?\d[\d\s()./\u00a0\u2010-\u2015-]{5,24}\d/g;

/** Web addresses carry digits (a Zoom meeting's id) that are no phone number. */
const WEB_ADDRESS = /\b(?:https?:\/\/|www\.)[^\s<>"]{0,2000}/gi;

/** The text without its web addresses, where numbers are looked for. */
function withoutLinks(text: string): string {
  return text.includes('http') || text.includes('www.') ? text.replace(WEB_ADDRESS, ' ') : text;
}

/**
 * A date with its year ("2026-12-15", "15.12.2026", "12/15/2026"): before an hour ("2026-12-15
 * 10:00") its digits read as a valid US number (+1 202 612 1510). Linear: no nested quantifiers.
 */
const DATE = /(?<!\d)(?:(?:19|20)\d\d([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|1[0-2])\2(?:19|20)\d\d|(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])\/(?:19|20)\d\d)(?!\d)/g;

/**
 * A North American number with letters for some digits ("1-800-FLOWERS", "1-855-555-01GO"), as
 * recruiting lines advertise them: the letters are the digits of the keypad (ITU E.161). Only
 * capitals after a full area code, so that no word of a sentence is read as digits.
 */
const PHONEWORD = /(?<![\p{L}\d+])((?:\+?1[\s.-]?)?\(?[2-9]\d\d\)?[\s.-]?)([2-9A-Z][\dA-Z]{2}[\s.-]?[\dA-Z]{4})(?![\p{L}\d])/gu;
const KEYPAD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const KEYPAD_DIGITS = '22233344455566677778889999';

function keypadDigits(text: string): string {
  if (!/\d[\s.-]?[A-Z]{2}/.test(text)) return text;
  return text.replace(PHONEWORD, (whole, area: string, local: string) =>
    /[A-Z]/.test(local) ? area + local.replace(/[A-Z]/g, (letter) => KEYPAD_DIGITS[KEYPAD.indexOf(letter)]!) : whole,
  );
}

/**
 * A number spelled out in English words, digit by digit ("eight five eight, five five five, zero one
 * two nine"), as people write a number to be read aloud: seven digits or more become digits.
 */
const DIGIT_WORD = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)';
const SPELLED = new RegExp(`\\b${DIGIT_WORD}(?:[\\s,.-]{1,3}${DIGIT_WORD}){6,14}\\b`, 'gi');
const DIGITS: Readonly<Record<string, string>> = { zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9' };

/** {@link SPELLED} for one test (no `g` flag, so no state between lines). */
const SPELLED_LINE = new RegExp(`\\b${DIGIT_WORD}(?:[\\s,.-]{1,3}${DIGIT_WORD}){6,14}\\b`, 'i');
const CALLING: readonly Signal[] = ['candidateCalls', 'interviewerCalls', 'theirNumber', 'candidateNumber'];
function saysWhoCalls(hits: readonly Hit[]): boolean {
  return hits.some((h) => h.signals.some((s) => CALLING.includes(s)));
}

const SPELLED_HINT = /\b(?:zero|one|two|three|four|five|six|seven|eight|nine)\b/i;

function spelledDigits(text: string): string {
  if (!SPELLED_HINT.test(text)) return text;
  return text.replace(SPELLED, (words) => words.split(/[\s,.-]+/).map((w) => DIGITS[w.toLowerCase()] ?? '').join(''));
}

/**
 * A decimal digit of another script than 0–9: fullwidth (U+FF10–FF19, as Japanese and Chinese emails
 * often write numbers), Eastern Arabic (٠–٩) and its Persian forms (۰–۹), Devanagari (०–९), Thai
 * (๐–๙), Khmer (០–៩) and every other Unicode decimal digit (held-out round 21). Unicode encodes each
 * script's digits as one run of ten in order, zero first, so a digit's value is its distance from
 * the start of its run, modulo ten (runs of ten follow one another, as in the mathematical digits).
 */
const OTHER_DIGIT = /(?![0-9])\p{Nd}/u;
const OTHER_DIGITS = /(?![0-9])\p{Nd}/gu;
/** Fullwidth "(", ")", "+", "-", ".", "/" and the ideographic space, as they sit between fullwidth digits. */
const FULLWIDTH_SEPARATORS = /[\uff08\uff09\uff0b\uff0d\uff0e\uff0f\u3000]/g;

function digitValue(digit: string): string {
  const code = digit.codePointAt(0)!;
  let zero = code;
  while (zero > code - 60 && OTHER_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String((code - zero) % 10);
}

/** `text` with every decimal digit written 0–9, and fullwidth separators as ASCII; the same length for digits of the Basic Multilingual Plane. */
function asciiDigits(text: string): string {
  if (!OTHER_DIGIT.test(text)) return text;
  return text
    .replace(OTHER_DIGITS, digitValue)
    .replace(FULLWIDTH_SEPARATORS, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** The text where phone numbers are looked for: without its web addresses and its dates, digits of any script as 0–9, letters of a phoneword and spelled digits as digits. */
export function numberText(text: string): string {
  const linkless = spelledDigits(keypadDigits(asciiDigits(withoutLinks(text))));
  return /(?:19|20)\d\d/.test(linkless) ? linkless.replace(DATE, ' ') : linkless;
}

/** Three digits close together, or one digit of another script: cheap, one pass over the line. */
const DIGITS_HINT = /\d\D?\d\D?\d|(?![0-9])\p{Nd}/u;

function isNumberLike(raw: string): boolean {
  if (!DIGITS_HINT.test(raw)) return false;
  const text = numberText(raw.slice(0, 2_000));
  for (const match of text.matchAll(NUMBER_SHAPE)) {
    if ((match[0].match(/\d/g)?.length ?? 0) >= 7) return true;
  }
  return false;
}

function isLabelled(text: string, lexicon: Lexicon): boolean {
  const colon = text.indexOf(':');
  return colon > 0 && colon <= 30 && lexicon.labels.has(text.slice(0, colon).trim());
}

function has(hits: readonly Hit[], signal: Signal): boolean {
  return hits.some((h) => h.signals.includes(signal));
}

/**
 * A line's hits with its requests to dial a named person ("Call Jacob at …", detection/imperative.ts)
 * among them, in order. Not in a provider's block: nobody there asks anyone to call a person. `raw` is
 * the line as written, of which `text` is the reading: a number's end joined on from the next line
 * is not (the hits' offsets are the written line's).
 */
function withNamedCalls(hits: Hit[], raw: string, text: string, inBlock: boolean): Hit[] {
  if (inBlock) return hits;
  const named = namedCalls(raw, text);
  return named.length === 0 ? hits : [...hits, ...named].sort((a, b) => a.index - b.index);
}

/** A line that ends with the start of a number: "+1 (646)", "(646)", "+44 20". */
const NUMBER_START_AT_END = /(?:^|[^\d\s()+.-])[\s:]*(?:\+\s?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})\s*$/;
/** A line that starts with the rest of one: "555-0134", "7946 0321". */
const NUMBER_REST_AT_START = /^\s*(\d{3,4}[\s.-]?\d{3,4})(?!\d)/;

/**
 * "please call my direct line: +1 (646)" and "555-0134" on the next line: a number a narrow window
 * or a signature broke in two is read whole on the line that holds its start. A line that holds a
 * number of its own is left as it is.
 */
function withNumberEnd(raw: string, next: string | undefined): string {
  if (next === undefined || !/[\d)]\s*$/.test(raw) || !/^\s*\d/.test(next)) return raw;
  const rest = NUMBER_REST_AT_START.exec(next);
  if (rest === null || !NUMBER_START_AT_END.test(raw.slice(-40)) || isNumberLike(raw)) return raw;
  return `${raw} ${rest[1]}`;
}

/** What a description's lines say, and the jobs they name (the title's job is read against them). */
interface DescriptionReading {
  readonly lines: readonly Line[];
  readonly described: ReadonlySet<string>;
}

/**
 * Descriptions up to this long are remembered once read, and at most this many of them per lexicon.
 * A calendar lists each occurrence of a recurring meeting as an event of its own (Google's
 * `singleEvents=true`, src/providers/google/calendar.ts), each with the series' description, and
 * many meetings carry the same agenda or joining text: a first sync read the same description
 * hundreds of times (fleet benchmark, bench/README.md 2026-12-07 19:30). A longer description is
 * read each time, so that what is kept stays small (a description of any size is read as before).
 */
const REMEMBERED_LENGTH = 4_096;
const REMEMBERED_COUNT = 256;
let remembered = new WeakMap<Lexicon, Map<string, DescriptionReading>>();

/**
 * Forgets every description read (the detect benchmark reads each pass of its events from cold, so
 * that its figure counts reading, not remembering).
 */
export function forgetDescriptions(): void {
  remembered = new WeakMap();
}

/**
 * The description's reading, shared by every event with the same text: frozen, so that no reader of
 * one event's lines can change another's (a write to them throws).
 */
function readDescription(description: string, lexicon: Lexicon): DescriptionReading {
  if (description.length > REMEMBERED_LENGTH) return readDescriptionLines(description, lexicon);
  let known = remembered.get(lexicon);
  if (known === undefined) {
    known = new Map();
    remembered.set(lexicon, known);
  }
  const found = known.get(description);
  if (found !== undefined) return found;
  const read = readDescriptionLines(description, lexicon);
  for (const line of read.lines) {
    for (const hit of line.hits) Object.freeze(hit);
    Object.freeze(line.hits);
    Object.freeze(line);
  }
  Object.freeze(read.lines);
  // The oldest goes first once the bound is reached (a Map keeps its insertion order).
  if (known.size >= REMEMBERED_COUNT) known.delete(known.keys().next().value as string);
  known.set(description, read);
  return read;
}

function readDescriptionLines(description: string, lexicon: Lexicon): { lines: Line[]; described: Set<string> } {
  const plain = plainText(description).replace(/\r\n?/g, '\n');
  const rawLines = plain.split('\n', MAX_LINES);
  // One reading of the whole text, split the same way: lower-casing never adds or removes a line break.
  const readLines = readable(plain).split('\n', MAX_LINES);
  const lines: Line[] = [];
  const described = new Set<string>();
  let inBlock = false;
  for (const [index, written] of rawLines.entries()) {
    const text = readLines[index] ?? '';
    const raw = inBlock ? written : withNumberEnd(written, rawLines[index + 1]);
    const closes = lexicon.blockClose.some((marker) => text.includes(marker));
    if (inBlock && closes) {
      lines.push({ raw, hits: [], inBlock: true, labelled: false, numberLike: false });
      inBlock = false;
      continue;
    }
    const blank = text.trim() === '';
    // A job's name ("for the Prep Cook position") says what the job is, not what the event is: no evidence.
    const jobs = blank || inBlock ? [] : jobNamesInLine(text);
    for (const job of jobs) described.add(job.text);
    const hits = blank ? [] : withoutKeypadPress(outsideJobNames(withNamedCalls(scan(text, lexicon.byFirst, 60), written, text, inBlock), jobs), text);
    // "Please join by phone using one of the numbers below": a person's sentence that names a provider's
    // heading ("join by phone") asks the candidate to dial in; it is read as theirs, and the provider's
    // own heading below it opens the block.
    if (!inBlock && has(hits, 'blockOpen') && !has(hits, 'callsIn')) inBlock = true;
    lines.push({
      raw,
      hits,
      inBlock,
      labelled: !inBlock && !blank && isLabelled(text, lexicon),
      // A number spelled in words is looked for only in a sentence that says who calls: every line is read here.
      numberLike: !blank && (isNumberLike(raw) || (saysWhoCalls(hits) && SPELLED_LINE.test(raw))),
    });
  }
  return { lines, described };
}

/** Reads the three text fields of an event. */
export function readEvent(fields: { title: string; location: string; description: string }, lexicon: Lexicon): Reading {
  const titleText = readable(fields.title.slice(0, READ_LIMIT));
  const locationText = readable(plainText(fields.location));
  const { lines, described } = readDescription(fields.description, lexicon);
  // "Phone interview – Prep Cook": the job the title names after its interview words gives no evidence.
  const titleHits = scan(titleText, lexicon.byFirst);
  const job = jobNameInTitle(titleText, titleHits.filter((h) => h.signals.includes('interview')), described);
  const titleJobs = job === null ? [] : [job];
  return {
    title: outsideJobNames(titleHits, titleJobs),
    titleKeywords: outsideJobNames(scan(titleText, lexicon.keywords), titleJobs),
    titleText,
    location: scan(locationText, lexicon.byFirst),
    locationText,
    locationIsNumber: locationText.length <= 80 && isNumberLike(locationText),
    lines,
  };
}

/**
 * Whether a number on line `index` belongs to a conference bridge: its line, or the line before
 * or after it, names a PIN, a meeting or conference ID, a passcode, "join by phone"…; or it sits in
 * a provider's block; or it is written with the pauses and `#` that dial a PIN (`,,123456#`).
 * A "Dial-in:" label alone does not make a bridge: a bridge is reached with a code, so the label
 * counts only with a code written within {@link CODE_REACH} lines. "Dial-in: please call Ruth at
 * 312-555-0122" is a number to call.
 */
export function isBridgeLine(lines: readonly Line[], index: number): boolean {
  const line = lines[index];
  if (line === undefined) return false;
  if (line.inBlock) return true;
  if (ONE_TAP.test(line.raw)) return true;
  for (const k of [index - 1, index, index + 1]) {
    const near = lines[k];
    if (near === undefined) continue;
    if (has(near.hits, 'bridge')) return true;
    // GoTo, Chime, RingCentral: the plain number, then its one-tap form with the meeting's code on the next line.
    if (k !== index && /\d\s*,,+\s*\d/.test(near.raw) && numbersShared(near.raw, line.raw)) return true;
  }
  // "Dial-in numbers:" above a short list of numbers, or on the number's own line or the next.
  let labelled = false;
  for (let k = index - CODE_REACH; k <= index + 1 && !labelled; k++) labelled = lines[k] !== undefined && has(lines[k]!.hits, 'dialIn');
  if (!labelled) return false;
  for (let k = index - CODE_REACH; k <= index + CODE_REACH; k++) {
    const near = lines[k];
    if (near !== undefined && (has(near.hits, 'bridge') || ONE_TAP.test(near.raw))) return true;
  }
  return false;
}

/**
 * A line that names a dial-in ("Join by phone", "PIN: …") or holds a bridge's number speaks of the
 * way into a video meeting: its "dial" or "phone" says nothing about a phone interview.
 */
export function isAboutBridge(lines: readonly Line[], index: number): boolean {
  const line = lines[index]!;
  if (has(line.hits, 'bridge') || (line.numberLike && isBridgeLine(lines, index))) return true;
  if (!has(line.hits, 'dialIn')) return false;
  // "Dial-in numbers:" as a heading: about a bridge when the first number under it is one.
  for (let k = index + 1; k <= index + CODE_REACH && k < lines.length; k++) {
    if (lines[k]!.numberLike) return isBridgeLine(lines, k);
  }
  return false;
}

/** How many lines away from a "Dial-in:" number its PIN or meeting ID may be written (a short list of numbers, then the code). */
const CODE_REACH = 4;

/** A number written with the pauses and `#` that dial a meeting's code, or a Google Meet phone link. */
const ONE_TAP = /\d\s*,,|,,\s*\d|\d#|tel\.meet/i;

/** Whether two lines hold the same number (last seven digits), as a bridge's one-tap line repeats its plain number. */
function numbersShared(a: string, b: string): boolean {
  const tail = (text: string): string[] => [...text.matchAll(/\d[\d\s().-]{5,20}\d/g)].map((m) => m[0].replace(/\D/g, '').slice(-7)).filter((d) => d.length === 7);
  const first = tail(a);
  return tail(b).some((d) => first.includes(d));
}

/**
 * The line a person wrote that asks the candidate to join the meeting's bridge by phone ("Please call
 * in with the Teams number below and enter the conference ID"), or undefined. Never a provider's
 * block, never a fallback ("in case the call drops, dial in …"): only the plan itself decides.
 */
export function dialInRequest(lines: readonly Line[]): Line | undefined {
  return lines.find((line) => !line.inBlock && has(line.hits, 'callsIn') && !isFallbackLine(line));
}

/** True when the line speaks of a fallback ("in case the video fails, we'll call you"). */
export function isFallbackLine(line: Line): boolean {
  return has(line.hits, 'fallback');
}

/** Where a sentence ends: its stop, then a space. */
export const SENTENCE_END = /[.!?]\s/g;
export const SENTENCE_STOP = /[.!?]\s/;

/**
 * The hits of the sentences before a fallback's ("Mr. Anand will call you. In case of any issue reach
 * me on …"; "Your interview will be on Microsoft Teams; please join the video call. Have your phone
 * nearby in case you have any technical issues"): a pasted email keeps several sentences on one line,
 * and only the fallback's own sentence speaks of what happens if the call fails. Offsets are the read
 * text's, used only when it kept the line's length; otherwise the whole line is left out, as before.
 */
export function beforeFallback(line: Line): readonly Hit[] {
  const fallback = line.hits.find((h) => h.signals.includes('fallback'));
  if (fallback === undefined || readable(line.raw).length !== line.raw.length) return [];
  let cut = -1;
  for (const stop of line.raw.slice(0, fallback.index).matchAll(SENTENCE_END)) cut = stop.index + 1;
  return cut < 0 ? [] : line.hits.filter((h) => h.end <= cut);
}
