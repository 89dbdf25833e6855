/**
 * One sync of one calendar account: read the changes since the stored cursor, turn qualifying
 * events into interviews, replan what changed, withdraw what disappeared, then store the new
 * cursor. Idempotent: a sync that fails half-way is simply done again (the cursor is stored last).
 *
 * When the detection rules changed since the account's kept events were read (an upgrade), the
 * sync first reads those still ahead again, without asking the calendar (reread.ts), on the same
 * path as the changed events of a page, and then stores the rules' version.
 */
import { DETECTION_VERSION } from '../domain/detect.js';
import { eventHash, interviewIdFor } from '../domain/ids.js';
import type { CalendarEvent } from '../domain/types.js';
import type { SkippedItem } from '../providers/calendar/types.js';
import { audit } from '../store/audit.js';
import { getCursor, getDetectionVersion, sourceCursor } from '../store/accounts.js';
import type { LeaseKey, ReleaseNote } from '../store/lease.js';
import { COMMIT_MAX_EVENTS, commitSync, type SyncCommit } from '../store/sync-commit.js';
import { redisRunId, sameRedisSince, sendTogether } from '../store/connection.js';
import { TransientError } from '../providers/errors.js';
import type { StoredMark } from '../store/detections.js';
import { forgetEvents, getEventHashes, getEventHashesOf, setEventsSeen, type EventSeen } from '../store/events.js';
import { getInterview } from '../store/interviews.js';
import { heldList } from '../store/unlisted.js';
import { cancelInterview } from './cancel.js';
import { leaveWithdrawnCall, withdrawnForAnother } from './declined-call.js';
import { handOver } from './duplicates.js';
import type { Engine } from './context.js';
import { decideEvents, type SummaryDraft, type SyncRun, type SyncSummary } from './decide-events.js';
import { PageWrites } from './first-plans.js';
import { floodKeyOf, floodsIn, hashKey } from './floods.js';
import { noteWaiting, releaseHeld } from './held-sends.js';
import { recordsAndMarks } from './process-event.js';
import { readKeptAgain } from './reread.js';
import { awaitConfirmation, awaitingCursor, readAwaiting } from './vanishing.js';
import { safeTitle } from './wording.js';

export type { SyncSummary } from './decide-events.js';

/** Skipped entries are remembered beside the events, so that each is audited once. */
function skipKeyOf(item: SkippedItem): string {
  return `skip:${hashKey(item.ref + item.reason)}`;
}

/**
 * The ids of a delta page whose hashes are not known yet: its events, its skipped entries and its
 * floods, in that order. Built in one loop, not by spreading the page's lists: V8 compiled
 * syncAccount for the elements kind of each list it spread (an empty list of skipped entries is
 * not a list of objects) and threw that code away when another kind came, and each new compile of
 * the sync took 100–250 ms of CPU in the daemon's first poll cycles (fleet benchmark, bench/README.md).
 */
function unknownIds(
  events: readonly CalendarEvent[],
  skipped: readonly SkippedItem[],
  floods: ReturnType<typeof floodsIn>,
  known: ReadonlyMap<string, string>,
): string[] {
  const ids: string[] = [];
  for (const event of events) if (!known.has(event.id)) ids.push(event.id);
  for (const item of skipped) {
    const id = skipKeyOf(item);
    if (!known.has(id)) ids.push(id);
  }
  for (const flood of floods.values()) {
    const id = floodKeyOf(flood);
    if (!known.has(id)) ids.push(id);
  }
  return ids;
}

/** The store writes a hash's fields up to this many per command (src/store/events.ts). */
const WRITE_CHUNK = 1000;

/**
 * What a sync starts from, when the caller has read it already (the sync worker reads them in the
 * step that takes the lease): the stored cursor, the detection version, and the Redis run id
 * before any write (that of `redisRunId`, or on a cluster the run id of the node holding the keys:
 * `sameRedisSince`).
 */
export interface SyncStart {
  readonly cursor: string | null;
  readonly runId: string;
  /**
   * The lease the caller holds, released with the account's success (`note`) by the sync's last
   * write, the step that stores the cursor (src/store/sync-commit.ts). `releasing` is told before
   * that step is sent, `released` once it released the lease; when the step is not sent or wrote
   * nothing, the caller releases the lease itself.
   */
  readonly release?: {
    readonly lease: LeaseKey;
    readonly holder: string;
    note(summary: SyncSummary): ReleaseNote;
    releasing(): void;
    released(): void;
  };
  /** The detection version the account's kept events were read with (getDetectionVersion). */
  readonly detectionVersion: number | null;
}

