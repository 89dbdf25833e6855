/**
 * classify: what kind of event this is (phone interview, video interview, in-person interview,
 * or not an interview), how sure, and the evidence for it. Pure and fast: the text is read once
 * ({@link readEvent}), every piece of evidence is a phrase with a weight from `words.json`.
 *
 * How it decides, in the order a person reads an invitation:
 * 1. Is it about a job? Interview words, recruiting software, a company address add up ("job");
 *    preparation, coaching, webinars, debriefs, the hiring side's own words, private calls add up
 *    against it. Fewer than 3 points of job, or as many against as for: not an interview.
 * 2. How is it held? What a person wrote about a phone call (title, location, sentences outside
 *    the providers' joining blocks, a number to call) beats a meeting link or a dial-in block, which
 *    otherwise make it a video interview; a place makes it in person.
 * 3. Confidence grows with both margins; below {@link REVIEW_BELOW} the event needs review.
 */
import type { Attendee, CalendarEvent, Person } from '../types.js';
import { beforeFallback, isAboutBridge, isBridgeLine, isFallbackLine, type Line, type Reading } from './reading.js';
import { readable, type Hit, type Lexicon, type Signal, type TextField } from './words.js';
import data from './words.json' with { type: 'json' };

/** The labels an invitation writes before the interviewer's name ("Interviewer(s):"), from `words.json`. */
const INTERVIEWER_LABELS: ReadonlySet<string> = new Set(data.interviewerNames.labels.map((l) => readable(l).trim()));

export type InterviewKind = 'phone' | 'video' | 'in-person';
export type EventClass = InterviewKind | 'not-interview';

/** Where a piece of evidence was found. */
export type EvidenceField = TextField | 'conference' | 'organizer' | 'calendar';

export interface Evidence {
  readonly field: EvidenceField;
  /** The words matched, or a short description of the fact ("a phone number"). */
  readonly text: string;
  readonly signal: Signal | 'number' | 'place' | 'company';
  /** Points towards the signal's side; 0 when the fact was seen but did not count. */
  readonly weight: number;
}

export interface Classification {
  readonly kind: EventClass;
  /** 0.5 (a guess) … 0.99 (no doubt). */
  readonly confidence: number;
  readonly review: boolean;
  readonly evidence: readonly Evidence[];
  /** For `not-interview`: what decided it, in plain words. */
  readonly because: NotInterviewBecause | null;
  readonly decisive: Evidence | null;
}

export type NotInterviewBecause = 'no-job' | 'own-block' | 'hiring-side' | 'private';

/** Below this confidence an interview needs the user's review. */
export const REVIEW_BELOW = 0.65;
/** Points of job context an interview needs: one interview word in the title, or several elsewhere. */
const JOB_MIN = 3;

/** Signals about the medium that a person writes; inside a provider's block they do not count. */
const PHONE_SIGNALS: readonly Signal[] = ['phone', 'interviewerCalls', 'candidateCalls', 'candidateNumber', 'theirNumber'];
const COUNTED: ReadonlySet<Signal> = new Set<Signal>(['interview', 'keyword', 'scheduler', 'phone', 'call', 'video', 'inPerson', 'notInterview', 'interviewerSide', 'personal', 'interviewerCalls', 'candidateCalls', 'candidateNumber', 'theirNumber']);

/** The recruiting tools whose addresses organise interviews. */
const SCHEDULER_DOMAINS = /(?:^|\.)(?:greenhouse\.io|lever\.co|ashbyhq\.com|goodtime\.io|gem\.com|myworkday\.com|workday\.com|smartrecruiters\.com|workablemail\.com|jobvite\.com|icims\.com|teamtailor\.com|personio\.de|recruitee\.com)$/;

/** True for the domain of recruiting software (an ATS, a scheduler): it names no employer. */
export function isSchedulerDomain(domain: string): boolean {
  return SCHEDULER_DOMAINS.test(domain);
}

interface Tally {
  readonly evidence: Evidence[];
  readonly score: Record<string, number>;
  readonly seen: Set<string>;
}

/**
 * Adds one piece of evidence once. What one field says about one signal is capped: three
 * interview words in a title say "interview" barely more than one does.
 */
