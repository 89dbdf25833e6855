/**
 * How interview and action records are written in Redis, compactly, and read back in every form
 * ringback has written them (an upgrade finds records of earlier versions in place).
 *
 * Redis held about 6 KB per scheduled interview, against a target of 3 KB (issue 17, footprint
 * benchmark): the interview's JSON was 1.4–1.6 KB (its detection evidence most of it) and its
 * five action records 600 B, repeating the same key names in every record.
 *
 * - Interview (`iv:{id}`): JSON deflated with a preset dictionary of the record's key names and
 *   the words ringback itself writes into it (signals, fields, its own evidence phrases): about
 *   270 bytes for a typical interview. Records of earlier versions are plain JSON; both are read.
 * - Action record (a field of `iv:{id}:actions`): JSON with one-letter keys, the kind being the
 *   field's name: `{"d":dueAt,"s":state,"r":revision,"n":note}`. Records of earlier versions
 *   (`{"kind","dueAt","state","revision","note"}`) are read too, here and in the Lua of
 *   `replaceActionRecords`.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { ActionKind, Interview } from '../domain/types.js';
import type { ActionState } from '../domain/actions.js';
import type { ActionRecord } from '../domain/actions.js';

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

export function encodeInterview(interview: Interview): Buffer {
  return deflateSync(JSON.stringify(interview), { dictionary: INTERVIEW_DICTIONARY_V1 });
}

export function decodeInterview(raw: Buffer): Interview {
  const json = raw[0] === ZLIB_FIRST_BYTE ? inflateSync(raw, { dictionary: INTERVIEW_DICTIONARY_V1 }) : raw;
  return JSON.parse(json.toString('utf8')) as Interview;
}

interface StoredAction {
  readonly d: number;
  readonly s: ActionState;
  readonly r: number;
  readonly n?: string;
}

/** The earlier form, kind included. */
interface StoredActionV0 {
  readonly kind: ActionKind;
  readonly dueAt: number;
  readonly state: ActionState;
  readonly revision: number;
  readonly note?: string;
}

export function encodeActionRecord(record: ActionRecord): string {
  const stored: StoredAction = { d: record.dueAt, s: record.state, r: record.revision, ...(record.note ? { n: record.note } : {}) };
  return JSON.stringify(stored);
}

export function decodeActionRecord(kind: string, raw: string): ActionRecord {
  const parsed = JSON.parse(raw) as StoredAction | StoredActionV0;
  if ('kind' in parsed) return parsed;
  return { kind: kind as ActionKind, dueAt: parsed.d, state: parsed.s, revision: parsed.r, ...(parsed.n ? { note: parsed.n } : {}) };
}
