/**
 * How a sync decides the events it reads: a page's changed events, and the kept events it reads
 * again after detection improved (reread.ts), one and the same way (process-event.ts), counted in
 * the sync's summary.
 */
import type { Flood } from '../domain/flood.js';
import type { CalendarEvent } from '../domain/types.js';
import type { StoredMark } from '../store/detections.js';
import type { EventSeen } from '../store/events.js';
import type { Engine } from './context.js';
import type { PageWrites } from './first-plans.js';
import { floodKeyOf, holdFlooded, reportFlood } from './floods.js';
import { processEvent, recordsAndMarks } from './process-event.js';
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

export type SummaryDraft = { -readonly [K in keyof SyncSummary]: SyncSummary[K] } & { notInterviews: { title: string; reason: string }[] };

/** What one sync has done so far: its pages, and the reading again of kept events, share it. */
export interface SyncRun {
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

export interface EventBatch {
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
export async function decideEvents(engine: Engine, run: SyncRun, batch: EventBatch): Promise<void> {
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