function add(tally: Tally, evidence: Evidence, cap = Infinity): void {
  const key = `${evidence.field}|${evidence.signal}|${evidence.text}`;
  if (tally.seen.has(key)) return;
  tally.seen.add(key);
  const fieldKey = `${evidence.field}|${evidence.signal}`;
  const room = Math.max(0, cap - (tally.score[fieldKey] ?? 0));
  const weight = Math.min(evidence.weight, room);
  tally.evidence.push(weight === evidence.weight ? evidence : { ...evidence, weight });
  tally.score[fieldKey] = (tally.score[fieldKey] ?? 0) + weight;
  tally.score[evidence.signal] = (tally.score[evidence.signal] ?? 0) + weight;
}

/** How many times its weight one signal may add up to in one field. */
const CAP: Readonly<Record<TextField, number>> = { title: 1.5, location: 1.5, description: 2 };
/**
 * The signals that a call is about something other than a job (a private matter; press, podcasts and
 * the other look-alikes): in a description each adds up to three times its weight, not two. A
 * landlord's "Phone screen" whose text speaks of the apartment, the move-in date and the rental
 * history is about housing; two of those words could not outweigh "phone screen" in the title and
 * again in the text (held-out round 18).
 */
const AGAINST: ReadonlySet<Signal> = new Set<Signal>(['personal', 'notInterview']);
const AGAINST_CAP = 3;

function addHits(tally: Tally, hits: readonly Hit[], field: TextField, lexicon: Lexicon, options: { skip?: readonly Signal[]; weighAs?: TextField } = {}): void {
  const weighAs = options.weighAs ?? field;
  for (const hit of hits) {
    for (const signal of hit.signals) {
      if (!COUNTED.has(signal) || options.skip?.includes(signal)) continue;
      const base = lexicon.weights[signal][weighAs];
      const cap = base * (signal === 'scheduler' ? 1 : weighAs === 'description' && AGAINST.has(signal) ? AGAINST_CAP : CAP[weighAs]);
      if (base > 0) add(tally, { field, text: hit.phrase, signal, weight: base }, cap);
    }
  }
}

function readLocation(tally: Tally, reading: Reading, raw: string, lexicon: Lexicon): void {
  addHits(tally, reading.location, 'location', lexicon);
  const text = reading.locationText.trim();
  if (text === '') return;
  if (reading.locationIsNumber && !reading.location.some((h) => h.signals.includes('bridge'))) {
    add(tally, { field: 'location', text: raw.trim().slice(0, 60), signal: 'number', weight: 5 });
    return;
  }
  const spoken = reading.location.some((h) => h.signals.some((s) => s === 'phone' || s === 'video' || s === 'call'));
  if (!spoken && !/https?:|www\.|\.com\b/.test(text)) {
    add(tally, { field: 'location', text: raw.trim().slice(0, 60), signal: 'place', weight: 2 });
  }
}

/**
 * "Candidate: Ada Park" in a schedule an ATS sends the candidate names the user as the candidate:
 * the label says nothing about the user being on the hiring side. "Interviewers: Ada Park" names
 * the user as the interviewer ({@link INTERVIEWER_LABELS}).
 */
function namesSelf(line: Line, selfNames: readonly string[]): boolean {
  if (selfNames.length === 0) return false;
  const text = line.raw.toLowerCase();
  return selfNames.some((name) => text.includes(name));
}

/**
 * "Phone interview with nanny candidate – Lucia Gómez", "Call with the backend engineer candidate": a
 * title saying the meeting is with a candidate for a job names someone else as the candidate, as the
 * word list's "with candidate" does with no job's name between (held-out round 20, a family's phone
 * interview of a nanny an agency shortlisted). Words such as "for" or "to" between are no job's name
 * ("with the hiring manager for candidate Ada Park"), and a candidate named as the user is the user.
 */
