/**
 * The word lists detection reads (`words.json`, plus the user's `detection.words`), turned into a
 * lexicon that finds every phrase in a text in one pass over its words.
 *
 * Why words and not one big regex: an alternation of ~800 phrases costs about 90 µs per KB of
 * text in V8, too slow for the 20,000 events/s the daemon must sustain. Here a text is split into
 * words once and each word looks up only the phrases that start with it, so the cost is linear in
 * the text and nearly independent of how many phrases there are. Nothing here backtracks.
 */
import data from './words.json' with { type: 'json' };

export const SIGNALS = [
  'interview',
  'keyword',
  'scheduler',
  'phone',
  'call',
  'video',
  'inPerson',
  'notInterview',
  'interviewerSide',
  'personal',
  'interviewerCalls',
  'candidateCalls',
  'bridge',
  'dialIn',
  'callsIn',
  'candidateNumber',
  'theirNumber',
  'fallback',
  'plain',
  'blockOpen',
] as const;
export type Signal = (typeof SIGNALS)[number];

export type TextField = 'title' | 'location' | 'description';

/** Extra phrases by signal, from `detection.words` in the config; added to the built-in lists. */
export type WordExtension = Readonly<Partial<Record<Signal, readonly string[]>>>;

/** One phrase found in a text. */
export interface Hit {
  readonly phrase: string;
  readonly signals: readonly Signal[];
  /** Offset of the phrase's first character in the scanned text. */
  readonly index: number;
  readonly end: number;
}

interface Phrase {
  readonly text: string;
  readonly words: readonly string[];
  /** What separates each word from the next ("." in "meet.google.com"), spaces and dashes read as one space. */
  readonly gaps: readonly string[];
  /** The phrase ends with ":" ("Candidate:"): the next character after it must be one. */
  readonly colon: boolean;
  readonly signals: Signal[];
}

export interface Lexicon {
  /** Phrases by their first word, longest first. */
  readonly byFirst: ReadonlyMap<string, readonly Phrase[]>;
  /** The config's keywords, scanned on their own so that they never hide a built-in phrase. */
  readonly keywords: Lexicon['byFirst'];
  readonly weights: Readonly<Record<Signal, Readonly<Record<TextField, number>>>>;
  readonly blockClose: readonly string[];
  /** Labels ("event name", "what") after which a scheduler writes the event type's name. */
  readonly labels: ReadonlySet<string>;
  /** The languages of each built-in phrase, by the text a {@link Hit} carries. */
  readonly languages: ReadonlyMap<string, readonly string[]>;
}

/** Letters, digits, marks, underscore and the apostrophe ("we'll", "d'appeler") make a word. */
const APOSTROPHES = /[\u2018\u2019\u02BC\u00B4`]/g;
const FORMAT_CHARS = /\p{Cf}/gu;

/** A character other than printable ASCII, tab and line breaks; text without one reads as it is. */
const NOT_PLAIN = /[^\t\n\r\x20-\x7f]/;

/** The reading of a text that phrases are matched against: lower case, one kind of apostrophe. */
export function readable(text: string): string {
  // Plain ASCII text (most of it) is its own NFC form and holds no format character; of the apostrophes
  // only the backtick is ASCII. Three passes of Unicode-aware matching saved per field.
  if (!NOT_PLAIN.test(text)) return (text.includes('`') ? text.replace(/`/g, "'") : text).toLowerCase();
  // Turkish "İ" lower-cases to "i" and a combining dot ("İK" → "i̇k"): read it as the "i" a person typed.
  return text.normalize('NFC').replace(FORMAT_CHARS, '').replace(APOSTROPHES, "'").toLowerCase().replace(DOTTED_I, 'i');
}

const DOTTED_I = /i\u0307/g;

/** Capitalised words that are never a name's ("The", "HR", "Recruiter"), as {@link readable} reads them. */
const NOT_NAMES = new Set(data.interviewerNames.notNames.map((w) => readable(w).trim()));
/**
 * A word of a name: a capital, then letters, marks, apostrophes, hyphens; a final dot only on a
 * short word ("J.", "Jr."): a longer one ends a sentence ("…at Umbrella Finance. Leo will call").
 */
