/**
 * One sync of one calendar account: read the changes since the stored cursor, turn qualifying
 * events into interviews, replan what changed, withdraw what disappeared, then store the new
 * cursor. Idempotent: a sync that fails half-way is simply done again (the cursor is stored last).
 *
 * When the detection rules changed since the account's kept events were read (an upgrade), the
 * sync first reads those still ahead again, without asking the calendar (reread.ts), on the same
 * path as the changed events of a page, and then stores the rules' version.
 */
import { NO_ADDRESS_NOTE, counterpartShown } from '../domain/counterpart.js';
import { DETECTION_VERSION, analyse, revisionKey, type Analysis } from '../domain/detect.js';
import type { Flood } from '../domain/flood.js';
import { eventHash, interviewIdFor } from '../domain/ids.js';
import type { CalendarEvent, Detection, Interview, NotAnInterview, UserMark } from '../domain/types.js';
import type { SkippedItem } from '../providers/calendar/types.js';
import { audit, type AuditEntry } from '../store/audit.js';
import { getCursor, getDetectionVersion, setCursor, setDetectionVersion } from '../store/accounts.js';
import { redisRunId, sendTogether } from '../store/connection.js';
import { TransientError } from '../providers/errors.js';
import { getMark, getMarks, saveSeen, type StoredMark } from '../store/detections.js';
import { forgetEvents, getEventHashes, getEventHashesOf, setEventsSeen, type EventSeen } from '../store/events.js';
import { checkAttempts, createInterviews, getStoredInterview, saveInterviewIfUnchanged, type StoredInterview } from '../store/interview-writes.js';
import { getInterview, recordedInterviews } from '../store/interviews.js';
import { cancelInterview, withdrawInterview } from './cancel.js';
import type { Engine } from './context.js';
import { PageWrites } from './first-plans.js';
import { floodKeyOf, floodsIn, hashKey, holdFlooded, reportFlood } from './floods.js';
import { recordOutcome } from './outcome.js';
import { keptEventsAhead } from './reread.js';
import { replan } from './replan.js';
import { safeTitle } from './wording.js';

export interface SyncSummary {
  readonly accountId: string;
  readonly events: number;
  readonly changed: number;
  readonly interviewsNew: number;
  readonly interviewsUpdated: number;
  readonly withdrawn: number;
  readonly skippedItems: number;
  /** Titles of changed events that are not interviews, with the reason (at most 50). */
  readonly notInterviews: readonly { title: string; reason: string }[];
  readonly full: boolean;
  /**
   * The account's kept events read again because the detection rules changed since they were read
   * (an upgrade): how many, and how many of them are now phone interviews. Null: nothing to do.
   */
  readonly readAgain: { readonly events: number; readonly interviews: number } | null;
}

type SummaryDraft = { -readonly [K in keyof SyncSummary]: SyncSummary[K] } & { notInterviews: { title: string; reason: string }[] };

/** Skipped entries are remembered beside the events, so that each is audited once. */
function skipKeyOf(item: SkippedItem): string {
  return `skip:${hashKey(item.ref + item.reason)}`;
}

const SKIP_WORDS: Record<NotAnInterview['reason'], string> = {
  'no-match': 'not a phone interview',
  excluded: 'excluded',
  'all-day': 'all-day events never qualify',
  cancelled: 'cancelled',
  'no-counterpart': 'nobody else on it: no organizer or attendee besides you, not even a no-reply sender (an entry of your own)',
  'own-block': 'a block of your own',
  video: 'a video interview',
  'in-person': 'an in-person interview',
  'not-interview': 'not a job interview',
  marked: 'you marked it',
};

export function describeSkip(skip: NotAnInterview): string {
  const base = SKIP_WORDS[skip.reason];
  return 'detail' in skip && skip.detail ? `${base}: ${skip.detail}` : base;
}

/** The store writes a hash's fields up to this many per command (src/store/events.ts). */
const WRITE_CHUNK = 1000;

/**
 * What a sync starts from, when the caller has read it already (the sync worker reads both in the
 * round trip that takes the lease): the stored cursor, and the Redis run id before any write.
 */
export interface SyncStart {
  readonly cursor: string | null;
  readonly runId: string;
  /**
   * What the caller writes once the sync has succeeded, sent right after the hashes and the cursor
   * in the same round trip (the sync worker: the account's success, and the release of its lease).
   */
  readonly withCursor?: (summary: SyncSummary) => Promise<void>;
  /**
   * The detection version the account's kept events were read with (getDetectionVersion), when
   * the caller read it in its first round trip; undefined: read here.
   */
  readonly detectionVersion?: number | null;
}

