/**
 * Who dials whom, and which number: read from the sentence around each number, as a person does.
 *
 * - A number next to a PIN, a meeting or conference ID, a passcode, "join by phone", or inside a
 *   meeting provider's joining block is a conference bridge: never a number to dial.
 * - "will call you / your cell at …", "your number", "invitee phone": the number is the
 *   candidate's own, so the interviewer dials. "call me at", "please dial", "my direct line": it is
 *   the interviewer's, so the candidate dials.
 * - A person's sentence asking the candidate to join the meeting's bridge by phone ("Please call in
 *   with the Teams number below and enter the conference ID"), on an invitation with a bridge and no
 *   number of a person's to call: the candidate dials in, with no number (a bridge is never one to
 *   dial as a person's), unless a sentence says the interviewer calls.
 * - Otherwise the earliest sentence that says who calls decides, then whose number is written, then
 *   the title; with no number to call written at all, the interviewer calls the candidate's own;
 *   only then the config's default direction.
 */
import { toE164 } from '../phone.js';
import type { Direction } from '../types.js';
import type { Evidence } from './classify.js';
import { NUMBER_SHAPE, SENTENCE_END, SENTENCE_STOP, beforeFallback, dialInRequest, isAboutBridge, isBridgeLine, isFallbackLine, numberText, type Line, type Reading } from './reading.js';
import { readable, regionsOf, type Hit, type Lexicon, type Signal } from './words.js';
import data from './words.json' with { type: 'json' };

export type Owner = 'candidate' | 'interviewer' | 'unsaid';

export interface WrittenNumber {
  readonly e164: string;
  readonly field: 'location' | 'description' | 'title';
  readonly owner: Owner;
  readonly bridge: boolean;
  /** The line it was written on, cut short, for evidence. */
  readonly context: string;
  /**
   * The same digits read as a number of the candidate's own country, when the number was read in the
   * country of its sentence's language instead ("646 555 0172" in a Spanish sentence: +52 646 …, or
   * +1 646 …). Both readings are plausible: the interview is left for the user to review.
   */
  readonly homeReading?: string;
}

/** A line longer than this is searched for numbers only in its first part (real ones are short). */
const LINE_SCAN = 1_000;
const MAX_NUMBERS = 20;

function has(hits: readonly Hit[], signal: Signal): boolean {
  return hits.some((h) => h.signals.includes(signal));
}

function ownerIn(hits: readonly Hit[]): Owner {
  const candidate = hits.findIndex((h) => h.signals.includes('candidateNumber'));
  const interviewer = hits.findIndex((h) => h.signals.includes('theirNumber'));
  if (candidate < 0 && interviewer < 0) {
    // "Jonas ruft Sie unter +49 … an", "we will call you on +44 …": the number they will dial is yours.
    return has(hits, 'interviewerCalls') ? 'candidate' : 'unsaid';
  }
  if (interviewer < 0) return 'candidate';
  if (candidate < 0) return 'interviewer';
  // Both in one sentence: the phrase nearest before the number is the one about it; the later one wins.
  return candidate > interviewer ? 'candidate' : 'interviewer';
}

/**
 * The valid numbers in one line, in order. Shapes are found with {@link NUMBER_SHAPE} and each is
 * parsed on its own: four times faster than searching the whole text with libphonenumber, which
 * matters at 20,000 events a second.
 */
function numbersIn(text: string, region: string | undefined, elsewhere: () => readonly string[], first: () => readonly string[] = () => [], own: string | null = null): Read[] {
  const found: Read[] = [];
  const scanned = text.slice(0, LINE_SCAN);
  const read = numberText(scanned);
  // Offsets are the line's only when reading its numbers kept its length.
  const kept = read.length === scanned.length;
  for (const match of read.matchAll(NUMBER_SHAPE)) {
    const home = toE164(match[0], region);
    const local = home === own || match[0].startsWith('+') || NANP_STYLE.test(match[0].trim()) ? null : inCountryOf(match[0], first());
    const e164 = local ?? home ?? (match[0].startsWith('+') ? null : inCountryOf(match[0], elsewhere()));
    const at = kept ? match.index : -1;
    if (e164 !== null && !found.some((f) => f.e164 === e164)) found.push(local !== null && home !== null && home !== local ? { e164, home, at } : { e164, home: null, at });
    if (found.length >= 5) break;
  }
  return found;
}

