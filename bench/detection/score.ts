/**
 * The detection corpus (`corpus.yaml`) and its score: precision and recall for "phone interview",
 * direction and number accuracy on the phone interviews found (with whether the candidate dials in
 * to a meeting's bridge), bridge numbers chosen (must be none), per category, and every miss with
 * its evidence. Used by `npm run detect:score` and by
 * the test that holds detection to its figures.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS } from '../../config/fields.js';
import { analyse, type DetectSettings } from '../../src/domain/detect.js';
import { findPhoneNumbers } from '../../src/domain/phone.js';
import type { CalendarEvent, Direction, EventKind, Evidence, Person } from '../../src/domain/types.js';

export const CORPUS_FILE = new URL('./corpus.yaml', import.meta.url);
/** Invitations gathered apart from the corpus, never used to tune detection: the honest check. */
export const HOLDOUT_FILE = new URL('./holdout.yaml', import.meta.url);

/** The candidate every invitation of the corpus is sent to (invented). */
export const CORPUS_SETTINGS: DetectSettings = {
  candidate: { name: 'Ada Park', email: 'ada.park@example.org', phone: '+14155550100', timezone: 'America/Los_Angeles' },
  detection: { keywords: DEFAULT_INTERVIEW_KEYWORDS, defaultDirection: 'unknown', freeMailDomains: DEFAULT_FREE_MAIL_DOMAINS },
};

interface RawEntry {
  id: string;
  cat: string;
  src: string;
  t: string;
  loc?: string;
  d?: string;
  block?: string;
  conf?: string[];
  cphones?: string[];
  org?: string;
  att?: string[];
  /** The event's own time zone (IANA); the candidate's, America/Los_Angeles, when absent. */
  tz?: string;
  exp: string;
}

export interface Expected {
  readonly kind: EventKind;
  readonly direction: Direction | null;
  readonly number: string | null;
  /** `exp: phone candidate-calls null dial-in`: the candidate dials in to the meeting's bridge. */
  readonly dialIn: boolean;
}

export interface Entry {
  readonly id: string;
  readonly category: string;
  readonly source: string;
  readonly event: CalendarEvent;
  readonly expected: Expected;
  /** Numbers of conference bridges in the invitation: never to be chosen. */
  readonly bridges: ReadonlySet<string>;
}

function person(text: string): Person {
  const match = /^(.*?)\s*<([^>]+)>$/.exec(text.trim());
  return match ? { name: match[1] ?? '', email: (match[2] ?? '').toLowerCase() } : { name: '', email: text.trim().toLowerCase() };
}

function expectedOf(text: string, id: string): Expected {
  const [kind, direction, number, flag] = text.trim().split(/\s+/);
  if (kind !== 'phone' && kind !== 'video' && kind !== 'in-person' && kind !== 'not-interview') throw new Error(`${id}: bad exp "${text}"`);
  if (kind !== 'phone') return { kind, direction: null, number: null, dialIn: false };
  if (flag !== undefined && flag !== 'dial-in') throw new Error(`${id}: bad flag "${flag}" in "${text}" (only dial-in)`);
  if (direction !== 'interviewer-calls' && direction !== 'candidate-calls' && direction !== 'unknown') throw new Error(`${id}: bad direction in "${text}"`);
  return { kind, direction, number: number === undefined || number === 'null' ? null : number, dialIn: flag === 'dial-in' };
}

export function loadCorpus(file: URL | string = CORPUS_FILE): Entry[] {
  const raw = parse(readFileSync(file, 'utf8')) as { blocks: Record<string, { src: string; text: string }>; entries: RawEntry[] };
  const candidate = CORPUS_SETTINGS.candidate;
  return raw.entries.map((e, i): Entry => {
    const block = e.block === undefined ? '' : raw.blocks[e.block]?.text;
    if (block === undefined) throw new Error(`${e.id}: no block "${e.block}"`);
    const description = [e.d ?? '', block].filter((s) => s !== '').join('\n\n');
    const organizer = person(e.org ?? 'Jamie Rivera <jamie.rivera@northwind.example>');
    const start = Date.UTC(2031, 2, 3, 16, 0) + i * 3_600_000;
    const event: CalendarEvent = {
      id: e.id,
      title: e.t,
      description,
      location: e.loc ?? '',
      start,
      end: start + 30 * 60_000,
      timeZone: e.tz ?? 'America/Los_Angeles',
      allDay: false,
      status: 'confirmed',
      organizer,
      attendees: [
        { ...organizer, status: 'accepted' },
        ...(e.att ?? []).map((a) => ({ ...person(a), status: 'accepted' as const })),
        { name: candidate.name, email: candidate.email, status: 'accepted' },
      ],
      categories: [],
      tags: {},
      conferencePhones: e.cphones ?? [],
      ...(e.conf ? { conference: e.conf } : {}),
    };
    const bridges = new Set([...findPhoneNumbers(block, 'US'), ...(e.cphones ?? []).flatMap((p) => findPhoneNumbers(p, 'US'))].map((p) => p.e164));
    return { id: e.id, category: e.cat, source: e.src, event, expected: expectedOf(e.exp, e.id), bridges };
  });
}

