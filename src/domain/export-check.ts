/**
 * The check of a `ringback export` file before `ringback import` writes any of it.
 *
 * An export may have been edited by hand or damaged on its way to another machine. Every field the
 * store and the engine read is checked here, whole file first, so that a refused file writes
 * nothing, and a record that would crash the daemon later (a counterpart whose `email` is missing,
 * which `callDigestsOf` lower-cases) never reaches Redis. Messages name the entry (its index, and
 * its id when that is sound) and the field, never the value: an entry's text is not echoed back.
 */
import { ACTION_KINDS, ACTION_STATES, type ActionRecord } from './actions.js';
import { EMAIL_KINDS } from './ids.js';
import { OUTCOMES } from './outcomes.js';
import type { Interview } from './types.js';

/** An email's record as the export holds it (the store's `EmailRecord`, checked). */
export interface ExportedEmail {
  readonly kind: (typeof EMAIL_KINDS)[number];
  readonly ref: { readonly providerId: string; readonly messageId: string; readonly threadId?: string | null };
  readonly revision: number;
  readonly state: 'draft' | 'submitted' | 'sent' | 'deleted' | 'vetoed';
  readonly subject: string;
  readonly updatedAt: number;
  readonly submittedAt?: number;
  readonly to?: string | null;
  readonly start?: number;
  readonly confirmed?: number;
}

export interface ExportedBounce {
  readonly kind: (typeof EMAIL_KINDS)[number];
  readonly messageId: string;
  readonly recipient: string | null;
  readonly status: string | null;
  readonly reason: string;
  readonly reportedAt: number;
}

export interface ExportedEntry {
  readonly interview: Interview;
  readonly actions: readonly ActionRecord[];
  readonly emails: readonly ExportedEmail[];
  readonly undelivered: readonly ExportedBounce[];
}

export interface ExportedCompany {
  readonly company: string;
  readonly noShows: readonly string[];
  readonly candidateMisses: readonly string[];
  readonly pattern: boolean;
}

export interface CheckedExport {
  readonly entries: readonly ExportedEntry[];
  readonly companies: readonly ExportedCompany[];
}

/**
 * A file larger than this is refused before it is read. An export holds up to 100,000 audit
 * entries (audit.ts, MAX_LEN) of a few hundred bytes each as indented JSON, and its interviews with
 * their notes: far below this. A damaged file of a sane size with one huge field is refused by the
 * field's own bound ({@link TEXT_MAX}), naming it.
 */
export const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/** `iv` and 10 hex digits, as `interviewIdFor` (ids.ts) makes them. */
const INTERVIEW_ID = /^iv[0-9a-f]{10}$/;
/** One line of text: no control characters but the tab. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const STATUSES = ['scheduled', 'cancelled', 'declined', 'done'] as const;
const DIRECTIONS = ['candidate-calls', 'interviewer-calls', 'unknown'] as const;
const PARTICIPATION = ['accepted', 'declined', 'tentative', 'needs-action', 'delegated', 'unknown'] as const;
const CANDIDATE_ROLES = ['organizer', 'accepted', 'tentative', 'declined', 'needs-action', 'unknown'] as const;
const COUNTERPART_ROLES = ['organizer', 'named-by-organizer', ...PARTICIPATION] as const;
const OUTCOME_SOURCES = ['cli', 'tag', 'mailbox', 'assumed', 'dashboard'] as const;
const EMAIL_STATES = ['draft', 'submitted', 'sent', 'deleted', 'vetoed'] as const;
const EVIDENCE_FIELDS = ['title', 'location', 'description', 'conference', 'organizer', 'calendar', 'you'] as const;
const DECIDED_BY = ['detection', 'tag', 'you'] as const;
const SAME_CALL_BY = ['uid', 'counterpart'] as const;

/** Longest text of a one-line field, and of the free text (the event's description). */
const LINE_MAX = 2_000;
export const TEXT_MAX = 200_000;

/** Thrown with the path of the field at fault; the caller adds the entry. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

type Obj = Readonly<Record<string, unknown>>;

function object(value: unknown, field: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldError(field, 'must be an object');
  return value as Obj;
}

function array(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new FieldError(field, 'must be a list');
  return value;
}

function line(value: unknown, field: string, max = LINE_MAX): string {
  if (typeof value !== 'string') throw new FieldError(field, 'must be a string');
  if (value.length > max) throw new FieldError(field, `is longer than ${max} characters`);
  if (CONTROL.test(value)) throw new FieldError(field, 'must be one line without control characters');
  return value;
}

/** Text that may hold line breaks, as a calendar gives it (an escaped newline in an iCalendar SUMMARY). */
function text(value: unknown, field: string, max = TEXT_MAX): string {
  if (typeof value !== 'string') throw new FieldError(field, 'must be a string');
  if (value.length > max) throw new FieldError(field, `is longer than ${max} characters`);
  return value;
}

function lineOrNull(value: unknown, field: string, max = LINE_MAX): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw new FieldError(field, 'must be a string or null');
  return line(value, field, max);
}