/** What one sync has done so far: its pages, and the reading again of kept events, share it. */
interface SyncRun {
  readonly accountId: string;
  readonly summary: SummaryDraft;
  /** Events processed in this sync: a repeated id must see what its first occurrence wrote. */
  readonly processed: Set<string>;
  readonly writes: PageWrites;
  /** The hashes kept before this sync, by event id (and the keys of skipped entries and floods). */
  readonly known: ReadonlyMap<string, string>;
  /** What this sync writes beside the events when it ends (see syncAccount). */
  readonly changedHashes: Map<string, EventSeen>;
}

export async function syncAccount(engine: Engine, accountId: string, signal: AbortSignal, start?: SyncStart): Promise<SyncSummary> {
  const source = engine.calendars.get(accountId);
  if (!source) throw new Error(`no calendar account "${accountId}" in the config`);
  const begun = start ?? (await readStart(engine, accountId));
  const { cursor, runId } = begun;
  const readWith = begun.detectionVersion !== undefined ? begun.detectionVersion : await getDetectionVersion(engine.store, accountId);
  // The content hash last processed, by event id. A delta page needs only the hashes of the ids it
  // names, so a poll costs what changed rather than what the calendar holds; a full listing reads
  // them all, since every known id it does not mention is gone.
  const known = new Map<string, string>();
  let knownAll = false;
  const seen = new Set<string>();
  // What is written for each changed event (and each new skip or flood): its hash and busy time.
  const changedHashes = new Map<string, EventSeen>();
  const summary: SummaryDraft = {
    accountId,
    events: 0,
    changed: 0,
    interviewsNew: 0,
    interviewsUpdated: 0,
    withdrawn: 0,
    skippedItems: 0,
    notInterviews: [],
    full: false,
    readAgain: null,
  };
  let nextCursor: string | null = cursor;
  const deletions = new Set<string>();
  const writes = new PageWrites(engine);
  const run: SyncRun = { accountId, summary, processed: new Set(), writes, known, changedHashes };

  // Before the calendar's changes, so that a change it reports now is applied over what the
  // earlier rules missed. Under the account's lease, like the rest of the sync.
  let versionLater = false;
  if ((readWith ?? 1) < DETECTION_VERSION) {
    const { entries, stored } = await readKeptAgain(engine, run, readWith ?? 1, runId);
    for (const [id, seen] of entries) known.set(id, seen.hash);
    knownAll = true;
    versionLater = !stored;
  }

  for await (const page of source.sync(cursor, signal)) {
    if (page.full) summary.full = true;
    const floods = floodsIn(engine, page.upserts);
    // Each event's interview id, hashed once (a first sync computes 300 per account).
    const idOf = new Map(page.upserts.map((event) => [event.id, interviewIdFor(accountId, event.id)]));
    const interviewId = (event: CalendarEvent) => idOf.get(event.id) ?? interviewIdFor(accountId, event.id);
    // A delta page names only what changed: the records and marks of its events are read in the
    // same round trip as their hashes (a poll's round trips are most of its cost, fleet benchmark).
    let early: [Set<string>, Map<string, StoredMark>] | null = null;
    if (page.full && !knownAll) {
      for (const [id, h] of await getEventHashes(engine.store, accountId)) known.set(id, h);
      knownAll = true;
    } else if (!knownAll) {
      const ids = [...page.upserts.map((event) => event.id), ...page.skipped.map(skipKeyOf), ...[...floods.values()].map(floodKeyOf)].filter((id) => !known.has(id));
      const [hashes, records] = await sendTogether(engine.store.redis, () =>
        Promise.all([getEventHashesOf(engine.store, accountId, ids), recordsAndMarks(engine, [...idOf.values()])]),
      );
      for (const [id, h] of hashes) known.set(id, h);
      early = records;
    }
    const changedEvents: CalendarEvent[] = [];
    for (const event of page.upserts) {
      seen.add(event.id);
      summary.events++;
      const h = eventHash(event);
      if (known.get(event.id) === h) continue;
      summary.changed++;
      const takesTime = !event.allDay && event.status !== 'cancelled';
      changedHashes.set(event.id, takesTime ? { hash: h, busy: { start: event.start, end: event.end } } : { hash: h });
      changedEvents.push(event);
    }
    await decideEvents(engine, run, { events: changedEvents, listed: page.upserts, floods, interviewId, records: early });
    for (const id of page.deletions) deletions.add(id);
    for (const item of page.skipped) {
      summary.skippedItems++;
      const skipKey = skipKeyOf(item);
      if (known.has(skipKey)) continue;
      changedHashes.set(skipKey, { hash: '1' });
      writes.later(audit(engine.store, { type: 'skipped', accountId, message: `calendar entry ${safeTitle(item.ref)} skipped: ${item.reason}`, at: engine.now() }));
    }
    // The page's new interviews are planned now; other writes go with the next flush (bounded).
    if (writes.planning || writes.size >= 1000) await writes.flush();
    if (page.nextCursor !== undefined) nextCursor = page.nextCursor;
  }

  if (summary.full) {
    for (const id of known.keys()) if (!id.startsWith('skip:') && !seen.has(id)) deletions.add(id);
  }
  for (const id of deletions) {
    if (await withdrawEvent(engine, accountId, id, 'removed from the calendar')) summary.withdrawn++;
  }
  // Redis restarted during this sync: what it wrote before may be lost, and the hashes and the
  // cursor would then say that those events were handled. Leave both as they were, so that the
  // next sync reads the same changes again (processing an event twice changes nothing). The run
  // id is asked after the writes on the same connection, so Redis answers it after doing them;
  // writes of more than one command each (over 1,000 fields) are awaited first.
  const large = deletions.size > WRITE_CHUNK;
  const [, runNow] = await sendTogether(engine.store.redis, async () => {
    writes.later(forgetEvents(engine.store, accountId, [...deletions]));
    if (large) await writes.flush();
    return await Promise.all([writes.flush(), redisRunId(engine.store.redis)]);
  });
  if (runNow !== runId) {
    throw new TransientError('Redis restarted during the sync; the next sync reads these changes again');
  }
  // One round trip; the cursor is sent after the hashes and before what the caller adds, so
  // Redis stores it after them and before, say, another process may take the lease.
  const manyHashes = changedHashes.size > WRITE_CHUNK;
  if (manyHashes) await setEventsSeen(engine.store, accountId, changedHashes);
  await sendTogether(engine.store.redis, () =>
    Promise.all([
      manyHashes ? null : setEventsSeen(engine.store, accountId, changedHashes),
      versionLater ? setDetectionVersion(engine.store, accountId, DETECTION_VERSION) : null,
      setCursor(engine.store, accountId, nextCursor),
      start?.withCursor?.(summary),
    ]),
  );
  return summary;
}

