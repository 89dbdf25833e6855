/**
 * The job an invitation is for, where it names it: before or after an interview phrase and a dash or
 * colon in the title ("Prep Cook – Phone interview", "Phone interview – Prep Cook", "Phone Screen: Call
 * Center Agent"), in "for the … position" or "the position of …" (the wording of interview-letter
 * templates: "your application for the {position title} position", mightyrecruiter.com; "the position
 * of Editor", mytour.vn) and their forms in other languages ("le poste de …", "el puesto de …", "die
 * Stelle als …"), or after a form's "Position:" label ("Poste :", "Puesto:"). A job's name says what
 * the job is, not what the event is: its "prep", "coach", "journalist", "médecin" or "phone" gives no
 * evidence (detection/reading.ts drops the hits inside it).
 *
 * Only a name that ends with a job's last word (`words.json` jobTitles.heads: "Prep Cook"), or starts
 * with the job's own word where a language names it first (jobTitles.leadingHeads: "Chargé de
 * formation", "Oficial Fontanero", "Arzt in Weiterbildung"), and holds none of the words a job's name
 * never holds ("with", "my", "session", "avec", "mon") is one: "Phone interview – prep" and "Phone
 * interview practice – career coach" stay the user's own blocks. A gender mark after a name ("(H/F)",
 * "(m/w/d)", "Journalist/in", "Camarero/a") is read as no word. In the title, a job's name of one word
 * counts only when the description names the same job: "Phone interview – journalist" alone may be a
 * reporter's call. Pure and bounded: every pattern is linear, cut at 60 characters a name.
 */
import { readable, type Hit } from './words.js';
import data from './words.json' with { type: 'json' };

const listOf = (lists: Record<string, string[]>): ReadonlySet<string> => new Set(Object.values(lists).flatMap((list) => list.map((w) => readable(w).trim())));
const HEADS = listOf(data.jobTitles.heads);
const LEADING_HEADS = listOf(data.jobTitles.leadingHeads);
const NOT_IN_NAME: ReadonlySet<string> = new Set(data.jobTitles.notInTitle.map((w) => readable(w).trim()));
const LABELS: ReadonlySet<string> = new Set(data.jobTitles.labels.map((w) => readable(w).trim()));
/** "Senior Bilingual Telephone Sales Representative" has five words; a longer run is a sentence. */
const MAX_WORDS = 6;

export interface JobName {
  readonly start: number;
  readonly end: number;
  /** The name as read (lower case, spaces trimmed). */
  readonly text: string;
}

/**
 * A gender mark job ads write after a name or its last word: "(H/F)", "(m/w/d)", "m/w/d",
 * "Journalist/in", "Sachbearbeiter*in", "Camarero/a". Each alternative is a short fixed run: linear.
 */
const GENDER_MARK = /\(\s*[a-z](?:\s*\/\s*[a-z]){1,2}\s*\)|(?:^|\s)[mwdfh](?:\/[mwdfh]){1,2}(?=\s|$)|(?:\/-?|\*|:|\()in(?:nen)?\)?(?=\s|$)|\/a(?=\s|$)|\(a\)/g;

function wordsOf(text: string): string[] {
  return text
    .replace(GENDER_MARK, ' ')
    .split(/[\s/&,]+/)
    .filter((w) => w !== '');
}

const isHead = (word: string, heads: ReadonlySet<string>): boolean => heads.has(word) || (word.endsWith('s') && heads.has(word.slice(0, -1)));

/**
 * Whether `text` reads as a job's name: at most six words, none that no name holds, and the last a
 * job's ("cook", "cooks") or the first a job's where the job's own word comes first ("chargé", "arzt").
 */
export function isJobName(text: string): boolean {
  const words = wordsOf(text);
  if (words.length === 0 || words.length > MAX_WORDS) return false;
  if (words.some((w) => NOT_IN_NAME.has(w.replace(/\.$/, '')) || /\d/.test(w))) return false;
  return isHead(words[words.length - 1]!, HEADS) || LEADING_HEADS.has(words[0]!);
}

function named(text: string, start: number, end: number): JobName | null {
  const inner = text.slice(start, end);
  const lead = inner.length - inner.trimStart().length;
  const name = inner.trim();
  return name !== '' && isJobName(name) ? { start: start + lead, end: start + lead + name.length, text: name } : null;
}

/**
 * "for the Prep Cook position", "for a Journalist role": the name between the article and the word.
 * Single spaces around the name, which is trimmed: a run of spaces is read once, by the name's own
 * bounded class, never by two quantifiers in turn (a line of two thousand spaces stays fast).
 */
