/**
 * The check of a `ringback export` file before `ringback import` writes any of it.
 *
 * An export may have been edited by hand or damaged on its way to another machine. Every field the
 * store and the engine read is checked here, whole file first, so that a refused file writes
 * nothing, and a record that would crash the daemon later (a counterpart whose `email` is missing,
 * which `callDigestsOf` lower-cases) never reaches Redis. Messages name the entry (its index, and
 * its id when that is sound) and the field, never the value: an entry's text is not echoed back.
 *
 * The records are the store's own types (`Interview`, `ActionRecord`, `EmailRecord`,
 * `UndeliveredEmail`, `CompanyRecord`), each read by a table with one reader per field of its type
 * ({@link Readers}), and the words a field may hold are the lists those types are made of
 * (domain/types.ts, domain/actions.ts, drafts.ts): a field or a word added to a record is checked
 * here, or the build fails, instead of an import refusing or dropping what the export wrote.
 */
import { ACTION_KINDS, ACTION_STATES, type ActionRecord } from '../domain/actions.js';
import { EMAIL_KINDS } from '../domain/ids.js';
import {
  CANDIDATE_ROLES,
  COUNTERPART_ROLES,
  DECIDERS,
  DIRECTIONS,
  EVIDENCE_FIELDS,
  INTERVIEW_STATUSES,
  MARK_KINDS,
  OUTCOME_SOURCES,
  OUTCOMES,
  SAME_CALL_BY,
  type Counterpart,
  type Evidence,
  type Interview,
  type StatedOffset,
} from '../domain/types.js';
import type { DraftRef } from '../providers/mail/types.js';
import type { CompanyRecord } from './companies.js';
import type { StoredMark } from './detections.js';
import { EMAIL_STATES, LATE_EDITS_KEPT, type EmailRecord } from './drafts.js';
import type { UndeliveredEmail } from './undelivered.js';

export interface ExportedEntry {
  readonly interview: Interview;
  readonly actions: readonly ActionRecord[];
  readonly emails: readonly EmailRecord[];
  readonly undelivered: readonly UndeliveredEmail[];
}

export interface CheckedExport {
  readonly entries: readonly ExportedEntry[];
  readonly companies: readonly CompanyRecord[];
  /** By interview id; none in exports of earlier versions. */
  readonly marks: Readonly<Record<string, StoredMark>>;
  /** By company or address; none in exports of earlier versions. */
  readonly zones: Readonly<Record<string, string>>;
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

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new FieldError(field, 'must be true or false');
  return value;
}

function confidence(value: unknown, field: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new FieldError(field, 'must be a number from 0 to 1');
  return value;
}

function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FieldError(field, 'must be a number');
  return value;
}

type Read<T> = (value: unknown, field: string) => T;

/** The reader of a field its record may lack: absent (as exports of earlier versions have it), the field is left out. */
interface Optional<T> {
  readonly optional: Read<T>;
}

/**
 * One reader for every field of a record `T`, optional fields as {@link Optional}. The type asks
 * for every key of `T`, so a field added to the record's type and not read here fails the build;
 * a field of the file that no reader names is not written.
 */
type Readers<T> = { readonly [K in keyof T]-?: undefined extends T[K] ? Optional<Exclude<T[K], undefined>> : Read<T[K]> };

/** The reader of a whole record by its table, naming fields below `field` (`emails[0].ref.messageId`). */
function recordOf<T>(readers: Readers<T>): Read<T> {
  const fields = Object.entries(readers) as [string, Read<unknown> | Optional<unknown>][];
  return (value, field) => {
    const o = object(value, field === '' ? 'the entry' : field);
    const prefix = field === '' ? '' : `${field}.`;
    const out: Record<string, unknown> = {};
    for (const [name, reader] of fields) {
      if (typeof reader === 'function') out[name] = reader(o[name], prefix + name);
      else if (o[name] !== undefined) out[name] = reader.optional(o[name], prefix + name);
    }
    return out as T;
  };
}

