/**
 * How interview and action records are written in Redis, compactly, and read back in every form
 * ringback has written them (an upgrade finds records of earlier versions in place).
 *
 * Redis held about 6 KB per scheduled interview, against a target of 3 KB (issue 17, footprint
 * benchmark): the interview's JSON was 1.4–1.6 KB (its detection evidence most of it) and its
 * five action records 600 B, repeating the same key names in every record.
 *
 * - Interview (`iv:{id}`): the record's values in a fixed order, without key names, raw-deflated
 *   with a preset dictionary of the values ringback itself writes into it (statuses, signals, its
 *   own evidence phrases), after a version byte ({@link encodeInterview}): about 240 bytes for a
 *   typical interview. Records of earlier versions, JSON deflated with the first dictionary (about
 *   300 bytes) or plain JSON, are read too, and written in the second form when saved again.
 * - Action record (a field of `iv:{id}:actions`): the field is the kind's code
 *   ({@link ACTION_KIND_FIELD}), the value `{state code} {revision} {due, base 36}[ {note}]`
 *   ({@link encodeActionRecord}); one with plain words of a failure or a miss (`plain`, `fix`) as
 *   JSON with one-letter keys (`{"d","s","r","n","p","f"}`). Records of earlier versions, under the kind's name, as JSON with
 *   one-letter keys (`{"d","s","r","n"}`) or with full ones (`{"kind","dueAt","state","revision","note"}`),
 *   are read too, here and in the Lua of interviews.ts.
 * - Audit message (field `z1` of an entry of the `audit` stream): raw deflate with a preset
 *   dictionary of the phrases ringback writes there ({@link encodeAuditMessage}): a plan's line of
 *   280 characters takes about 75 bytes. Entries of earlier versions, and messages that deflate
 *   would not make shorter, keep the text in `message`; both are read.
 */
