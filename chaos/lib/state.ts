/**
 * Does what ringback holds match what the calendars hold? For every event still in a calendar:
 * one scheduled interview at the event's time, and for every action its plan gives now either a
 * pending job of the current revision or a record that the action was done. For every event
 * removed: the interview withdrawn and no job left. And nowhere two pending jobs for one action.
 */
import type { ResolvedConfig } from '../../config/types.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { plan } from '../../src/domain/plan.js';
import { actionJobId, parseActionJobId } from '../../src/queue/jobs.js';
import type { Queues } from '../../src/queue/queues.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import type { Store } from '../../src/store/store.js';

export interface CalendarTruth {
  readonly sourceId: string;
  /** Events in the calendar now, with their start. */
  readonly present: ReadonlyArray<{ readonly eventId: string; readonly start: number }>;
  /** Events that were in it and are gone. */
  readonly removed: readonly string[];
}

export interface StateReport {
  readonly interviewsChecked: number;
  readonly actionsChecked: number;
  readonly problems: readonly string[];
}

const DONE = new Set(['done', 'sent', 'vetoed', 'kept-as-draft', 'skipped', 'stale', 'cancelled']);

export async function checkAgainstCalendars(
  store: Store,
  queues: Queues,
  config: ResolvedConfig,
  truths: readonly CalendarTruth[],
  now: number,
): Promise<StateReport> {
  const problems: string[] = [];
  const pending = await queues.actions.getRanges(['delayed', 'waiting', 'active', 'prioritized', 'paused'], 0, -1);
  const pendingByInterview = new Map<string, string[]>();
  for (const id of pending) {
    const parsed = parseActionJobId(id);
    if (!parsed) continue;
    pendingByInterview.set(parsed.interviewId, [...(pendingByInterview.get(parsed.interviewId) ?? []), id]);
  }
  let interviewsChecked = 0;
  let actionsChecked = 0;
  for (const truth of truths) {
    for (const event of truth.present) {
      const id = interviewIdFor(truth.sourceId, event.eventId);
      interviewsChecked += 1;
      const interview = await getInterview(store, id);
      if (!interview) {
        problems.push(`${truth.sourceId}/${event.eventId}: no interview recorded`);
        continue;
      }
      if (interview.status !== 'scheduled') problems.push(`${id}: ${interview.status}, but the event is in the calendar`);
      if (interview.start !== event.start) problems.push(`${id}: starts ${new Date(interview.start).toISOString()}, the calendar says ${new Date(event.start).toISOString()}`);
      const records = new Map((await getActionRecords(store, id)).map((r) => [r.kind, r]));
      const jobs = pendingByInterview.get(id) ?? [];
      const planned = plan({ interview, timing: config.timing, confirmations: config.confirmations, companyFlagged: false, now });
      for (const action of planned.actions) {
        actionsChecked += 1;
        const jobId = actionJobId(id, action.kind, interview.revision);
        const record = records.get(action.kind);
        const done = record !== undefined && record.revision === interview.revision && DONE.has(record.state);
        if (!done && !jobs.includes(jobId)) problems.push(`${id}: ${action.kind} planned but neither queued nor done`);
      }
      const kinds = jobs.map((jobId) => parseActionJobId(jobId)?.kind);
      for (const kind of new Set(kinds)) {
        if (kinds.filter((k) => k === kind).length > 1) problems.push(`${id}: ${kinds.filter((k) => k === kind).length} pending jobs for ${kind}`);
      }
      for (const jobId of jobs) {
        if (parseActionJobId(jobId)?.revision !== interview.revision) problems.push(`${id}: job ${jobId} of an old revision is still pending`);
      }
    }
    for (const eventId of truth.removed) {
      const id = interviewIdFor(truth.sourceId, eventId);
      interviewsChecked += 1;
      const interview = await getInterview(store, id);
      if (interview && interview.status === 'scheduled') problems.push(`${id}: still scheduled, but the event was removed`);
      if ((pendingByInterview.get(id) ?? []).length > 0) problems.push(`${id}: jobs still pending for a removed event`);
    }
  }
  return { interviewsChecked, actionsChecked, problems };
}