function millis(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new FieldError(field, 'must be a time in epoch milliseconds (a whole number)');
  return value;
}

function count(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new FieldError(field, 'must be a whole number ≥ 0');
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new FieldError(field, `must be one of ${allowed.join(', ')}`);
  return found;
}

function zone(value: unknown, field: string): string {
  const name = line(value, field, 100);
  if (!isZone(name)) throw new FieldError(field, 'must be an IANA time zone such as America/New_York');
  return name;
}

/**
 * Zones already asked about: an export names a handful of zones, and building a DateTimeFormat for
 * every entry took most of the check's time (2,000 interviews: 157–207 ms of CPU, 33–97 ms with
 * this; bench README, Import).
 */
const ZONES_SEEN = new Map<string, boolean>();

function isZone(name: string): boolean {
  const seen = ZONES_SEEN.get(name);
  if (seen !== undefined) return seen;
  const valid = zoneIsValid(name);
  if (ZONES_SEEN.size < 1_000) ZONES_SEEN.set(name, valid);
  return valid;
}

function zoneIsValid(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function interviewId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !INTERVIEW_ID.test(value)) throw new FieldError(field, 'must be "iv" and 10 lower-case hex digits');
  return value;
}

/** The optional fields: absent (as exports of earlier versions have them) or checked. */
function optional<T>(o: Obj, name: string, read: (value: unknown, field: string) => T): { [K in string]: T } {
  return o[name] === undefined ? {} : { [name]: read(o[name], name) };
}

function checkInterview(o: Obj): Interview {
  const counterpart = object(o.counterpart, 'counterpart');
  const interview: Interview = {
    id: interviewId(o.id, 'id'),
    sourceId: line(o.sourceId, 'sourceId', 200),
    eventId: line(o.eventId, 'eventId'),
    ...optional(o, 'uid', line),
    title: text(o.title, 'title', LINE_MAX),
    start: millis(o.start, 'start'),
    end: millis(o.end, 'end'),
    timeZone: o.timeZone === null ? null : zone(o.timeZone, 'timeZone'),
    counterpart: {
      name: text(counterpart.name, 'counterpart.name', 500),
      email: lineOrNull(counterpart.email, 'counterpart.email', 320),
    },
    company: lineOrNull(o.company, 'company'),
    number: lineOrNull(o.number, 'number'),
    direction: oneOf(o.direction, DIRECTIONS, 'direction'),
    ...optional(o, 'dialIn', bool),
    ...optional(o, 'statedZone', zone),
    role: oneOf(o.role, CANDIDATE_ROLES, 'role'),
    ...optional(o, 'counterpartRole', (v, f) => oneOf(v, COUNTERPART_ROLES, f)),
    notes: text(o.notes, 'notes'),
    taggedOutcome: o.taggedOutcome === null ? null : oneOf(o.taggedOutcome, OUTCOMES, 'taggedOutcome'),
    ...optional(o, 'confidence', confidence),
    ...optional(o, 'review', bool),
    ...optional(o, 'evidence', evidence),
    ...optional(o, 'decidedBy', (v, f) => oneOf(v, DECIDED_BY, f)),
    revision: count(o.revision, 'revision'),
    revisionKey: line(o.revisionKey, 'revisionKey', 200),
    status: oneOf(o.status, STATUSES, 'status'),
    rescheduled: count(o.rescheduled, 'rescheduled'),
    outcome: o.outcome === null ? null : oneOf(o.outcome, OUTCOMES, 'outcome'),
    outcomeSource: o.outcomeSource === null ? null : oneOf(o.outcomeSource, OUTCOME_SOURCES, 'outcomeSource'),
    firstSeen: millis(o.firstSeen, 'firstSeen'),
    ...optional(o, 'duplicateOf', interviewId),
    ...optional(o, 'duplicateBy', (v, f) => oneOf(v, SAME_CALL_BY, f)),
    ...optional(o, 'vanished', (v, f) => {
      if (v !== true) throw new FieldError(f, 'must be true when present');
      return true as const;
    }),
    ...optional(o, 'cancelledIn', interviewId),
  } as Interview;
  if (interview.end < interview.start) throw new FieldError('end', 'must not be before start');
  return interview;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(field, 'must be true or false');
  return value;
}

function confidence(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new FieldError(field, 'must be a number from 0 to 1');
  return value;
}

function evidence(value: unknown, field: string): unknown[] {
  return array(value, field).map((item, i) => {
    const e = object(item, `${field}[${i}]`);
    if (typeof e.weight !== 'number' || !Number.isFinite(e.weight)) throw new FieldError(`${field}[${i}].weight`, 'must be a number');
    return {
      field: oneOf(e.field, EVIDENCE_FIELDS, `${field}[${i}].field`),
      text: text(e.text, `${field}[${i}].text`, LINE_MAX),
      signal: line(e.signal, `${field}[${i}].signal`, 100),
      weight: e.weight,
    };
  });
}