import { constants as zlibConstants, deflateRawSync, deflateSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { ActionKind, Interview } from '../domain/types.js';
import { ACTION_KIND_CODE, type ActionRecord, type ActionState } from '../domain/actions.js';

/**
 * The preset dictionary of interview records. NEVER EDIT IT: records written with it can only be
 * read with the very same bytes. zlib writes the dictionary's checksum into each record, so a
 * better dictionary can be added later beside this one (chosen on read by that checksum).
 */
const INTERVIEW_DICTIONARY_V1 = Buffer.from(
  '"taggedOutcome":null,"confidence":0.9,"review":false,"decidedBy":"detection","user","sourceId":"","eventId":"",' +
    '"revision":1,"revisionKey":"","status":"scheduled","cancelled","declined","rescheduled":false,"outcome":null,' +
    '"outcomeSource":null,"firstSeen":17,"held","interviewer-no-show","candidate-missed",' +
    '"evidence":[{"field":"organizer","text":" (a company address)","signal":"company","weight":1},' +
    '{"field":"attendees","field":"conference","field":"location","text":"phone","signal":"phone","weight":5},' +
    '{"field":"title","text":"phone interview","signal":"interview","weight":3},{"field":"description","text":"call you",' +
    '"signal":"interviewerCalls","candidateCalls","weight":2.5},{"field":"description","text":"a phone number written by a person",' +
    '"signal":"number","weight":1},{"field":"description","text":"interviewer-calls: the only number written is yours; number +1",' +
    '"signal":"call","weight":0.5}],"title":"","start":17,"end":17,"timeZone":"UTC","counterpart":{"name":"","email":""},' +
    '"company":"","number":"+1","direction":"interviewer-calls","candidate-calls","unknown","role":"accepted","organizer",' +
    '"counterpartRole":"organizer","notes":"","id":"iv',
);

/** First byte of a zlib stream with the usual window (0x78); JSON starts with '{' (0x7b). */
const ZLIB_FIRST_BYTE = 0x78;

/** First byte of a record of the second form ({@link encodeInterview}). */
const POSITIONAL_V2 = 0x02;

/**
 * The fields of an interview record in the order the second form writes their values. NEVER
 * REORDER OR REMOVE one: records are read by position. A field added to `Interview` later goes at
 * the end; until then it is kept in the record's trailing object of other fields, so nothing is
 * ever lost.
 */
const INTERVIEW_FIELDS = [
  'id',
  'sourceId',
  'eventId',
  'revision',
  'revisionKey',
  'status',
  'rescheduled',
  'outcome',
  'outcomeSource',
  'firstSeen',
  'title',
  'start',
  'end',
  'timeZone',
  'counterpart',
  'company',
  'number',
  'direction',
  'role',
  'counterpartRole',
  'notes',
  'taggedOutcome',
  'confidence',
  'review',
  'decidedBy',
  'evidence',
] as const;

/**
 * The preset dictionary of the second form. NEVER EDIT IT (as V1): the values ringback itself
 * writes into a record, in the order the record holds them, the most frequent last (deflate's
 * nearest matches cost the fewest bits).
 */
const INTERVIEW_DICTIONARY_V2 = Buffer.from(
  '"cancelled","declined","done","held","interviewer-no-show","candidate-missed","assumed","mailbox","dashboard","cli","tag",' +
    '"candidate-calls","unknown","organizer","tentative","needs-action","you","calendar","bridge","video",' +
    '"dial-in numbers of a conference bridge","a sentence says who calls","whose number is written","the title says who calls",' +
    '"the default direction in the config","candidateCalls",0],"interviewerCalls",2.5],["description","call you",' +
    '"call",0.5],["attendees","conference","location","phone","phone",5],["title","phone interview","phone screen","phone",4],' +
    '["title","interview",3],["description","a phone number written by a person","number",1],' +
    '["organizer"," (a company address)","company",1],["description","interviewer-calls: the only number written is yours; number +1",' +
    '"interviewerCalls",0]]]' +
    '[0,"iv",1,"scheduled",0,null,null,17,"Phone interview with ","Phone screen with ",17,17,"UTC",["",""],"","+1",' +
    '"interviewer-calls","accepted","organizer","",null,0.99,false,"detection",[["location","phone","phone",5],',
);

type Positional = unknown[];

/** An evidence or counterpart object as the array of its values, when it has exactly these keys. */
function asTuple(value: unknown, keys: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const own = Object.keys(value);
  if (own.length !== keys.length || !keys.every((k) => own.includes(k))) return value;
  return keys.map((k) => (value as Record<string, unknown>)[k]);
}

function fromTuple(value: unknown, keys: readonly string[]): unknown {
  return Array.isArray(value) ? Object.fromEntries(keys.map((k, i) => [k, value[i] as unknown])) : value;
}

const EVIDENCE_KEYS = ['field', 'text', 'signal', 'weight'] as const;
const PERSON_KEYS = ['name', 'email'] as const;

/**
 * `[absent, ...values, others?]`: the values of {@link INTERVIEW_FIELDS} in order (each evidence
 * and the counterpart as arrays of their values), `absent` a bit mask of the fields the record
 * lacks (their value written as 0), then an object of any other fields, left out when there is
 * none. The key names were what the dictionary of the first form could not make cheap: without
 * them a typical record takes about 250 bytes instead of 305, one allocator size class down
 * (issue 17, footprint benchmark).
 */
function toPositional(interview: Interview): Positional {
  const record = interview as unknown as Record<string, unknown>;
  let absent = 0;
  const values = INTERVIEW_FIELDS.map((field, i) => {
    const value = record[field];
    if (value === undefined) {
      absent += 2 ** i;
      return 0;
    }
    if (field === 'evidence' && Array.isArray(value)) return value.map((e) => asTuple(e, EVIDENCE_KEYS));
    if (field === 'counterpart') return asTuple(value, PERSON_KEYS);
    return value;
  });
  const known = new Set<string>(INTERVIEW_FIELDS);
  const others = Object.fromEntries(Object.entries(record).filter(([k, v]) => !known.has(k) && v !== undefined));
  return Object.keys(others).length > 0 ? [absent, ...values, others] : [absent, ...values];
}

function fromPositional(positional: Positional): Interview {
  const [absent, ...rest] = positional;
  const mask = typeof absent === 'number' ? absent : 0;
  const record: Record<string, unknown> = {};
  INTERVIEW_FIELDS.forEach((field, i) => {
    if (Math.floor(mask / 2 ** i) % 2 === 1) return;
    const value = rest[i];
    if (field === 'evidence' && Array.isArray(value)) record[field] = value.map((e) => fromTuple(e, EVIDENCE_KEYS));
    else if (field === 'counterpart') record[field] = fromTuple(value, PERSON_KEYS);
    else record[field] = value;
  });
  const others = rest[INTERVIEW_FIELDS.length];
  if (typeof others === 'object' && others !== null && !Array.isArray(others)) Object.assign(record, others);
  return record as unknown as Interview;
}

/**
 * An interview record as it is kept: one byte (2), then the record's values in a fixed order
 * ({@link toPositional}) as JSON, raw-deflated with {@link INTERVIEW_DICTIONARY_V2}. The same
 * interview always gives the same bytes, whatever the order of its keys
 * (`saveInterviewIfUnchanged` compares bytes). zlib's output buffer is sized to the record's JSON
 * (deflate makes it shorter; more would go in a second buffer) rather than its 16 KB default: the
 * same bytes, and 1.5–2 µs less per record measured alone, as for audit messages below.
 */
export function encodeInterview(interview: Interview): Buffer {
  const json = Buffer.from(JSON.stringify(toPositional(interview)), 'utf8');
  const deflated = deflateRawSync(json, { dictionary: INTERVIEW_DICTIONARY_V2, chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, json.length) });
  return Buffer.concat([Buffer.of(POSITIONAL_V2), deflated]);
}