const among =
  <T extends string>(allowed: readonly T[]): Read<T> =>
  (value, field) =>
    oneOf(value, allowed, field);

const orNull =
  <T>(read: Read<T>): Read<T | null> =>
  (value, field) =>
    value === null ? null : read(value, field);

const upTo =
  (read: (value: unknown, field: string, max: number) => string, max: number): Read<string> =>
  (value, field) =>
    read(value, field, max);

const listOf =
  <T>(read: Read<T>): Read<T[]> =>
  (value, field) =>
    array(value, field).map((item, i) => read(item, `${field}[${i}]`));

/** A flag kept only when set: `true`, never `false`. */
function trueWhenPresent(value: unknown, field: string): true {
  if (value !== true) throw new FieldError(field, 'must be true when present');
  return true;
}

/** A list of at most `max` items, each read by `read`. */
function boundedList<T>(value: unknown, field: string, max: number, read: Read<T>): T[] {
  if (array(value, field).length > max) throw new FieldError(field, `must have at most ${max} items`);
  return listOf(read)(value, field);
}

const checkCounterpart = recordOf<Counterpart>({
  name: upTo(text, 500),
  email: (value, field) => lineOrNull(value, field, 320),
});

/** Minutes east of UTC: the furthest offsets in use are −12 and +14 hours. */
function offsetMinutes(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || Math.abs(value) > 14 * 60) throw new FieldError(field, 'must be an offset in whole minutes between -840 and 840');
  return value;
}

const checkStatedOffset = recordOf<StatedOffset>({ at: millis, offset: offsetMinutes });

const checkEvidence = recordOf<Evidence>({
  field: among(EVIDENCE_FIELDS),
  text: upTo(text, LINE_MAX),
  signal: upTo(line, 100),
  weight: finite,
});

const INTERVIEW: Readers<Interview> = {
  id: interviewId,
  sourceId: upTo(line, 200),
  eventId: line,
  uid: { optional: line },
  title: upTo(text, LINE_MAX),
  start: millis,
  end: millis,
  timeZone: orNull(zone),
  counterpart: checkCounterpart,
  company: lineOrNull,
  number: lineOrNull,
  direction: among(DIRECTIONS),
  dialIn: { optional: bool },
  statedZone: { optional: zone },
  statedOffset: { optional: checkStatedOffset },
  role: among(CANDIDATE_ROLES),
  counterpartRole: { optional: among(COUNTERPART_ROLES) },
  notes: text,
  taggedOutcome: orNull(among(OUTCOMES)),
  confidence: { optional: confidence },
  review: { optional: bool },
  evidence: { optional: listOf(checkEvidence) },
  decidedBy: { optional: among(DECIDERS) },
  revision: count,
  revisionKey: upTo(line, 200),
  status: among(INTERVIEW_STATUSES),
  rescheduled: count,
  outcome: orNull(among(OUTCOMES)),
  outcomeSource: orNull(among(OUTCOME_SOURCES)),
  firstSeen: millis,
  duplicateOf: { optional: interviewId },
  duplicateBy: { optional: among(SAME_CALL_BY) },
  vanished: {
    optional: (value, field) => {
      if (value !== true) throw new FieldError(field, 'must be true when present');
      return true;
    },
  },
  cancelledIn: { optional: interviewId },
};

const readInterview = recordOf(INTERVIEW);

function checkInterview(o: Obj): Interview {
  const interview = readInterview(o, '');
  if (interview.end < interview.start) throw new FieldError('end', 'must not be before start');
  return interview;
}

const checkAction = recordOf<ActionRecord>({
  kind: among(ACTION_KINDS),
  dueAt: millis,
  state: among(ACTION_STATES),
  revision: count,
  note: { optional: upTo(text, LINE_MAX) },
  plain: { optional: upTo(text, LINE_MAX) },
  fix: { optional: upTo(text, LINE_MAX) },
});