/** A number read from the text, and its reading in the candidate's country when it was read in another. */
interface Read {
  readonly e164: string;
  readonly home: string | null;
  /** Where it is in the line, or -1 when the line was read in another shape (spelled digits, links). */
  readonly at: number;
}

/** "(646) 555-0172", "646-555-0172": written the North American way, whatever the language around it. */
const NANP_STYLE = /^\(?\d{3}\)?[\s.-]?\d{3}[.-]\d{4}$/;

/**
 * A number written the local way ("070-174 06 52", "02-555-0142") that is no number of the
 * candidate's own country: the first country of the invitation's languages where it is valid.
 */
function inCountryOf(written: string, regions: readonly string[]): string | null {
  for (const region of regions) {
    const e164 = toE164(written, region);
    if (e164 !== null) return e164;
  }
  return null;
}

/**
 * Where numbers written without a country code may be from: the countries of the languages of
 * each line's own words first, then of the whole invitation's. Worked out only for a number that
 * is not valid in the candidate's country, which is rare.
 */
export type Elsewhere = (hits: readonly Hit[]) => readonly string[];

/**
 * Where a number written without a country code is read: `first`, before the candidate's own
 * country, and `elsewhere`, after it. A sentence written wholly in another country's language
 * ("καλέστε μας στο 210 555 0123") writes that country's numbers even when the digits also make a
 * number of the candidate's country (+1 210 …); a sentence with English in it may write either.
 */
export interface Places {
  readonly first: Elsewhere;
  readonly elsewhere: Elsewhere;
}

const NOWHERE: Places = { first: () => [], elsewhere: () => [] };

/**
 * {@link Places} for one reading: the line's languages, then the invitation's, then the country of
 * the event's own time zone; never the candidate's own country. The zone comes last because it is
 * the weakest hint: an English invitation names no country, so "020 7946 0321" in an event set in
 * Europe/London is a London number, but a zone is the calendar's, which may be the candidate's own
 * (then it adds nothing: their country is read first) or a travelling organizer's.
 */
export function elsewhereOf(reading: Reading, lexicon: Lexicon, own: string | undefined, zone?: string): Places {
  let whole: string[] | undefined;
  return {
    elsewhere: (hits) => {
      whole ??= regionsOf([...reading.title, ...reading.location, ...reading.lines.filter((l) => !l.inBlock).flatMap((l) => l.hits)], lexicon);
      const regions = [...new Set([...zoneFirst(regionsOf(hits, lexicon), zone), ...whole, ...(zone === undefined ? [] : [zone])])];
      return regions.filter((r) => r !== own);
    },
    first: (hits) => {
      if (hits.length === 0 || hits.some((h) => (lexicon.languages.get(h.phrase) ?? ['en']).includes('en'))) return [];
      return zoneFirst(regionsOf(hits, lexicon), zone).filter((r) => r !== own);
    },
  };
}

/**
 * A language written in several countries (Portuguese in Brazil and Portugal, Spanish in Spain and
 * Mexico): the event's own zone, when it is one of them, says which. "912 555 014" in a Portuguese
 * note set in Europe/Lisbon is a Lisbon mobile, not a number in Pará.
 */
function zoneFirst(regions: readonly string[], zone: string | undefined): readonly string[] {
  if (zone === undefined || regions[0] === zone || !regions.includes(zone)) return regions;
  return [zone, ...regions.filter((r) => r !== zone)];
}

/**
 * Every number written in the location and the description, with whose it is and whether it is a
 * bridge. `candidateWrote`: the user wrote the text to the other person on the event (see
 * {@link DiallingInput}): a number in the user's own "I will call you … on 617-…" is the other person's.
 */