const WITH_JOB_CANDIDATE = /\bwith\s+(?:(?:the|a|an|our|your)\s+)?((?:\p{L}[\p{L}'’-]{0,40}\s+){1,3})candidates?\b(.{0,80})/iu;
const NO_JOB_WORD = /^(?:for|to|at|as|and|or|of|from|by|in|on|via|about|re|regarding|you|me|us|them)$/i;

function withOtherCandidate(title: string, selfNames: readonly string[]): string | null {
  const match = WITH_JOB_CANDIDATE.exec(title.slice(0, 300));
  if (match === null || match[1]!.trim().split(/\s+/).some((w) => NO_JOB_WORD.test(w))) return null;
  const after = match[2]!.toLowerCase();
  return selfNames.some((name) => after.includes(name)) ? null : match[0].slice(0, match[0].length - match[2]!.length).trim();
}

function readDescription(tally: Tally, lines: readonly Line[], lexicon: Lexicon, selfNames: readonly string[]): void {
  let blockSeen = false;
  let namedInterviewer: string | undefined;
  for (const [index, line] of lines.entries()) {
    if (line.inBlock) {
      const video = line.hits.find((h) => h.signals.includes('video'));
      if (video && !blockSeen) {
        add(tally, { field: 'description', text: `${video.phrase} (a meeting provider's joining block)`, signal: 'video', weight: 3 });
        blockSeen = true;
      }
      continue;
    }
    const fallback = isFallbackLine(line);
    const dialIn = fallback ? undefined : line.hits.find((h) => h.signals.includes('callsIn'));
    // "Please join by phone using one of the numbers below": the meeting is held by phone, whatever
    // provider it names ("on Zoom audio", "the Teams number"): a phone word, and no video.
    if (dialIn !== undefined) add(tally, { field: 'description', text: `${dialIn.phrase} (you dial in by phone)`, signal: 'phone', weight: lexicon.weights.phone.description });
    const label = line.hits.find((h) => h.signals.includes('interviewerSide') && h.phrase.endsWith(':'));
    const selfLabelled = label !== undefined && namesSelf(line, selfNames);
    if (selfLabelled && INTERVIEWER_LABELS.has(label.phrase.slice(0, -1))) namedInterviewer ??= label.phrase;
    const own: Signal[] = selfLabelled ? ['interviewerSide'] : [];
    const held: Signal[] = isAboutBridge(lines, index) ? [...PHONE_SIGNALS, ...own] : own;
    const skip: Signal[] = fallback || dialIn !== undefined ? [...PHONE_SIGNALS, 'video', ...own] : held;
    const weighAs = line.labelled ? 'title' : 'description';
    // "Your interview will be on Microsoft Teams. Have your phone nearby in case of technical issues":
    // only the fallback's own sentence is about what happens if the call fails; the sentences before it
    // on the same line say how the interview is held (held-out round 18, a council's Teams interview).
    const before = fallback ? beforeFallback(line) : [];
    if (before.length > 0) addHits(tally, before, 'description', lexicon, { skip: held, weighAs });
    addHits(tally, before.length > 0 ? line.hits.filter((h) => !before.includes(h)) : line.hits, 'description', lexicon, { skip, weighAs });
  }
  if (lines.some((line, index) => line.numberLike && !isBridgeLine(lines, index))) {
    add(tally, { field: 'description', text: 'a phone number written by a person', signal: 'number', weight: 1 });
  }
  // "Interviewers: Ada Park" names the user as the one who interviews: the clearest sign of the hiring
  // side, counted as a title would be and beyond the cap of the description's other hiring-side words.
  if (namedInterviewer !== undefined) {
    add(tally, { field: 'description', text: `${namedInterviewer} you (you interview someone)`, signal: 'interviewerSide', weight: lexicon.weights.interviewerSide.title });
  }
}

function readPeople(tally: Tally, organizer: Person | null, attendees: readonly Attendee[], freeMail: ReadonlySet<string>, self: ReadonlySet<string>): void {
  // The first person besides the user whose address has an '@', with that address in lower case.
  let counterpart: Person | undefined;
  let counterpartEmail = '';
  for (let i = -1; i < attendees.length; i++) {
    const person = i < 0 ? organizer : attendees[i]!;
    if (person === null) continue;
    const email = person.email.trim().toLowerCase();
    if (self.has(email)) continue;
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (SCHEDULER_DOMAINS.test(domain)) {
      add(tally, { field: 'organizer', text: domain, signal: 'scheduler', weight: 2 });
    }
    if (counterpart === undefined && person.email.includes('@')) {
      counterpart = person;
      counterpartEmail = email;
    }
  }
  if (counterpart) {
    const email = counterpartEmail;
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (domain !== '' && !freeMail.has(domain) && !SCHEDULER_DOMAINS.test(domain)) {
      add(tally, { field: 'organizer', text: `${domain} (a company address)`, signal: 'company', weight: 1 });
    }
    const words = lowerName(`${counterpart.name} ${email.replace(/[@._-]+/g, ' ')}`);
    const role = peopleWord(words);
    if (role !== undefined) add(tally, { field: 'organizer', text: role, signal: 'interview', weight: 1.5 });
  }
}

/**
 * The user organised the event, a guest writes from a personal address as candidates do, and a word
 * of the hiring side is in it ("Scorecard in the ATS after"): the user runs the screen. Such a word
 * in the description alone cannot outweigh "phone screen" in the title; whose event it is can
 * (held-out rounds 16 and 17, a recruiter's own screens organised from a work address).
 */
function runsOwnScreen(tally: Tally, event: CalendarEvent, input: ClassifyInput): boolean {
  if ((tally.score['interviewerSide'] ?? 0) === 0) return false;
  if (event.organizer === null || !input.self.has(event.organizer.email.trim().toLowerCase())) return false;
  return event.attendees.some((a) => {
    const email = a.email.trim().toLowerCase();
    return a.self !== true && !input.self.has(email) && input.freeMail.has(email.slice(email.lastIndexOf('@') + 1));
  });
}

/** Words in a counterpart's name or address that say they recruit ("talent@", "Acme Recruiting", "İnsan Kaynakları"), from `words.json`. */
const PEOPLE_WORDS: readonly string[] = Object.values(data.recruiterWords.words).flatMap((list) => list.map((w) => readable(w).trim()));
const ONE_WORD = PEOPLE_WORDS.filter((w) => !w.includes(' '));
const SEVERAL_WORDS = PEOPLE_WORDS.filter((w) => w.includes(' '));
function peopleWord(words: string): string | undefined {
  const tokens = words.split(/\s+/);
  const one = ONE_WORD.find((w) => tokens.includes(w));
  if (one !== undefined || SEVERAL_WORDS.length === 0) return one;
  const spaced = ` ${tokens.join(' ')} `;
  return SEVERAL_WORDS.find((w) => spaced.includes(` ${w} `));
}

/**
 * A name and address in lower case as the word lists are: a Turkish "İ" lower-cases to "i" and a
 * combining dot, read as the "i" a person typed (as {@link readable} does, without its cost for
 * every event's organizer).
 */
function lowerName(text: string): string {
  const lower = text.toLowerCase();
  return lower.includes('\u0307') ? lower.replace(/i\u0307/g, 'i') : lower;
}

/** The user's own names as written on the invitation (two letters or more, lower case). */
function selfNamesOf(attendees: readonly Attendee[], self: ReadonlySet<string>): string[] {
  const names: string[] = [];
  for (const a of attendees) {
    if (a.self !== true && !self.has(a.email.trim().toLowerCase())) continue;
    const name = a.name.trim().toLowerCase();
    if (name.length >= 2) names.push(name);
  }
  return names;
}

export interface ClassifyInput {
  readonly event: CalendarEvent;
  readonly reading: Reading;
  readonly lexicon: Lexicon;
  readonly freeMail: ReadonlySet<string>;
  readonly self: ReadonlySet<string>;
}

const score = (tally: Tally, ...signals: string[]): number => signals.reduce((sum, s) => sum + (tally.score[s] ?? 0), 0);

/** Confidence from a margin: 0 → 0.5, 3 → 0.82, 6 → 0.93, capped at 0.99. */
function sure(margin: number): number {
  return 1 - 0.5 * Math.exp(-Math.max(0, margin) / 2.6);
}

function strongest(tally: Tally, signals: readonly string[]): Evidence | null {
  let best: Evidence | null = null;
  for (const e of tally.evidence) if (signals.includes(e.signal) && (best === null || e.weight > best.weight)) best = e;
  return best;
}

export function classify(input: ClassifyInput): Classification {
  const { event, reading, lexicon } = input;
  const tally: Tally = { evidence: [], score: {}, seen: new Set() };
  addHits(tally, reading.title, 'title', lexicon);
  // The config's keywords name an interview only where the built-in words do not already.
  if ((tally.score['interview'] ?? 0) === 0) addHits(tally, reading.titleKeywords, 'title', lexicon);
  const selfNames = selfNamesOf(event.attendees, input.self);
  const otherCandidate = withOtherCandidate(event.title, selfNames);
  if (otherCandidate !== null) {
    add(tally, { field: 'title', text: `${otherCandidate} (someone else is the candidate)`, signal: 'interviewerSide', weight: lexicon.weights.interviewerSide.title });
  }
  readLocation(tally, reading, event.location.slice(0, 500), lexicon);
  readDescription(tally, reading.lines, lexicon, selfNames);
  const conference = event.conference ?? [];
  if (conference.length > 0) {
    add(tally, { field: 'conference', text: conference[0]!.slice(0, 80), signal: 'video', weight: 5 });
  } else if (event.conferencePhones.length > 0) {
    add(tally, { field: 'conference', text: 'dial-in numbers of a conference bridge', signal: 'video', weight: 3 });
  }
  readPeople(tally, event.organizer, event.attendees, input.freeMail, input.self);
  if (runsOwnScreen(tally, event, input)) {
    add(tally, { field: 'organizer', text: 'you organise it for a guest at a personal address (a candidate)', signal: 'interviewerSide', weight: lexicon.weights.interviewerSide.title });
  }

  const job = score(tally, 'interview', 'keyword', 'scheduler', 'company');
  const against = score(tally, 'notInterview', 'interviewerSide', 'personal');
  const evidence = tally.evidence;
  if (job < JOB_MIN || against >= job) {
    const because: NotInterviewBecause =
job < JOB_MIN ? 'no-job' : pickAgainst(tally);
    const decisive = because === 'no-job' ? null : strongest(tally, [because === 'own-block' ? 'notInterview' : because === 'hiring-side' ? 'interviewerSide' : 'personal']);
    const confidence = Math.min(0.99, sure(Math.max(JOB_MIN - job, against - job) + 1));
    return { kind: 'not-interview', confidence: round(confidence), review: false, evidence, because, decisive };
  }

  const phone = score(tally, ...PHONE_SIGNALS, 'number');
  const call = score(tally, 'call');
  const video = score(tally, 'video');
  const place = score(tally, 'inPerson', 'place');
  let kind: InterviewKind;
  let margin: number;
  if (phone >= 3 && phone >= personVideo(tally)) {
    kind = 'phone';
    margin = phone + call - Math.max(personVideo(tally), place);
  } else if (video > 0) {
    kind = 'video';
    margin = video - Math.max(phone, place);
  } else if (place > phone + call) {
    kind = 'in-person';
    margin = place - (phone + call);
  } else {
    kind = 'phone';
    margin = phone + call - place;
  }
  const confidence = round(Math.min(0.99, sure(job - against) * sure(margin) * 1.25));
  const decisive = strongest(tally, kind === 'phone' ? [...PHONE_SIGNALS, 'number', 'call'] : kind === 'video' ? ['video'] : ['inPerson', 'place']);
  return { kind, confidence, review: confidence < REVIEW_BELOW, evidence, because: null, decisive };
}

/** Video evidence a person wrote (title, location, own sentences), not what a provider added. */
function personVideo(tally: Tally): number {
  return tally.evidence
    .filter((e) => e.signal === 'video' && e.field !== 'conference' && !e.text.endsWith("joining block)"))
    .reduce((sum, e) => sum + e.weight, 0);
}

function pickAgainst(tally: Tally): NotInterviewBecause {
  const own = score(tally, 'notInterview');
  const side = score(tally, 'interviewerSide');
  const personal = score(tally, 'personal');
  if (side >= own && side >= personal && side > 0) return 'hiring-side';
  if (own >= personal && own > 0) return 'own-block';
  return personal > 0 ? 'private' : 'no-job';
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