/** The cursor, the Redis run id and the detection version, read together, for a sync whose caller did not read them. */
async function readStart(engine: Engine, accountId: string): Promise<SyncStart> {
  const [cursor, runId, detectionVersion] = await sendTogether(engine.store.redis, () =>
    Promise.all([getCursor(engine.store, accountId), redisRunId(engine.store.redis), getDetectionVersion(engine.store, accountId)]),
  );
  return { cursor, runId, detectionVersion };
}

interface EventBatch {
  /** The events to decide: a page's changed events, or kept events read again. */
  readonly events: readonly CalendarEvent[];
  /** Where a flood's first occurrence is looked up (the page's whole listing). */
  readonly listed: readonly CalendarEvent[];
  readonly floods: ReadonlyMap<string, Flood>;
  readonly interviewId: (event: CalendarEvent) => string;
  /** Their records and marks, when read already. */
  readonly records: [Set<string>, Map<string, StoredMark>] | null;
}

/**
 * Decides each event of the batch: an occurrence of a flood is held, every other event processed
 * (made, kept or withdrawn as an interview); counted in the sync's summary. Floods are reported once.
 */
async function decideEvents(engine: Engine, run: SyncRun, batch: EventBatch): Promise<void> {
  const { accountId, summary, processed, writes, known, changedHashes } = run;
  // One round trip for the batch instead of one per event: most events are not interviews and
  // have no record. Only "no record" is taken from this read: records are created by this
  // account's sync, which holds the lease (and by `ringback import`, which skips what exists).
  // An existing record is read again right before it is updated, as before.
  const [recorded, marks] = batch.records ?? (await recordsAndMarks(engine, batch.events.map(batch.interviewId)));
  for (const event of batch.events) {
    const id = batch.interviewId(event);
    const again = processed.has(event.id);
    // A repeated id reads what its first occurrence wrote: send that first.
    if (again && writes.pending) await writes.flush();
    const mayExist = recorded.has(id) || again;
    processed.add(event.id);
    const flood = batch.floods.get(event.id);
    const result = flood ? await holdFlooded(engine, accountId, event, mayExist) : await processEvent(engine, accountId, event, { id, mayExist, mark: marks.get(id), writes });
    if (result === 'new') summary.interviewsNew++;
    else if (result === 'updated') summary.interviewsUpdated++;
    else if (result === 'withdrawn') summary.withdrawn++;
    else if (result !== 'unchanged' && summary.notInterviews.length < 50) summary.notInterviews.push({ title: safeTitle(event.title), reason: result.reason });
  }
  for (const flood of new Set(batch.floods.values())) {
    const floodKey = floodKeyOf(flood);
    if (known.has(floodKey) || changedHashes.has(floodKey)) continue;
    changedHashes.set(floodKey, { hash: '1' });
    await reportFlood(engine, accountId, flood, batch.listed.find((e) => e.id === flood.eventIds[0]));
  }
}