/**
 * A record's JSON is 5–6 times its deflated bytes (1.5 KB from 270 bytes for the benchmarks'
 * interviews); zlib's first output buffer is sized for 8 times, not its 16 KB default, and a longer
 * record is inflated into further buffers, to the same text.
 */
const INFLATED_PER_BYTE = 8;

/** Reads a record of any form: the second, the first (zlib with V1's dictionary) or plain JSON. */
export function decodeInterview(raw: Buffer): Interview {
  if (raw[0] === POSITIONAL_V2) {
    const json = inflateRawSync(raw.subarray(1), { dictionary: INTERVIEW_DICTIONARY_V2, chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, raw.length * INFLATED_PER_BYTE) });
    return fromPositional(JSON.parse(json.toString('utf8')) as Positional);
  }
  const json = raw[0] === ZLIB_FIRST_BYTE ? inflateSync(raw, { dictionary: INTERVIEW_DICTIONARY_V1 }) : raw;
  return JSON.parse(json.toString('utf8')) as Interview;
}

/** A record in the first form, as earlier versions wrote it (for the tests that it is still read). */
export function encodeInterviewV1(interview: Interview): Buffer {
  return deflateSync(JSON.stringify(interview), { dictionary: INTERVIEW_DICTIONARY_V1 });
}

/**
 * The field of each kind in `iv:{id}:actions`: the kind's code (ACTION_KIND_CODE). Records of
 * earlier versions are under the kind's full name; both are read, and a record written again goes
 * under its code (the full name's field is removed).
 */
export const ACTION_KIND_FIELD: Readonly<Record<ActionKind, string>> = ACTION_KIND_CODE;

/** How each state is written in an action record. NEVER CHANGE a code: records are read by it. */
export const ACTION_STATE_CODE: Readonly<Record<ActionState, string>> = {
  pending: 'p',
  done: 'd',
  sent: 's',
  vetoed: 'v',
  'kept-as-draft': 'k',
  skipped: 'sk',
  stale: 'st',
  failed: 'f',
  cancelled: 'c',
  parked: 'w',
  missed: 'm',
  unconfirmed: 'u',
};

const KIND_OF_FIELD = new Map<string, ActionKind>(
  (Object.entries(ACTION_KIND_FIELD) as [ActionKind, string][]).flatMap(([kind, field]) => [
    [field, kind],
    [kind, kind],
  ]),
);
const STATE_OF_CODE = new Map<string, ActionState>(
  (Object.entries(ACTION_STATE_CODE) as [ActionState, string][]).map(([state, code]) => [code, state]),
);

/** The kind a field of `iv:{id}:actions` holds, by its code or, for earlier versions, its name. */
export function kindOfActionField(field: string): ActionKind | null {
  return KIND_OF_FIELD.get(field) ?? null;
}

/** The earlier form: one-letter keys, the kind being the field's name. */
interface StoredActionV1 {
  readonly d: number;
  readonly s: ActionState;
  readonly r: number;
  readonly n?: string;
  /** `plain` and `fix` ({@link encodeActionRecord}). */
  readonly p?: string;
  readonly f?: string;
}

/** The first form, kind included. */
interface StoredActionV0 {
  readonly kind: ActionKind;
  readonly dueAt: number;
  readonly state: ActionState;
  readonly revision: number;
  readonly note?: string;
}

/**
 * `{state code} {revision} {due time, ms in base 36}[ {note}]`, e.g. `p 2 mjpyzl00`: 15 bytes where
 * the JSON of earlier versions took 40, with the kind's name as the field (issue 17, footprint
 * benchmark). The Lua of interviews.ts reads the state and revision with `^(%S+) (%d+)`.
 */
