/**
 * "Call Jacob at 919-555-0161", "please give Hemi a ring on 021 555 0123": a request to dial a
 * person named between the verb and the number. The word lists match phrases word for word, and a
 * name is no word of theirs, so this reads the one shape they cannot: a verb of calling that starts
 * a sentence or follows "please", one or two capitalised words that are a name, then "at" or "on".
 * What it finds is read as "call me at" is: the candidate dials, and the number is the person's.
 *
 * The verbs, the requests and the words after "give" are data (`words.json`, `namedCall`); a name
 * is a capitalised word that is never a name's (`interviewerNames.notNames`: "Call HR at …" names
 * nobody, and "please call" says it anyway). Linear: one bounded regex per line, tried only on a line
 * that holds a verb of calling before a capital.
 */
import data from './words.json' with { type: 'json' };
import { isNameWord, type Hit, type Signal } from './words.js';

const SIGNALS: readonly Signal[] = ['candidateCalls', 'theirNumber'];

/** Both cases of each word's first letter ("Call", "call"): the name's capital must stay significant. */
function either(words: readonly string[]): string {
  return words.map((w) => `[${w[0]!.toUpperCase()}${w[0]!.toLowerCase()}]${w.slice(1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('|');
}

const { verbs, give, gifts, requests, particles } = data.namedCall;
const NAME = String.raw`(\p{Lu}[\p{L}\p{M}'’-]{0,30})`;
/** A verb of calling before a capital somewhere in the line: one test (about 0.1 µs) rules most lines out. */
const HINT = new RegExp(String.raw`(?:${either([...verbs, ...give])})\s+\p{Lu}`, 'u');
/** Where a verb of calling stands before a capital: the only places the shape is tried. */
const VERB_AT = new RegExp(String.raw`(?<![\p{L}'])(?:${either([...verbs, ...give])})\s+\p{Lu}`, 'gu');
/** From the verb on: the verb and one or two name words, or "give <name> a ring"; then "at" or "on". */
const CALL_AT = new RegExp(
  String.raw`(?:(?:${either(verbs)})\s+${NAME}(?:\s+${NAME})?|(?:${either(give)})\s+${NAME}(?:\s+${NAME})?\s+(?:${either(gifts)}))\s+(?:${particles.join('|')})(?![\p{L}])`,
  'uy',
);
/** What may stand right before the verb: nothing, a sentence's stop or a bullet, or a request ("please"). */
const BEFORE = new RegExp(String.raw`(?:^|[.!?;:•·*]|\s[–—-]|(?<![\p{L}'])(?:${either(requests)}))\s*$`, 'u');

/** A second name word may be missing; a word there is one of a name as detection/named.ts reads names. */
function isName(word: string | undefined): boolean {
  return word === undefined || isNameWord(word);
}

/**
 * The requests in one line to dial a named person, as hits of the line's reading `text` (offsets are
 * the line's only when reading kept its length; otherwise none are given). Linear: each verb before a
 * capital is tried once, with the 40 characters before it.
 */
export function namedCalls(raw: string, text: string): Hit[] {
  if (raw.length !== text.length || !HINT.test(raw)) return [];
  const line = raw.slice(0, 2_000);
  const hits: Hit[] = [];
  for (const verb of line.matchAll(VERB_AT)) {
    if (!BEFORE.test(line.slice(Math.max(0, verb.index - 40), verb.index))) continue;
    CALL_AT.lastIndex = verb.index;
    const match = CALL_AT.exec(line);
    if (match === null || !isName(match[1] ?? match[3]) || !isName(match[2] ?? match[4])) continue;
    const end = verb.index + match[0].length;
    hits.push({ phrase: text.slice(verb.index, end), signals: SIGNALS, index: verb.index, end });
  }
  return hits;
}