/**
 * Reads the account's kept events that are still ahead again with this version's rules (see
 * reread.ts): each one these rules would plan (or that has an interview record) is decided as a
 * changed event of a page is, so that one that now qualifies is recorded, planned and audited as
 * found; one still left out stays as it was kept, and one the user marked keeps the mark (read
 * with its record). The version is stored once those writes are in Redis: a sync cut short reads
 * them again next time, which changes nothing already done. With nothing to read again (a new
 * calendar), the version is left to the sync's last round trip (`stored` false). Returns the
 * account's entries (the events' hashes, read for this: a full listing needs them).
 */
async function readKeptAgain(engine: Engine, run: SyncRun, readWith: number, runId: string): Promise<{ entries: ReadonlyMap<string, EventSeen>; stored: boolean }> {
  const { accountId, summary, writes } = run;
  const kept = await keptEventsAhead(engine.store, accountId, engine.now());
  for (const [id, why] of kept.unreadable) engine.log.warn({ account: accountId, interview: id }, `a kept event cannot be read again (${why}); it is read when the calendar next changes it`);
  if (kept.events.length === 0) return { entries: kept.entries, stored: false };
  const interviewId = (event: CalendarEvent) => interviewIdFor(accountId, event.id);
  const records = await recordsAndMarks(engine, kept.events.map(interviewId));
  const [recorded, marks] = records;
  const settings = { candidate: engine.config.candidate, detection: engine.config.detection };
  const qualifying = kept.events.filter((event) => {
    const id = interviewId(event);
    return recorded.has(id) || analyse(event, settings, marks.get(id)).result.kind !== 'skip';
  });
  const before = summary.interviewsNew + summary.interviewsUpdated;
  await decideEvents(engine, run, { events: qualifying, listed: qualifying, floods: floodsIn(engine, qualifying), interviewId, records });
  const interviews = summary.interviewsNew + summary.interviewsUpdated - before;
  // As at the end of a sync: Redis must still be the one these writes went to (see syncAccount).
  const [, runNow] = await sendTogether(engine.store.redis, () => Promise.all([writes.flush(), redisRunId(engine.store.redis)]));
  if (runNow !== runId) throw new TransientError('Redis restarted during the sync; the next sync reads these changes again');
  summary.readAgain = { events: kept.events.length, interviews };
  const message =
    `detection improved (rules ${readWith} → ${DETECTION_VERSION}): read again after an upgrade: ${kept.events.length} event${kept.events.length === 1 ? '' : 's'} ` +
    `of ${accountId} still ahead, ${interviews} now phone interview${interviews === 1 ? '' : 's'}`;
  await sendTogether(engine.store.redis, () =>
    Promise.all([setDetectionVersion(engine.store, accountId, DETECTION_VERSION), audit(engine.store, { type: 'account', accountId, message, at: engine.now() })]),
  );
  return { entries: kept.entries, stored: true };
}

/** Which of these interviews have a record, and the user's marks of them, in one round trip. */
async function recordsAndMarks(engine: Engine, ids: readonly string[]): Promise<[Set<string>, Map<string, StoredMark>]> {
  return await Promise.all([recordedInterviews(engine.store, ids), getMarks(engine.store, ids)]);
}

export type ProcessResult = 'new' | 'updated' | 'unchanged' | 'withdrawn' | { reason: string };

/**
 * Detects `event` again with the user's mark (after `ringback mark`), as a sync would, so that the
 * choice takes effect now rather than when the event next changes.
 */