const FOR_THE = /\bfor\s(?:the|a|an|our|this)\s([^.,;:!?()\n]{1,60}?)\s(?:position|role|job|opening|vacancy|post)\b(?!\s+play)/dg;
/** "the position of Journalist at Harbor Daily": the name up to a preposition or a stop. */
const POSITION_OF = /\b(?:position|role|post)\sof\s(?:an?\s)?([^.,;:!?()\n]{1,60}?)(?=\s(?:at|with|in)\b|[.,;:!?()]|$)/dg;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * "le poste de Plombier chauffagiste", "el puesto de Fontanero", "die Stelle als Arzt in Weiterbildung"
 * (words.json jobTitles.positionOf): the name up to a word that says where or for whom, or a stop.
 * "in" and "en" do not end it: "Arzt in Weiterbildung" and "Conseiller en formation" are names.
 */
const LOCAL_POSITION_OF = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${data.jobTitles.positionOf.map((p) => escape(readable(p)).replace(/ /g, '\\s')).join('|')})\\s?([^.,;:!?()\\n]{1,60}?)(?=\\s(?:chez|bei|bij|presso|para|pour|für|dans|à|au|at|with)(?![\\p{L}\\p{N}])|[.,;:!?()]|$)`,
  'dgu',
);
const FRAME_HINT = new RegExp(`position|role|job|opening|vacancy|post|${['puesto', 'cargo', 'vaga', 'posizione', 'ruolo', 'stelle', 'functie'].join('|')}`);

/** The job names one line of a description gives (`text` is its reading: lower case). */
export function jobNamesInLine(text: string): JobName[] {
  const names: JobName[] = [];
  const colon = text.indexOf(':');
  if (colon > 0 && colon <= 30 && LABELS.has(text.slice(0, colon).trim())) {
    const name = named(text, colon + 1, text.length);
    if (name !== null) names.push(name);
  }
  if (!FRAME_HINT.test(text)) return names;
  for (const pattern of [FOR_THE, POSITION_OF, LOCAL_POSITION_OF]) {
    for (const match of text.matchAll(pattern)) {
      const group = match.indices?.[1];
      const name = group === undefined ? null : named(text, group[0], group[1]);
      if (name !== null) names.push(name);
    }
  }
  return names;
}

/** A dash or colon that separates a title's parts ("Phone interview – Prep Cook", "Interview: …", "… | …"). */
const SEPARATOR = /\s[-–—|]\s|[–—|:]/g;
/** Where a title's part ends after its start: the next separator, or "(" ("Chargé de formation (H/F)"). */
const PART_END = /\s[-–—|]\s|[–—|:(]/;

/** A title's part as a job's name: of two words or more, or of one the description names too. */
function titleName(text: string, start: number, end: number, described: ReadonlySet<string>): JobName | null {
  const name = named(text, start, end);
  if (name === null) return null;
  return wordsOf(name.text).length > 1 || described.has(name.text) ? name : null;
}

/**
 * The job a title names next to its interview phrase: after it, up to the next separator or "("
 * ("Phone interview – Prep Cook (PM shift)"); else before it, from the separator before it or the
 * title's start ("Harbor Bistro | Prep Cook – Phone interview": a job's name written first, as a GP
 * practice's own calendar wrote "Practice Receptionist – telephone interview", held-out
 * ho20-withheld-surgery-receptionist, whose "practice" had made it the user's own practice).
 * `interviewHits` are the title's interview words; `described` the names the description gives.
 */
export function jobNameInTitle(text: string, interviewHits: readonly Hit[], described: ReadonlySet<string>): JobName | null {
  if (interviewHits.length === 0) return null;
  const firstStart = Math.min(...interviewHits.map((h) => h.index));
  const firstEnd = Math.min(...interviewHits.map((h) => h.end));
  let partStart = 0;
  let before: { start: number; end: number } | null = null;
  for (const sep of text.matchAll(SEPARATOR)) {
    const sepEnd = sep.index + sep[0].length;
    if (sepEnd <= firstStart) {
      before = { start: partStart, end: sep.index };
      partStart = sepEnd;
      continue;
    }
    if (sep.index < firstEnd) continue;
    const rest = text.slice(sepEnd);
    const stop = rest.search(PART_END);
    const after = titleName(text, sepEnd, stop < 0 ? text.length : sepEnd + stop, described);
    if (after !== null) return after;
    break;
  }
  return before === null ? null : titleName(text, before.start, before.end, described);
}

/** `hits` without those inside one of `names`. */
export function outsideJobNames(hits: Hit[], names: readonly JobName[]): Hit[] {
  if (names.length === 0) return hits;
  return hits.filter((h) => !names.some((n) => h.index >= n.start && h.end <= n.end));
}
