/**
 * The job an invitation is for, where it names it: after an interview phrase and a dash or colon in
 * the title ("Phone interview – Prep Cook", "Phone Screen: Call Center Agent"), in "for the … position"
 * or "the position of …" (the wording of interview-letter templates: "your application for the
 * {position title} position", mightyrecruiter.com; "the position of Editor", mytour.vn), or after a
 * form's "Position:" label. A job's name says what the job is, not what the event is: its "prep",
 * "coach", "journalist" or "phone" gives no evidence (detection/reading.ts drops the hits inside it).
 *
 * Only a name that ends with a job's last word (`words.json` jobTitles.heads) and holds none of the
 * words a job's name never holds ("with", "my", "session") is one: "Phone interview – prep" and
 * "Phone interview practice – career coach" stay the user's own blocks. In the title, a job's name of
 * one word counts only when the description names the same job: "Phone interview – journalist" alone
 * may be a reporter's call. Pure and bounded: every pattern is linear, cut at 60 characters a name.
 */
import { readable, type Hit } from './words.js';
import data from './words.json' with { type: 'json' };

const HEADS: ReadonlySet<string> = new Set(Object.values(data.jobTitles.heads).flatMap((list) => list.map((w) => readable(w).trim())));
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

function wordsOf(text: string): string[] {
  return text.split(/[\s/&,]+/).filter((w) => w !== '');
}

/** Whether `text` reads as a job's name: at most six words, the last a job's ("cook", "cooks"), none that no name holds. */
export function isJobName(text: string): boolean {
  const words = wordsOf(text);
  if (words.length === 0 || words.length > MAX_WORDS) return false;
  if (words.some((w) => NOT_IN_NAME.has(w.replace(/\.$/, '')) || /\d/.test(w))) return false;
  const last = words[words.length - 1]!;
  return HEADS.has(last) || (last.endsWith('s') && HEADS.has(last.slice(0, -1)));
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
const FOR_THE = /\bfor\s(?:the|a|an|our|this)\s([^.,;:!?()\n]{1,60}?)\s(?:position|role|job|opening|vacancy)\b(?!\s+play)/dg;
/** "the position of Journalist at Harbor Daily": the name up to a preposition or a stop. */
const POSITION_OF = /\b(?:position|role|post)\sof\s(?:an?\s)?([^.,;:!?()\n]{1,60}?)(?=\s(?:at|with|in)\b|[.,;:!?()]|$)/dg;
const FRAME_HINT = /position|role|job|opening|vacancy|post/;

/** The job names one line of a description gives (`text` is its reading: lower case). */
export function jobNamesInLine(text: string): JobName[] {
  const names: JobName[] = [];
  const colon = text.indexOf(':');
  if (colon > 0 && colon <= 30 && LABELS.has(text.slice(0, colon).trim())) {
    const name = named(text, colon + 1, text.length);
    if (name !== null) names.push(name);
  }
  if (!FRAME_HINT.test(text)) return names;
  for (const pattern of [FOR_THE, POSITION_OF]) {
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

/**
 * The job a title names after an interview phrase and a separator, up to the next separator or "(".
 * `interviewHits` are the title's interview words; `described` the names the description gives.
 */
export function jobNameInTitle(text: string, interviewHits: readonly Hit[], described: ReadonlySet<string>): JobName | null {
  if (interviewHits.length === 0) return null;
  const firstEnd = Math.min(...interviewHits.map((h) => h.end));
  for (const sep of text.matchAll(SEPARATOR)) {
    if (sep.index < firstEnd) continue;
    const start = sep.index + sep[0].length;
    const rest = text.slice(start);
    const stop = rest.search(/\s[-–—|]\s|[–—|:(]/);
    const name = named(text, start, stop < 0 ? text.length : start + stop);
    if (name === null) return null;
    return wordsOf(name.text).length > 1 || described.has(name.text) ? name : null;
  }
  return null;
}

/** `hits` without those inside one of `names`. */
export function outsideJobNames(hits: Hit[], names: readonly JobName[]): Hit[] {
  if (names.length === 0) return hits;
  return hits.filter((h) => !names.some((n) => h.index >= n.start && h.end <= n.end));
}