export async function reprocessEvent(engine: Engine, sourceId: string, event: CalendarEvent, mark: UserMark): Promise<ProcessResult> {
  return await processEvent(engine, sourceId, event, { mayExist: true, mark });
}

/** Signals that make an event worth keeping for `ringback explain` even when it is not an interview. */
const WORTH_KEEPING = new Set(['interview', 'keyword', 'scheduler', 'phone', 'call', 'video', 'interviewerCalls', 'candidateCalls']);

function worthKeeping(analysis: Analysis): boolean {
  if (analysis.result.kind !== 'skip' || analysis.decidedBy === 'tag') return false;
  const reason = analysis.result.reason;
  if (reason === 'cancelled' || reason === 'all-day' || reason === 'excluded') return false;
  return reason !== 'no-match' || analysis.evidence.some((e) => e.weight > 0 && WORTH_KEEPING.has(e.signal));
}

interface ProcessOptions {
  readonly id?: string;
  readonly mayExist: boolean;
  readonly mark?: UserMark | undefined;
  readonly writes?: PageWrites;
}

/** What {@link processOnce} says when another writer changed the record between its read and its write. */
const CHANGED_MEANWHILE = Symbol('changed meanwhile');

/**
 * Makes the event's interview what the event now says. Its record is written only over the record
 * it was decided on (interview-writes.ts): when another writer came in between (the user recorded
 * an outcome, marked the event, a reply closed it), the record and the user's mark are read again
 * and the event processed again on them, so that what they wrote stays and the event's new facts
 * go in on top. `options.mark` (the page's read) is used only for an event with no record yet.
 */
async function processEvent(engine: Engine, sourceId: string, event: CalendarEvent, options: ProcessOptions): Promise<ProcessResult> {
  const id = options.id ?? interviewIdFor(sourceId, event.id);
  for (let attempt = 1, mayExist = options.mayExist; ; attempt++, mayExist = true) {
    const result = await processOnce(engine, sourceId, event, { ...options, id, mayExist });
    if (result !== CHANGED_MEANWHILE) return result;
    checkAttempts(id, attempt);
  }
}

/** The record of an existing interview with the event's new detection: what the calendar says goes in, what the user said stays. */
function rewritten(existing: Interview, d: Detection, rk: string, declined: boolean): { updated: Interview; moved: boolean; changed: boolean; revived: boolean } {
  const moved = existing.start !== d.start;
  const changed = rk !== existing.revisionKey;
  const revived = existing.status !== 'scheduled' && !declined && existing.status !== 'done';
  const revision = changed || revived ? existing.revision + 1 : existing.revision;
  const updated: Interview = {
    ...existing,
    ...d,
    outcome: existing.outcome,
    outcomeSource: existing.outcomeSource,
    taggedOutcome: d.taggedOutcome,
    revision,
    revisionKey: rk,
    rescheduled: existing.rescheduled + (moved ? 1 : 0),
    status: declined ? 'declined' : existing.status === 'done' ? 'done' : 'scheduled',
  };
  return { updated, moved, changed, revived };
}