export function writtenNumbers(reading: Reading, location: string, region: string | undefined, candidatePhone: string | null, places: Places = NOWHERE, candidateWrote = false): WrittenNumber[] {
  const { first, elsewhere } = places;
  const found: WrittenNumber[] = [];
  const push = ({ e164, home }: Read, field: WrittenNumber['field'], owner: Owner, bridge: boolean, context: string): void => {
    const seen = found.findIndex((n) => n.e164 === e164 && n.bridge === bridge);
    if (seen >= 0) {
      // The same number written twice: the sentence that says whose it is wins ("Where: +49 …", then "ruft Sie unter +49 … an").
      const earlier = found[seen]!;
      if (earlier.owner === 'unsaid' && owner !== 'unsaid') found[seen] = { ...earlier, owner };
      return;
    }
    if (found.length >= MAX_NUMBERS) return;
    found.push({ e164, field, owner: e164 === candidatePhone ? 'candidate' : owner, bridge, context: context.trim().slice(0, 120), ...(home === null ? {} : { homeReading: home }) });
  };
  if (reading.locationIsNumber || /\d{3}/.test(location)) {
    const bridge = has(reading.location, 'bridge');
    for (const read of numbersIn(location, region, () => elsewhere(reading.location), () => first(reading.location), candidatePhone)) push(read, 'location', ownerIn(reading.location), bridge, location);
  }
  reading.lines.forEach((line, index) => {
    // A conference bridge is never dialled, so its numbers are not even read.
    if (!line.numberLike || isBridgeLine(reading.lines, index)) return;
    const owner = ownerOfLine(reading.lines, index);
    for (const read of numbersIn(line.raw, region, () => elsewhere(line.hits), () => first(line.hits), candidatePhone)) {
      const writers = candidateWrote && (sentenceHits(line, read.at) ?? line.hits).some(isWritersCall);
      push(read, 'description', writers ? 'interviewer' : ownerInSentence(line, read.at, owner), false, line.raw);
    }
  });
  // "Phone screen - Ada Park - 415-555-0100": a number in the title, read last.
  if (/\d{3}/.test(reading.titleText)) {
    for (const read of numbersIn(reading.titleText, region, () => elsewhere(reading.title), () => first(reading.title), candidatePhone)) push(read, 'title', ownerIn(reading.title), false, reading.titleText);
  }
  return found;
}

/**
 * A text pasted on one line holds several sentences: "The controller will call your cell. Call me
 * right after to debrief: 213-555-0158." The number's own sentence speaks of another call and says
 * nothing of whose the number is, so what the sentence before says ("your cell") is not about it:
 * its owner is unsaid. A sentence that speaks of no call ("Your other number: …") keeps the line's.
 */
function ownerInSentence(line: Line, at: number, lineOwner: Owner): Owner {
  if (lineOwner === 'unsaid') return lineOwner;
  const hits = sentenceHits(line, at);
  if (hits === null) return lineOwner;
  const own = ownerIn(hits);
  if (own !== 'unsaid') return own;
  return hits.some((h) => h.signals.includes('call') || h.signals.includes('candidateCalls') || h.signals.includes('interviewerCalls')) ? 'unsaid' : lineOwner;
}

/**
 * The hits of the sentence that holds offset `at` of a line holding several sentences; null when the
 * line is one sentence, or reading changed its length (the hits' offsets are then not the line's).
 */
function sentenceHits(line: Line, at: number): readonly Hit[] | null {
  if (at < 0 || !SENTENCE_STOP.test(line.raw) || readable(line.raw).length !== line.raw.length) return null;
  let start = 0;
  let end = line.raw.length;
  for (const stop of line.raw.matchAll(SENTENCE_END)) {
    const cut = stop.index + 1;
    if (cut <= at) start = cut;
    else {
      end = cut;
      break;
    }
  }
  if (start === 0 && end === line.raw.length) return null;
  return line.hits.filter((h) => h.index >= start && h.end <= end);
}

/**
 * A number alone on its line ("Phone:\n+1 …") belongs to what the line before it says. A number an
 * invitation's form gives in a field of its own, after a phone or place label on its line ("Phone: +1
 * (208) …", "Where: (617) …") or under one ("Location", then "(971) 555-0142"), with no word on who
 * dials, is the number to call, as a number in the event's location is: schedulers and ATS forms
 * write the host's number there for the candidate to dial (held-out round 19: Poached, ePayHire,
 * GoHire, ClearedTalentConnect). The candidate's own number in such a field stays theirs (see
 * {@link writtenNumbers}), and a sentence that says who calls still decides ({@link diallingOf}).
 */