const checkRef = recordOf<DraftRef>({
  providerId: line,
  messageId: upTo(line, 998),
  threadId: { optional: lineOrNull },
});

const checkEmail = recordOf<EmailRecord>({
  kind: among(EMAIL_KINDS),
  ref: checkRef,
  revision: count,
  state: among(EMAIL_STATES),
  subject: upTo(text, LINE_MAX),
  updatedAt: millis,
  submittedAt: { optional: millis },
  to: { optional: (value, field) => lineOrNull(value, field, 320) },
  start: { optional: millis },
  confirmed: { optional: millis },
  zone: { optional: zone },
  zoneNoted: { optional: zone },
  theirZone: { optional: (value, field) => (value === null ? null : zone(value, field)) },
  lateEditNoted: { optional: trueWhenPresent },
  lateEdits: { optional: (value, field) => boundedList(value, field, LATE_EDITS_KEPT, upTo(line, 64)) },
  says: { optional: upTo(line, 64) },
});

const checkBounce = recordOf<UndeliveredEmail>({
  kind: among(EMAIL_KINDS),
  messageId: upTo(line, 998),
  recipient: (value, field) => lineOrNull(value, field, 320),
  status: (value, field) => lineOrNull(value, field, 320),
  reason: upTo(text, LINE_MAX),
  reportedAt: millis,
  temporary: { optional: trueWhenPresent },
});

function checkEntry(value: unknown): ExportedEntry {
  const o = object(value, 'the entry');
  return {
    interview: checkInterview(o),
    actions: listOf(checkAction)(o.actions, 'actions'),
    emails: listOf(checkEmail)(o.emails, 'emails'),
    // Exports written before bounces were recorded have none.
    undelivered: o.undelivered === undefined ? [] : listOf(checkBounce)(o.undelivered, 'undelivered'),
  };
}

const companyIds = listOf(upTo(line, 100));

/** A company's record; its lists, flag and time of clearing may be absent (a record never cleared, a hand-written file). */
const checkCompany = recordOf<CompanyRecord>({
  company: upTo(line, 255),
  noShows: (value, field) => (value === undefined ? [] : companyIds(value, field)),
  candidateMisses: (value, field) => (value === undefined ? [] : companyIds(value, field)),
  pattern: (value, field) => (value === undefined ? false : bool(value, field)),
  clearedAt: (value, field) => (value === undefined || value === null ? null : millis(value, field)),
});

const checkMark = recordOf<StoredMark>({
  kind: among(MARK_KINDS),
  direction: { optional: among(DIRECTIONS) },
  number: { optional: upTo(line, 32) },
  at: millis,
  sourceId: upTo(line, 200),
  eventId: line,
});

/**
 * An object of named values (`marks`, `zones`), each name and value checked, named by position
 * (`zones[2]`) as a name may be a person's address; absent: none.
 */
function byName<T>(value: unknown, field: string, readName: Read<string>, read: Read<T>): Record<string, T> {
  if (value === undefined) return {};
  const out: Record<string, T> = {};
  for (const [i, [name, item]] of Object.entries(object(value, field)).entries()) {
    readName(name, `${field}[${i}] name`);
    out[name] = read(item, `${field}[${i}]`);
  }
  return out;
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
  const companies: CompanyRecord[] = [];
  if (file.companies !== undefined) {
    if (!Array.isArray(file.companies)) return 'companies must be a list';
    for (const [i, value] of (file.companies as unknown[]).entries()) {
      try {
        companies.push(checkCompany(value, ''));
      } catch (error) {
        if (error instanceof FieldError) return `companies[${i}]: ${error.message}`;
        throw error;
      }
    }
  }
  try {
    const marks = byName(file.marks, 'marks', interviewId, checkMark);
    const zones = byName(file.zones, 'zones', upTo(line, 320), zone);
    return { entries, companies, marks, zones };
  } catch (error) {
    if (error instanceof FieldError) return error.message;
    throw error;
  }
}