export interface Outcome {
  readonly entry: Entry;
  readonly kind: EventKind;
  readonly direction: Direction | null;
  readonly number: string | null;
  readonly dialIn: boolean;
  readonly review: boolean;
  readonly confidence: number;
  readonly evidence: readonly Evidence[];
}

export function run(entries: readonly Entry[]): Outcome[] {
  return entries.map((entry) => {
    const analysis = analyse(entry.event, CORPUS_SETTINGS);
    const detection = analysis.result.kind === 'interview' ? analysis.result.detection : null;
    return {
      entry,
      kind: analysis.kind,
      direction: detection?.direction ?? null,
      number: detection?.number ?? null,
      dialIn: detection?.dialIn === true,
      review: analysis.review,
      confidence: analysis.confidence,
      evidence: analysis.evidence,
    };
  });
}

export interface Figures {
  readonly entries: number;
  readonly phones: number;
  readonly lookAlikes: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  /** Direction and number both right, among the phone interviews found. */
  readonly dialling: number;
  readonly bridgesChosen: number;
  readonly review: number;
}

export function figures(outcomes: readonly Outcome[]): Figures {
  const phones = outcomes.filter((o) => o.entry.expected.kind === 'phone');
  const found = outcomes.filter((o) => o.kind === 'phone');
  const tp = found.filter((o) => o.entry.expected.kind === 'phone');
  const right = tp.filter(diallingRight);
  return {
    entries: outcomes.length,
    phones: phones.length,
    lookAlikes: outcomes.length - phones.length,
    truePositives: tp.length,
    falsePositives: found.length - tp.length,
    falseNegatives: phones.length - tp.length,
    precision: found.length === 0 ? 1 : tp.length / found.length,
    recall: phones.length === 0 ? 1 : tp.length / phones.length,
    dialling: tp.length === 0 ? 1 : right.length / tp.length,
    bridgesChosen: outcomes.filter((o) => o.number !== null && o.entry.bridges.has(o.number)).length,
    review: found.filter((o) => o.review).length,
  };
}

export function diallingRight(o: Outcome): boolean {
  return o.direction === o.entry.expected.direction && o.number === o.entry.expected.number && o.dialIn === o.entry.expected.dialIn;
}

export function isMiss(o: Outcome): boolean {
  if (o.kind === 'phone' || o.entry.expected.kind === 'phone') {
    return o.kind !== o.entry.expected.kind || !diallingRight(o);
  }
  return false;
}

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

/** The report `npm run detect:score` prints. */
export function report(outcomes: readonly Outcome[], name = 'corpus'): string {
  const lines: string[] = [];
  const all = figures(outcomes);
  lines.push(`${name}: ${all.entries} invitations (${all.phones} phone interviews, ${all.lookAlikes} look-alikes)`);
  lines.push(`phone interview: precision ${all.precision.toFixed(3)}  recall ${all.recall.toFixed(3)}  (tp ${all.truePositives}, fp ${all.falsePositives}, fn ${all.falseNegatives})`);
  lines.push(`direction and number right: ${pct(all.dialling)} of the phone interviews found`);
  lines.push(`bridge numbers chosen: ${all.bridgesChosen}`);
  lines.push(`needs review: ${all.review} of the phone interviews found`);
  lines.push('');
  lines.push('category                 n  phone  precision  recall  dir+number');
  const categories = [...new Set(outcomes.map((o) => o.entry.category))].sort();
  for (const category of categories) {
    const f = figures(outcomes.filter((o) => o.entry.category === category));
    lines.push(
      `${category.padEnd(22)} ${String(f.entries).padStart(3)}  ${String(f.phones).padStart(5)}  ${f.precision.toFixed(2).padStart(9)}  ${f.recall.toFixed(2).padStart(6)}  ${pct(f.dialling).padStart(10)}`,
    );
  }
  const misses = outcomes.filter(isMiss);
  const kindMisses = outcomes.filter((o) => o.kind !== o.entry.expected.kind && !isMiss(o));
  lines.push('');
  lines.push(misses.length === 0 ? 'no misses on phone interviews' : `${misses.length} misses:`);
  for (const o of misses) lines.push(...describe(o));
  if (kindMisses.length > 0) {
    lines.push('');
    lines.push(`${kindMisses.length} look-alikes classed as another kind (not phone, so nothing is sent):`);
    for (const o of kindMisses) lines.push(`  ${o.entry.id}: expected ${o.entry.expected.kind}, got ${o.kind}`);
  }
  return lines.join('\n');
}

function describe(o: Outcome): string[] {
  const e = o.entry.expected;
  const got = o.kind === 'phone' ? `phone ${o.direction} ${o.number}${o.dialIn ? ' dial-in' : ''}` : o.kind;
  const want = e.kind === 'phone' ? `phone ${e.direction} ${e.number}${e.dialIn ? ' dial-in' : ''}` : e.kind;
  const evidence = o.evidence
    .filter((x) => x.weight > 0)
    .slice(0, 8)
    .map((x) => `${x.field}: "${x.text}" → ${x.signal} ${x.weight}`);
  return [`- ${o.entry.id} [${o.entry.category}] expected ${want}, got ${got} (confidence ${o.confidence})`, ...evidence.map((x) => `    ${x}`)];
}