function ownerOfLine(lines: readonly Line[], index: number): Owner {
  const line = lines[index]!;
  const own = ownerIn(line.hits);
  if (own !== 'unsaid') return own;
  if (/\p{L}{3,}/u.test(withoutNumberWords(line.raw))) return isFieldLine(line.raw) ? 'interviewer' : own;
  const before = lines[index - 1];
  if (before === undefined) return 'unsaid';
  const said = ownerIn(before.hits);
  return said === 'unsaid' && isFieldLabel(before.raw) ? 'interviewer' : said;
}

/** The text of a line without what may be written with its number ("tel:", "ext", "x204"). */
function withoutNumberWords(raw: string): string {
  return raw.replace(/tel:|ext|x\d/gi, '');
}

/** The labels of a field that holds a number to call ("Phone", "Location", "Where"), from `words.json`. */
const FIELD_LABELS: ReadonlySet<string> = new Set(Object.values(data.fieldLabels.words).flatMap((list) => list.map((l) => readable(l).trim())));

/** A line that is a field's label alone: "Location", "Phone number:". */
function isFieldLabel(raw: string): boolean {
  if (raw.length > 60) return false;
  return FIELD_LABELS.has(readable(raw).trim().replace(/\s*[:：]$/, ''));
}

/**
 * "Phone: +1 (208) 555-0139", "Where: (617) 555-0135": a field's label, then only its number. Cut at
 * the first colon rather than matched with a pattern: a line of hostile text (thousands of spaces)
 * costs one pass.
 */
function isFieldLine(raw: string): boolean {
  const colon = raw.slice(0, 60).search(/[:：]/);
  if (colon < 1 || raw.length - colon > 80) return false;
  const label = raw.slice(0, colon);
  return !/\d/.test(label) && FIELD_LABELS.has(readable(label).trim()) && !/\p{L}{3,}/u.test(withoutNumberWords(raw.slice(colon + 1)));
}

function phraseDirection(hits: readonly Hit[]): Direction | null {
  for (const hit of hits) {
    if (hit.signals.includes('interviewerCalls')) return 'interviewer-calls';
    if (hit.signals.includes('candidateCalls')) return 'candidate-calls';
  }
  return null;
}

/**
 * The earliest sentence a person wrote that says who calls: location first, then the description.
 * A line about a bridge ("dial +1 … and enter this PIN") tells how to reach a meeting, not who calls.
 */
function writtenDirection(reading: Reading, candidateWrote = false): Direction | null {
  const fromLocation = phraseDirection(reading.location);
  if (fromLocation !== null) return fromLocation;
  for (const [index, line] of reading.lines.entries()) {
    if (line.inBlock || isAboutBridge(reading.lines, index)) continue;
    const hits = isFallbackLine(line) ? beforeFallback(line) : line.hits;
    const direction = phraseDirection(hits);
    if (direction === 'interviewer-calls' && candidateWrote && hits.some(isWritersCall)) return 'candidate-calls';
    if (direction !== null) return direction;
  }
  return null;
}