export function encodeActionRecord(record: ActionRecord): string {
  // A record with plain words (a failure or a miss: rare) in the JSON form with one-letter keys,
  // which every version reads, an earlier one without them; the short form has no room for two texts.
  if (record.plain !== undefined || record.fix !== undefined) {
    const stored: StoredActionV1 = { d: record.dueAt, s: record.state, r: record.revision, ...(record.note ? { n: record.note } : {}), ...(record.plain ? { p: record.plain } : {}), ...(record.fix ? { f: record.fix } : {}) };
    return JSON.stringify(stored);
  }
  const head = `${ACTION_STATE_CODE[record.state]} ${record.revision} ${Math.round(record.dueAt).toString(36)}`;
  return record.note ? `${head} ${record.note}` : head;
}

/** Reads a record of any version; `kind` is the field's kind ({@link kindOfActionField}). */
export function decodeActionRecord(kind: ActionKind, raw: string): ActionRecord {
  if (raw.startsWith('{')) {
    const parsed = JSON.parse(raw) as StoredActionV1 | StoredActionV0;
    if ('kind' in parsed) return parsed;
    return { kind, dueAt: parsed.d, state: parsed.s, revision: parsed.r, ...(parsed.n ? { note: parsed.n } : {}), ...(parsed.p ? { plain: parsed.p } : {}), ...(parsed.f ? { fix: parsed.f } : {}) };
  }
  const [code = '', revision = '', due = ''] = raw.split(' ', 3);
  const note = raw.slice(code.length + revision.length + due.length + 3);
  const state = STATE_OF_CODE.get(code);
  if (!state) throw new Error(`unreadable action record of ${kind}: ${raw.slice(0, 40)}`);
  return { kind, dueAt: parseInt(due, 36), state, revision: Number(revision), ...(note ? { note } : {}) };
}

/**
 * The preset dictionary of audit messages. NEVER EDIT IT: messages written with it can only be read
 * with the very same bytes. A better one goes beside it under a field name of its own (`z2`).
 * Deflate finds matches anywhere in it, and the nearest cost the fewest bits: the most frequent
 * phrases (a plan's line, a detection) come last.
 */
const AUDIT_DICTIONARY_V1 = Buffer.from(
  'reconciler: 0 missing jobs recreated, 0 stale removed, 0 moved to their due time; ' +
    'missed: could not be used, and by the time it could; the interview changed since this was planned (revision ' +
    'the interview is no longer known; the interview is cancelled; the counterpart replied; replied after the call (' +
    '"): pending follow-ups stopped; pending emails withdrawn; nothing done, already written; draft already written; ' +
    'you deleted the confirmation draft: nothing sent; kept as a draft: ; the confirmation stays a draft, send it yourself; ' +
    'no-show draft unsent: removed, call assumed held; you sent the no-show email: outcome interviewer-no-show; ' +
    'outcome: held — candidate-missed (assumed) (you) no thank-you: outcome is ; pattern flag cleared by you; ' +
    'draft removed from Drafts ("; you marked "; confirmation sent to ; ' +
    '" found, but you declined it: nothing will be sent; calendar entry " skipped: ; ' +
    '; needs review (confidence 0.): the confirmation stays a draft until "ringback mark iv phone"; who calls whom is not said; ' +
    'apology draft at ; ago) Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec ' +
    'UTC GMT CET CEST BST PST PDT MST MDT CST CDT EDT EST (in 1 h) (in 30 min) (now) ' +
    'phone interview found: "Phone interview with Phone screen with Call with ", they call, you call; ' +
    'planned: confirmation draft at Mon 1 Jan 09:00 EST (in 2 days); confirmation send at Tue 2 Jan 10:00 EST (in 3 days); ' +
    'no-show draft at Wed 3 Jan 11:15 EST (in 4 days); no-show check at Thu 4 Jan 11:30 EST (in 5 days); ' +
    'thank-you draft at Fri 5 Jan 12:00 EST (in 6 days)',
);

/**
 * An audit message as it is kept: deflated when that makes it shorter, else as it is (null).
 * The output buffer is sized to the message (kept only if shorter) instead of zlib's 16 KB
 * default: the bytes are the same, and a 16 KB buffer for every line cost more than the deflate,
 * about 60 µs of CPU per plan line in the schedule benchmark, most of it in the collector.
 */
export function encodeAuditMessage(message: string): Buffer | null {
  const text = Buffer.from(message, 'utf8');
  const deflated = deflateRawSync(text, { dictionary: AUDIT_DICTIONARY_V1, chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, text.length) });
  return deflated.length < text.length ? deflated : null;
}

export function decodeAuditMessage(deflated: Buffer): string {
  return inflateRawSync(deflated, { dictionary: AUDIT_DICTIONARY_V1 }).toString('utf8');
}