const NAME_WORD = /^(?:\p{Lu}[\p{L}\p{M}'’-]{0,30}|\p{Lu}[\p{L}\p{M}]{0,2}\.)$/u;

/** True when `word` as written can be a word of a person's name (who is named in detection/named.ts and imperative.ts). */
export function isNameWord(word: string): boolean {
  return NAME_WORD.test(word) && !NOT_NAMES.has(readable(word).replace(/\.$/, ''));
}

const SEPARATORS = /[\s\p{Cc}\p{Z}\u2010-\u2015-]+/gu;

/** The text between words, so that "C++ call" and "C call" stay different phrases. */
function gap(text: string): string {
  return text.replace(SEPARATORS, ' ');
}

interface Token {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

const OTHER_WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Same as the word of {@link readable} text (letters, digits, marks, `_`, `'`), character by character: several times faster than a regex's match objects. */
function isWordChar(text: string, i: number, code: number): boolean {
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95 || code === 39;
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return OTHER_WORD_CHAR.test(text[i]!);
}

/**
 * Kana and the common kanji: Japanese writes no spaces between words, so each of these characters
 * is a word of its own and a phrase ("電話面接") matches its characters side by side. Thai
 * (U+0E00–U+0E7F) and Khmer (U+1780–U+17FF, held-out round 21), checked beside this, write none
 * either and are read the same way.
 */
function isOwnWord(code: number): boolean {
  return (code >= 0x3040 && code <= 0x30ff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xff66 && code <= 0xff9f);
}

function tokensOf(text: string): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  let start = -1;
  for (let i = 0; i <= length; i++) {
    // Read once per character: this loop runs over every character of every event.
    const code = i < length ? text.charCodeAt(i) : -1;
    if (code >= 0x0e00 && (code <= 0x0e7f || (code >= 0x1780 && (code <= 0x17ff || (code >= 0x3040 && isOwnWord(code)))))) {
      if (start >= 0) tokens.push({ word: text.slice(start, i), start, end: i });
      tokens.push({ word: text[i]!, start: i, end: i + 1 });
      start = -1;
      continue;
    }
    const inWord = code >= 0 && isWordChar(text, i, code);
    if (inWord && start < 0) start = i;
    else if (!inWord && start >= 0) {
      tokens.push({ word: text.slice(start, i), start, end: i });
      start = -1;
    }
  }
  return tokens;
}

/** Adds one phrase; returns the text a {@link Hit} of it carries, or null when it cannot be matched. */
function addPhrase(into: Map<string, Phrase[]>, raw: string, signal: Signal | null): string | null {
  const text = readable(raw).trim();
  const tokens = tokensOf(text);
  const words = tokens.map((t) => t.word);
  const gaps = tokens.slice(1).map((t, k) => gap(text.slice(tokens[k]!.end, t.start)));
  const first = words[0];
  if (first === undefined || words.length > 12) return null;
  const colon = text.endsWith(':');
  const list = into.get(first) ?? [];
  const key = words.map((w, k) => (k === 0 ? w : `${gaps[k - 1]}${w}`)).join('') + (colon ? ':' : '');
  const same = list.find((p) => p.text === key);
  if (same) {
    if (signal !== null && !same.signals.includes(signal)) same.signals.push(signal);
    return key;
  }
  list.push({ text: key, words, gaps, colon, signals: signal === null ? [] : [signal] });
  list.sort((a, b) => b.words.length - a.words.length);
  into.set(first, list);
  return key;
}

interface SignalData {
  readonly weights?: Partial<Record<TextField, number>>;
  readonly words: Readonly<Record<string, readonly string[]>>;
}

/** The lists of `words.json`; `blockOpen` comes from its `providerBlocks`. */
const BUILT_IN = data.signals as unknown as Readonly<Partial<Record<Signal, SignalData>>>;

/** The countries whose numbers each language's invitations write (`words.json`, `regions`). */
const REGIONS: Readonly<Record<string, readonly string[]>> = data.regions.byLanguage;

/** The country of each event time zone that names one (`words.json`, `regions.byZone`). */
const ZONES: Readonly<Record<string, string>> = data.regions.byZone;

/** The country an event's own time zone names ("Europe/London" → GB), or undefined (UTC, North America, unknown). */
export function regionOfZone(zone: string): string | undefined {
  return Object.hasOwn(ZONES, zone) ? ZONES[zone] : undefined;
}

/** The languages the built-in lists cover. */
export const LANGUAGES: readonly string[] = [...new Set(Object.values(BUILT_IN).flatMap((s) => Object.keys(s?.words ?? {})))];

/**
 * The lexicon for a user's extension. `keywords` (the config's `detection.keywords`) are the
 * `keyword` signal: title phrases that name an interview, the only word list before there were others.
 */
export function buildLexicon(extension: WordExtension = {}, keywords: readonly string[] = []): Lexicon {
  const byFirst = new Map<string, Phrase[]>();
  const languages = new Map<string, string[]>();
  const weights = {} as Record<Signal, Record<TextField, number>>;
  for (const signal of SIGNALS) {
    const entry = BUILT_IN[signal] ?? { words: { all: signal === 'blockOpen' ? data.providerBlocks.open : [] } };
    weights[signal] = { title: entry.weights?.title ?? 0, location: entry.weights?.location ?? 0, description: entry.weights?.description ?? 0 };
    for (const [language, list] of Object.entries(entry.words)) {
      for (const word of list) {
        const key = addPhrase(byFirst, word, signal);
        if (key === null) continue;
        const known = languages.get(key) ?? [];
        if (!known.includes(language)) languages.set(key, [...known, language]);
      }
    }
    for (const word of extension[signal] ?? []) addPhrase(byFirst, word, signal);
  }
  const keywordPhrases = new Map<string, Phrase[]>();
  for (const word of keywords) addPhrase(keywordPhrases, word, 'keyword');
  inheritContained(byFirst);
  return {
    byFirst,
    keywords: keywordPhrases,
    weights,
    blockClose: data.providerBlocks.close.map((c) => c.toLowerCase()),
    labels: new Set(data.labels.words.map((w) => readable(w).trim())),
    languages,
  };
}


/**
 * The countries a number written without a country code may belong to, from the languages of
 * `hits`: "Ring mig på 070-174 06 52" is a Swedish number, "请拨打 010-5555 0142" a Chinese one.
 * Languages with more phrases of their own come first; English says nothing about a country.
 */
export function regionsOf(hits: readonly Hit[], lexicon: Lexicon): string[] {
  const count = new Map<string, number>();
  for (const hit of hits) {
    // A phrase of several languages ("interview", "telefon") says less about which one it is; one that
    // is also English says nothing: English names no country, and an English invitation's "telephone
    // interview" (a German word too) made "020 7946 0321" a German number.
    const languages = lexicon.languages.get(hit.phrase) ?? [];
    if (languages.includes('en')) continue;
    for (const language of languages) count.set(language, (count.get(language) ?? 0) + 1 / languages.length);
  }
  const regions: string[] = [];
  for (const [language] of [...count].sort((a, b) => b[1] - a[1])) for (const region of REGIONS[language] ?? []) if (!regions.includes(region)) regions.push(region);
  return regions;
}

/**
 * A long phrase also says what the phrases inside it say: "telephone interview" is about a phone
 * and about an interview, "interview panel" about an interview (and the hiring side). Matching
 * keeps the longest phrase, so its signals include those of every phrase it contains.
 */
const AGAINST: readonly Signal[] = ['notInterview', 'interviewerSide', 'personal'];

/** Whose number a sentence speaks of, which a phrase naming the call itself does not say. */
const OWNERS: readonly Signal[] = ['candidateNumber', 'theirNumber'];

function inheritsNot(phrase: Phrase, signal: Signal): boolean {
  // "Candidate PIN": the code of a hiring line the candidate calls, no conference bridge's PIN.
  if (signal === 'bridge' && phrase.signals.includes('candidateCalls')) return true;
  // A request to dial in is a person's phrase as written: a provider's heading that holds one ("You can
  // also dial in using your phone") asks nothing of the candidate and still opens its block.
  if (signal === 'callsIn') return true;
  // "For your phone interview, call me on …": the interview is yours, the number is not ("your phone" is).
  return OWNERS.includes(signal) && phrase.signals.includes('phone') && !phrase.signals.some((s) => OWNERS.includes(s));
}

function inheritContained(byFirst: Map<string, Phrase[]>): void {
  for (const list of byFirst.values()) {
    for (const phrase of list) {
      // "Interview kit", "mock interview": a phrase that speaks against an interview keeps its meaning whole,
      // and one that says nothing ("please ring-fence the hour") takes nothing from the phrases inside it.
      if (phrase.words.length < 2 || phrase.signals.some((s) => AGAINST.includes(s) || s === 'plain')) continue;
      for (let at = 0; at < phrase.words.length; at++) {
        for (const inner of byFirst.get(phrase.words[at]!) ?? []) {
          if (inner === phrase || inner.words.length + at > phrase.words.length) continue;
          // A label ("candidate:", "candidate phone:") is in a phrase only where the phrase ends with its colon:
          // "candidate PIN" and "candidate phone call" are no "Candidate:" label of the hiring side.
          if (inner.colon && !(phrase.colon && at + inner.words.length === phrase.words.length)) continue;
          const same = inner.words.every((w, k) => phrase.words[at + k] === w && (k === 0 || inner.gaps[k - 1] === phrase.gaps[at + k - 1]));
          // "Candidate PIN": the code of a hiring line the candidate calls, no conference bridge's PIN.
          if (same) for (const signal of inner.signals) if (!phrase.signals.includes(signal) && !inheritsNot(phrase, signal)) phrase.signals.push(signal);
        }
      }
    }
  }
}

/** Every phrase of `phrases` in `text` (already {@link readable}), leftmost-longest, not overlapping. */
export function scan(text: string, phrases: Lexicon['byFirst'], limit = 400): Hit[] {
  const tokens = outsideAddresses(text, tokensOf(text));
  const hits: Hit[] = [];
  for (let i = 0; i < tokens.length && hits.length < limit; i++) {
    const candidates = phrases.get(tokens[i]!.word);
    if (candidates === undefined) continue;
    const found = candidates.find((p) => matchesAt(p, tokens, i, text));
    if (found === undefined) continue;
    const last = tokens[i + found.words.length - 1]!;
    hits.push({ phrase: found.text, signals: found.signals, index: tokens[i]!.start, end: last.end + (found.colon ? 1 : 0) });
    i += found.words.length - 1;
  }
  return hits;
}

/** What ends an email address as written in a text (`mailto:` and angle brackets around it stay outside). */
const ADDRESS_END = /[\s<>()[\]"',;:]/;

/**
 * Where the email addresses of `text` are: each run of characters between two {@link ADDRESS_END}s
 * with an "@" inside it (not at either end). Linear: every character is looked at once or twice, as
 * a regex of the same runs is not (a 32 KB inline image beside one address took 0.7 s).
 */
function addressSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let at = text.indexOf('@');
  while (at !== -1) {
    let from = at;
    while (from > 0 && !startsAddress(text, from)) from--;
    let to = at + 1;
    while (to < text.length && !ADDRESS_END.test(text[to]!)) to++;
    const inner = text.indexOf('@', from + 1);
    if (inner !== -1 && inner < to - 1) spans.push([from, to]);
    at = text.indexOf('@', to);
  }
  return spans;
}

/**
 * True when an address that reaches back to `from` starts there. An apostrophe (a backtick is one
 * after {@link readable}) opens a quoted address only after a space or the like ("'jobs@…'"); after
 * a letter or a dot it is part of the address ("o'brien@…", "cfp.'a@…").
 */
function startsAddress(text: string, from: number): boolean {
  const before = text[from - 1]!;
  if (before === "'") return from === 1 || ADDRESS_END.test(text[from - 2]!);
  return ADDRESS_END.test(before);
}

/**
 * The tokens that are not part of an email address: "jobs@cfp-events.example" or "a@hiring.plan" is
 * where to write, not what the event is about, so its labels are no words of any list (the
 * counterpart's own address is read on its own, classify.ts). Tokens and spans are both in order.
 */
function outsideAddresses(text: string, tokens: Token[]): Token[] {
  if (!text.includes('@')) return tokens;
  const spans = addressSpans(text);
  if (spans.length === 0) return tokens;
  let span = 0;
  return tokens.filter((t) => {
    while (span < spans.length && spans[span]![1] <= t.start) span++;
    const around = spans[span];
    return around === undefined || !(t.start >= around[0] && t.end <= around[1]);
  });
}

function matchesAt(phrase: Phrase, tokens: readonly Token[], at: number, text: string): boolean {
  if (at + phrase.words.length > tokens.length) return false;
  for (let k = 1; k < phrase.words.length; k++) {
    const token = tokens[at + k]!;
    if (token.word !== phrase.words[k]) return false;
    const between = text.slice(tokens[at + k - 1]!.end, token.start);
    if (between.length > 8 || gap(between) !== phrase.gaps[k - 1]) return false;
  }
  if (!phrase.colon) return true;
  const last = tokens[at + phrase.words.length - 1]!;
  return text.slice(last.end, last.end + 2).trimStart().startsWith(':');
}

/** The built-in phrases of one signal in one language, as written in `words.json`. */
export function builtInWords(signal: Signal, language: string): readonly string[] {
  return BUILT_IN[signal]?.words[language] ?? [];
}