async function processOnce(
  engine: Engine,
  sourceId: string,
  event: CalendarEvent,
  options: ProcessOptions & { readonly id: string },
): Promise<ProcessResult | typeof CHANGED_MEANWHILE> {
  const id = options.id;
  // The record and the user's mark, read together (one socket write): a mark is saved before the
  // record it changes, so a record read here with the user's decision comes with the mark behind
  // it, even one saved after the page's marks were read.
  const [stored, markNow]: [StoredInterview | null, StoredMark | null] = options.mayExist
    ? await sendTogether(engine.store.redis, () => Promise.all([getStoredInterview(engine.store, id), getMark(engine.store, id)]))
    : [null, null];
  const mark = options.mayExist ? (markNow ?? undefined) : options.mark;
  const existing = stored?.interview ?? null;
  const analysis = analyse(event, { candidate: engine.config.candidate, detection: engine.config.detection }, mark);
  const result = analysis.result;
  const now = engine.now();

  if (result.kind === 'skip') {
    const reason = describeSkip(result);
    if (worthKeeping(analysis)) {
      const seen = { id, sourceId, event, kind: analysis.kind, confidence: analysis.confidence, reason, evidence: analysis.evidence };
      if (options.writes) options.writes.keep(seen, now);
      else await saveSeen(engine.store, seen, now);
    }
    if (existing && existing.status === 'scheduled') {
      await cancelInterview(engine, existing, 'cancelled', `"${safeTitle(event.title)}" ${result.reason === 'cancelled' ? 'was cancelled' : `is no longer a phone interview (${reason})`}`);
      return 'withdrawn';
    }
    if (result.reason !== 'no-match') {
      // In a sync, writes that nothing reads before the page ends go out together (first-plans.ts).
      const written = audit(engine.store, { type: 'skipped', accountId: sourceId, message: `"${safeTitle(event.title)}" skipped: ${reason}`, at: now });
      if (options.writes) options.writes.later(written);
      else await written;
    }
    return { reason };
  }

  const d = result.detection;
  const rk = hashKey(revisionKey(event, d));
  const declined = d.role === 'declined';

  if (!stored) {
    const interview: Interview = {
      ...d,
      id,
      sourceId,
      eventId: event.id,
      revision: 1,
      revisionKey: rk,
      status: declined ? 'declined' : 'scheduled',
      rescheduled: 0,
      outcome: null,
      outcomeSource: null,
      firstSeen: now,
    };
    const found: AuditEntry = {
      type: declined ? 'declined' : 'detected',
      interviewId: id,
      message: declined
        ? `"${safeTitle(d.title)}" found, but you declined it: nothing will be sent`
        : `phone interview found: "${safeTitle(d.title)}" with ${counterpartShown(d.counterpart)}` +
          `${d.company ? ` (${d.company})` : ''}, ${d.direction === 'candidate-calls' ? 'you call' : d.direction === 'interviewer-calls' ? 'they call' : 'who calls whom is not said'}` +
          (d.counterpart.email === null ? `; ${NO_ADDRESS_NOTE}` : '') +
          (d.review === true ? `; needs review (confidence ${d.confidence ?? 0}): the confirmation stays a draft until "ringback mark ${id} phone"` : ''),
      at: now,
    };
    // In a sync, the page's new interviews are recorded and planned together (first-plans.ts); one
    // that another writer recorded first is processed again as an existing one.
    if (options.writes) {
      const again = async () => await processEvent(engine, sourceId, event, { id, mayExist: true });
      options.writes.add({ interview, found, plan: !declined, again });
      return 'new';
    }
    const [created] = await createInterviews(engine.store, [interview]);
    if (!created) return CHANGED_MEANWHILE;
    await audit(engine.store, found);
    if (declined) return 'new';
    await replan(engine, interview, null);
    if (d.taggedOutcome) await recordOutcome(engine, interview.id, d.taggedOutcome, 'tag');
    return 'new';
  }

  const { updated, moved, changed, revived } = rewritten(stored.interview, d, rk, declined);
  if (declined) {
    if (stored.interview.status === 'scheduled') {
      const withdrawn: Interview = { ...updated, status: 'declined' };
      if (!(await saveInterviewIfUnchanged(engine.store, stored, withdrawn))) return CHANGED_MEANWHILE;
      await withdrawInterview(engine, withdrawn, 'declined', `you declined "${safeTitle(d.title)}"`);
      return 'withdrawn';
    }
    return (await saveInterviewIfUnchanged(engine.store, stored, updated)) ? 'unchanged' : CHANGED_MEANWHILE;
  }
  if (!(await saveInterviewIfUnchanged(engine.store, stored, updated))) return CHANGED_MEANWHILE;
  if (changed || revived) {
    await audit(engine.store, {
      type: 'updated',
      interviewId: id,
      message: moved
        ? `"${safeTitle(d.title)}" moved: plan recomputed, drafts will be rewritten`
        : `"${safeTitle(d.title)}" changed (number or attendees): plan recomputed`,
      at: now,
    });
  }
  await replan(engine, updated, stored.interview.revision, { quiet: !(changed || revived) });
  if (d.taggedOutcome && d.taggedOutcome !== stored.interview.outcome) await recordOutcome(engine, id, d.taggedOutcome, 'tag');
  return changed || revived ? 'updated' : 'unchanged';
}

/** The event is gone from the calendar: withdraw its interview. Returns whether there was one. */
async function withdrawEvent(engine: Engine, sourceId: string, eventId: string, reason: string): Promise<boolean> {
  const existing = await getInterview(engine.store, interviewIdFor(sourceId, eventId));
  if (!existing || existing.status !== 'scheduled') return false;
  await cancelInterview(engine, existing, 'cancelled', `"${safeTitle(existing.title)}" was ${reason}`);
  return true;
}