export async function syncAccount(engine: Engine, accountId: string, signal: AbortSignal, start?: SyncStart): Promise<SyncSummary> {
  const source = engine.calendars.get(accountId);
  if (!source) throw new Error(`no calendar account "${accountId}" in the config`);
  const begun = start ?? (await readStart(engine, accountId));
  const { runId, detectionVersion: readWith } = begun;
  // A full listing asked for (`ringback mark`, src/store/accounts.ts) is a sync from no cursor.
  const { cursor, awaiting } = readAwaiting(sourceCursor(begun.cursor));
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
  // earlier rules missed. Here rather than when the engine starts: under the account's lease, like
  // the rest of the sync, so that two processes started together never both do it.
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
      const ids = unknownIds(page.upserts, page.skipped, floods, known);
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
    // A calendar refused to this sync: what it listed before stays, in a full listing too.
    for (const id of page.kept ?? []) seen.add(id);
    for (const item of page.skipped) {
      summary.skippedItems++;
      const skipKey = skipKeyOf(item);
      if (known.has(skipKey)) continue;
      changedHashes.set(skipKey, { hash: '1' });
      const message = item.calendar ? `calendar ${item.ref} of ${accountId} ${item.reason}` : `calendar entry ${safeTitle(item.ref)} skipped: ${item.reason}`;
      writes.later(audit(engine.store, { type: 'skipped', accountId, message, at: engine.now() }));
    }
    // The page's new interviews are planned now; other writes go with the next flush (bounded).
    if (writes.planning || writes.size >= 1000) await writes.flush();
    if (page.nextCursor !== undefined) nextCursor = page.nextCursor;
  }

  if (summary.full) {
    for (const id of known.keys()) if (!id.startsWith('skip:') && !seen.has(id)) deletions.add(id);
  }
  // Several interviews gone at once wait for the next sync to confirm it (vanishing.ts).
  const waiting = await awaitConfirmation(engine, accountId, deletions, awaiting, seen);
  for (const id of waiting) deletions.delete(id);
  for (const id of deletions) {
    if (await withdrawEvent(engine, accountId, id, 'removed from the calendar')) summary.withdrawn++;
  }
  // Redis restarted during this sync: what it wrote before may be lost, and the hashes and the
  // cursor would then say that those events were handled. Leave both as they were, so that the
  // next sync reads the same changes again (processing an event twice changes nothing). The check
  // is made by Redis in the step that stores the hashes and the cursor, sent after the last writes
  // on the same connection, so Redis runs it after doing them (src/store/sync-commit.ts). Writes
  // of more than one command each (over 1,000 fields) are sent and awaited before it.
  const large = deletions.size > WRITE_CHUNK;
  const manyHashes = changedHashes.size > COMMIT_MAX_EVENTS;
  const release = start?.release;
  const commit: SyncCommit = {
    runId,
    events: manyHashes ? new Map() : changedHashes,
    cursor: waiting.length > 0 ? awaitingCursor(cursor, waiting) : nextCursor,
    startedFrom: begun.cursor,
    ...(versionLater ? { detectionVersion: DETECTION_VERSION } : {}),
    ...(release ? { release: { lease: release.lease, holder: release.holder, note: release.note(summary) } } : {}),
    held: heldList(accountId),
  };
  const forget = () => writes.later(forgetEvents(engine.store, accountId, [...deletions]));
  const before = large || manyHashes;
  if (before) {
    forget();
    await writes.flush();
    // Before the hashes: the same check, so that a restart is not written over.
    if (!sameRedisSince(runId, await redisRunId(engine.store.redis))) throw restarted();
    if (manyHashes) await setEventsSeen(engine.store, accountId, changedHashes);
  }
  release?.releasing();
  // The calls of the wait this sync begins are pointed to (held-sends.ts) right before the step
  // that stores the cursor holding the wait, on the same connection: Redis runs the two in turn,
  // and no process stopped in between leaves the wait without its pointers, which would let their
  // sends go. A pointer whose cursor is then not stored is checked against it and removed.
  // The held list is counted by the step itself, after its writes: a send parked before
  // it is released below, one parked after it finds this sync's time when it looks again
  // (unread-sends.ts), so no send waits a poll more for a sync that has read its calendar.
  const [, , { done, held }] = await sendTogether(engine.store.redis, () => {
    if (!before) forget();
    return Promise.all([writes.flush(), noteWaiting(engine, accountId, waiting), commitSync(engine.store, accountId, commit)]);
  });
  if (!done) throw restarted();
  release?.released();
  // Once the cursor that settles a wait is stored, or the calendar was read while sends waited
  // for it to be (unread-sends.ts): the sends held are released.
  if (awaiting.size > 0 || held > 0) await releaseHeld(engine, accountId, awaiting);
  return summary;
}

function restarted(): TransientError {
  return new TransientError('Redis restarted during the sync; the next sync reads these changes again');
}

/** The cursor, the Redis run id and the detection version, read together, for a sync whose caller did not read them. */
async function readStart(engine: Engine, accountId: string): Promise<SyncStart> {
  const [cursor, runId, detectionVersion] = await sendTogether(engine.store.redis, () =>
    Promise.all([getCursor(engine.store, accountId), redisRunId(engine.store.redis), getDetectionVersion(engine.store, accountId)]),
  );
  return { cursor, runId, detectionVersion };
}

/** The event is gone from the calendar: withdraw its interview. Returns whether there was one. */
async function withdrawEvent(engine: Engine, sourceId: string, eventId: string, reason: string): Promise<boolean> {
  const existing = await getInterview(engine.store, interviewIdFor(sourceId, eventId));
  // Withdrawn as gone already by a sync that stopped before it ended (a crash, a lost lease): its
  // changes are read again, and the handover that sync may not have made is made now (a no-op when
  // it was).
  if (existing?.vanished === true) await handOver(engine, existing);
  // Withdrawn for another calendar's decline or cancellation of the call: recorded as gone, so that
  // the call, once accepted again or reinstated there, is not given back to this listing
  // (declined-call.ts); for a decline, its duplicates still listed take it over, withdrawn as
  // declined while it is.
  if (existing !== null && withdrawnForAnother(existing) && (await leaveWithdrawnCall(engine, existing.id))) await handOver(engine, existing);
  if (!existing || existing.status !== 'scheduled') return false;
  await cancelInterview(engine, existing, 'cancelled', `"${safeTitle(existing.title)}" was ${reason}`, { vanished: true });
  // Another calendar that still lists the call takes it over (duplicates.ts): only a listing gone
  // from its calendar does so, a call cancelled, declined or marked stays withdrawn in every calendar.
  await handOver(engine, existing);
  return true;
}