/** "I'll call you", "I will call you", "I will plan on calling you": the writer dials. */
const WRITER_CALLS = /^i(?:'ll| will| shall| am going to)?(?: plan(?: on| to))? (?:call|calling|phone|ring)\b/;

function isWritersCall(hit: Hit): boolean {
  return hit.signals.includes('interviewerCalls') && WRITER_CALLS.test(hit.phrase);
}

export interface DiallingInput {
  readonly reading: Reading;
  readonly numbers: readonly WrittenNumber[];
  readonly candidatePhone: string | null;
  readonly defaultDirection: Direction;
  /** The calendar gives a conference bridge's numbers (Google's entry points, Teams' dial-in). */
  readonly bridgeOnCalendar?: boolean;
  /**
   * The candidate wrote the text to someone else ("Hi Kevin, … I'll call you then" on an event the
   * user made with Outlook's "Reply with Meeting"): their "I'll call you" means they dial.
   */
  readonly candidateWrote?: boolean;
}

export interface Dialling {
  readonly direction: Direction;
  readonly number: string | null;
  readonly evidence: readonly Evidence[];
  /** The number's reading in the candidate's own country when it was read in another: the interview needs review. */
  readonly otherReading: string | null;
  /** The candidate dials in to the meeting's bridge: `candidate-calls`, no number. */
  readonly dialIn: boolean;
}

export function diallingOf(input: DiallingInput): Dialling {
  const { reading, numbers, candidatePhone } = input;
  const usable = numbers.filter((n) => !n.bridge);
  const evidence: Evidence[] = numbers
    .filter((n) => n.bridge)
    .map((n) => ({ field: n.field, text: `${n.e164}: a conference bridge, never dialled ("${n.context}")`, signal: 'bridge', weight: 0 }));
  const skipped = reading.lines.filter((line, index) => line.numberLike && isBridgeLine(reading.lines, index)).length;
  if (skipped > 0) evidence.push({ field: 'description', text: `${skipped} line(s) with conference dial-in numbers: never dialled`, signal: 'bridge', weight: 0 });
  const theirs = usable.filter((n) => n.owner !== 'candidate');
  const mine = usable.filter((n) => n.owner === 'candidate');
  let direction: Direction;
  let why: string;
  const bridged = input.bridgeOnCalendar === true || skipped > 0 || numbers.some((n) => n.bridge);
  const request = bridged && theirs.length === 0 ? dialInRequest(reading.lines) : undefined;
  if (request !== undefined && writtenDirection(reading, input.candidateWrote) !== 'interviewer-calls') {
    evidence.push({ field: 'description', text: `candidate-calls: a sentence asks you to dial in to the meeting's bridge ("${request.raw.trim().slice(0, 120)}"); no number of a person's to call`, signal: 'candidateCalls', weight: 0 });
    return { direction: 'candidate-calls', number: null, evidence, otherReading: null, dialIn: true };
  }
  if (usable.length > 0 && theirs.length === 0) {
    direction = 'interviewer-calls';
    why = 'the only number written is yours';
  } else {
    const written = writtenDirection(reading, input.candidateWrote);
    const owned = theirs.some((n) => n.owner === 'interviewer' || n.field === 'location') ? 'candidate-calls' : mine.length > 0 ? 'interviewer-calls' : null;
    const titled = phraseDirection(reading.title);
    // Nobody can dial a number that is not written: with none (a bridge is never dialled) and nothing
    // said about who calls, they call the candidate at the number in the config.
    const unwritten = usable.length === 0 && candidatePhone !== null ? 'interviewer-calls' : null;
    direction = written ?? owned ?? titled ?? unwritten ?? input.defaultDirection;
    why =
      written !== null
        ? 'a sentence says who calls'
        : owned !== null
          ? 'whose number is written'
          : titled !== null
            ? 'the title says who calls'
            : unwritten !== null
              ? 'no number to call is written, so they call yours'
              : 'the default direction in the config';
  }
  let number: string | null;
  if (direction === 'interviewer-calls') {
    // A number of yours written other than the one in the config is the one they have ("we have you as …");
    // with the config's number written too it wins: "your mobile, then your home line if no answer".
    number = mine.some((n) => n.e164 === candidatePhone) ? candidatePhone : (mine[0]?.e164 ?? candidatePhone);
  } else if (direction === 'candidate-calls') {
    const pick = theirs.find((n) => n.field === 'location') ?? theirs.find((n) => n.owner === 'interviewer') ?? theirs[0];
    number = pick?.e164 ?? null;
  } else {
    number = theirs[0]?.e164 ?? null;
  }
  evidence.push({ field: 'description', text: `${direction}: ${why}${number === null ? '' : `; number ${number}`}`, signal: direction === 'interviewer-calls' ? 'interviewerCalls' : 'candidateCalls', weight: 0 });
  const written = number === null ? undefined : usable.find((n) => n.e164 === number && n.homeReading !== undefined);
  const otherReading = written?.homeReading ?? null;
  if (written !== undefined && otherReading !== null) {
    // First, so that the few pieces kept with the interview for `explain` include it.
    evidence.unshift({
      field: written.field,
      text: `${number} is read in the country of its sentence's language, but the digits are also ${otherReading} in your country: check which before the confirmation is sent ("${written.context}")`,
      signal: 'number',
      weight: 0,
    });
  }
  return { direction, number, evidence, otherReading, dialIn: false };
}