function checkAction(value: unknown, field: string): ActionRecord {
  const a = object(value, field);
  return {
    kind: oneOf(a.kind, ACTION_KINDS, `${field}.kind`),
    dueAt: millis(a.dueAt, `${field}.dueAt`),
    state: oneOf(a.state, ACTION_STATES, `${field}.state`),
    revision: count(a.revision, `${field}.revision`),
    ...(a.note === undefined ? {} : { note: text(a.note, `${field}.note`, LINE_MAX) }),
  };
}

function checkEmail(value: unknown, field: string): ExportedEmail {
  const e = object(value, field);
  const ref = object(e.ref, `${field}.ref`);
  const when = (name: string): { [K in string]: number } => (e[name] === undefined ? {} : { [name]: millis(e[name], `${field}.${name}`) });
  return {
    kind: oneOf(e.kind, EMAIL_KINDS, `${field}.kind`),
    ref: {
      providerId: line(ref.providerId, `${field}.ref.providerId`),
      messageId: line(ref.messageId, `${field}.ref.messageId`, 998),
      ...(ref.threadId === undefined ? {} : { threadId: lineOrNull(ref.threadId, `${field}.ref.threadId`) }),
    },
    revision: count(e.revision, `${field}.revision`),
    state: oneOf(e.state, EMAIL_STATES, `${field}.state`),
    subject: text(e.subject, `${field}.subject`, LINE_MAX),
    updatedAt: millis(e.updatedAt, `${field}.updatedAt`),
    ...when('submittedAt'),
    ...(e.to === undefined ? {} : { to: lineOrNull(e.to, `${field}.to`, 320) }),
    ...when('start'),
    ...when('confirmed'),
  } as ExportedEmail;
}

function checkBounce(value: unknown, field: string): ExportedBounce {
  const u = object(value, field);
  const orNull = (name: string): string | null => lineOrNull(u[name], `${field}.${name}`, 320);
  return {
    kind: oneOf(u.kind, EMAIL_KINDS, `${field}.kind`),
    messageId: line(u.messageId, `${field}.messageId`, 998),
    recipient: orNull('recipient'),
    status: orNull('status'),
    reason: text(u.reason, `${field}.reason`, LINE_MAX),
    reportedAt: millis(u.reportedAt, `${field}.reportedAt`),
  };
}

function checkEntry(value: unknown): ExportedEntry {
  const o = object(value, 'the entry');
  const interview = checkInterview(o);
  return {
    interview,
    actions: array(o.actions, 'actions').map((a, i) => checkAction(a, `actions[${i}]`)),
    emails: array(o.emails, 'emails').map((e, i) => checkEmail(e, `emails[${i}]`)),
    // Exports written before bounces were recorded have none.
    undelivered: o.undelivered === undefined ? [] : array(o.undelivered, 'undelivered').map((u, i) => checkBounce(u, `undelivered[${i}]`)),
  };
}

function checkCompany(value: unknown): ExportedCompany {
  const c = object(value, 'the entry');
  const ids = (name: string): string[] => (c[name] === undefined ? [] : array(c[name], name).map((id, i) => line(id, `${name}[${i}]`, 100)));
  return {
    company: line(c.company, 'company', 255),
    noShows: ids('noShows'),
    candidateMisses: ids('candidateMisses'),
    pattern: c.pattern === undefined ? false : bool(c.pattern, 'pattern'),
  };
}

/**
 * The entries of an export, every one checked, or the first problem as one line naming the entry
 * (`interviews[3] (iv3f9a0c12d4)`) and its field, and what would be valid.
 */
export function checkExport(data: unknown): CheckedExport | string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'not a ringback export (format "ringback-export", version 1)';
  const file = data as Obj;
  if (file.format !== 'ringback-export' || file.version !== 1) return 'not a ringback export (format "ringback-export", version 1)';
  if (!Array.isArray(file.interviews)) return 'interviews must be a list';
  const entries: ExportedEntry[] = [];
  const seen = new Set<string>();
  for (const [i, value] of (file.interviews as unknown[]).entries()) {
    const id = typeof value === 'object' && value !== null ? (value as Obj).id : undefined;
    const name = typeof id === 'string' && INTERVIEW_ID.test(id) ? `interviews[${i}] (${id})` : `interviews[${i}]`;
    try {
      const entry = checkEntry(value);
      if (seen.has(entry.interview.id)) return `${name}: id appears twice in the file`;
      seen.add(entry.interview.id);
      entries.push(entry);
    } catch (error) {
      if (error instanceof FieldError) return `${name}: ${error.message}`;
      throw error;
    }
  }
  const companies: ExportedCompany[] = [];
  if (file.companies !== undefined) {
    if (!Array.isArray(file.companies)) return 'companies must be a list';
    for (const [i, value] of (file.companies as unknown[]).entries()) {
      try {
        companies.push(checkCompany(value));
      } catch (error) {
        if (error instanceof FieldError) return `companies[${i}]: ${error.message}`;
        throw error;
      }
    }
  }
  return { entries, companies };
}
