/**
 * The writes of one page of a sync, sent together: a first sync of 300 events made one Redis round
 * trip per event (the "seen" record of a meeting) and about nine per new interview (record, audit,
 * plan, jobs, action records, audit lines), one after the other (fleet benchmark, issue 17). Here
 * the writes that nothing on the page reads go out at once and are awaited at the end of the
 * page, and the page's new interviews are planned together: their records and reads in one round
 * trip, then their jobs (one `addBulk`), action records and audit lines in one more.
 *
 * The order of what Redis sees is kept: commands on one connection run in the order they are
 * sent, and each new interview's record is stored before any of its jobs is queued (a job that
 * ran first would find no interview). A sync that fails half-way is done again as before: the
 * caller stores the cursor only after {@link PageWrites.flush}.
 */
import type { Interview, Millis, Plan } from '../domain/types.js';
import { ACTION_KINDS, type ActionRecord } from '../domain/actions.js';
import { actionJobIdsFor, addFirstPlans, countActionJobs, removeActionJobs } from '../queue/queues.js';
import { auditAll, type AuditEntry } from '../store/audit.js';
import { sendTogether } from '../store/connection.js';
import { saveSeenMany, type SeenEvent } from '../store/detections.js';
import { createDecided, decideFresh } from './fresh-duplicates.js';
import { getActionRecords, replaceActionRecords } from '../store/interviews.js';
import type { Engine } from './context.js';
import { recordOutcome } from './outcome.js';
import { declineCall, reinstateCall, reinstatedFor } from './declined-call.js';
import { computePlan, planAudit, recordsOf } from './replan.js';

/** An interview seen for the first time, waiting for the page's flush. */
export interface NewInterview {
  readonly interview: Interview;
  /** Its "detected" (or "declined") audit line. */
  readonly found: AuditEntry;
  /** False for an interview the user declined: recorded, never planned. */
  readonly plan: boolean;
  /**
   * Processes its event again as one that has a record: run when another writer recorded the
   * interview first (a mark of the same event, an import), whose record is kept.
   */
  readonly again: () => Promise<unknown>;
}

export class PageWrites {
  private writes: Promise<unknown>[] = [];
  private fresh: NewInterview[] = [];
  private seen: { seen: SeenEvent; now: Millis }[] = [];

  constructor(private readonly engine: Engine) {}

  /**
   * A write already sent whose result nothing reads before the flush. Its failure is reported by
   * the flush (the handler attached here only keeps Node from calling it unhandled meanwhile).
   */
  later(write: Promise<unknown>): void {
    write.catch(() => undefined);
    this.writes.push(write);
  }

  /** An event kept for `ringback explain`, stored at the flush with the page's others in one transaction. */
  keep(seen: SeenEvent, now: Millis): void {
    this.seen.push({ seen, now });
  }

  /** A new interview, recorded and planned at the flush. */
  add(item: NewInterview): void {
    this.fresh.push(item);
  }

  /** Whether anything waits for the flush. */
  get pending(): boolean {
    return this.size > 0;
  }

  /** Whether new interviews wait to be planned. */
  get planning(): boolean {
    return this.fresh.length > 0;
  }

  /** How many writes and new interviews wait. */
  get size(): number {
    return this.writes.length + this.fresh.length + this.seen.length;
  }

  /** Sends what waits and awaits all of it; throws the first failure. */
  async flush(): Promise<void> {
    const writes = this.writes;
    const fresh = this.fresh;
    if (this.seen.length > 0) writes.push(saveSeenMany(this.engine.store, this.seen));
    this.writes = [];
    this.fresh = [];
    this.seen = [];
    if (fresh.length > 0) await recordAndPlan(this.engine, fresh, writes);
    else await Promise.all(writes);
  }
}

/**
 * Records the page's new interviews and plans them, as `replan(engine, interview, null)` does one
 * by one (same jobs, records and audit lines), in two round trips for the page.
 */
async function recordAndPlan(engine: Engine, given: readonly NewInterview[], earlier: readonly Promise<unknown>[]): Promise<void> {
  const store = engine.store;
  const now = engine.now();
  // 0. Which of them another calendar's interview owns the call of (duplicates.ts): recorded as
  // its duplicates, with no plan and one audit line.
  const decided = await decideFresh(engine, given, now);
  const fresh = decided.fresh;
  // 1. The records (each only if it has none yet), with the reads the plans need.
  // Sent in one socket write (sendTogether), as are the writes of step 2.
  const candidates = fresh.filter((item) => item.plan && item.interview.duplicateOf === undefined).map((item) => item.interview);
  // Whether any job of these interviews is queued already, of any kind: almost never, and then no
  // job needs taking off (below). One EXISTS instead of a BullMQ removal per kind left out of a
  // plan, which runs a script of a dozen commands even for a job that is not there (fleet
  // benchmark, 2026-12-06).
  const anyJobIds = await actionJobIdsFor(
    engine.queues,
    candidates.flatMap((interview) => ACTION_KINDS.map((kind) => ({ interviewId: interview.id, kind, revision: interview.revision }))),
  );
  const [created, plans, stored, queued] = await sendTogether(store.redis, () =>
    Promise.all([
      createDecided(store, decided),
      Promise.all(candidates.map((interview) => computePlan(engine, interview))),
      Promise.all(candidates.map((interview) => getActionRecords(store, interview.id))),
      countActionJobs(store.redis, engine.queues, anyJobIds),
      Promise.all(earlier),
    ]),
  );
  const recorded = new Set(fresh.filter((_, i) => created[i]).map((item) => item.interview.id));
  const lost = fresh.filter((item) => !recorded.has(item.interview.id));
  // A first plan also takes off the queue any job of a kind it does not plan.
  const items = candidates
    .map((interview, i) => ({ interview, plan: plans[i] as Plan, stored: stored[i] as readonly ActionRecord[] }))
    .filter(({ interview }) => recorded.has(interview.id));
  const unplanned =
    queued === 0
      ? []
      : await actionJobIdsFor(
          engine.queues,
          items.flatMap(({ interview, plan }) => {
            const kinds = new Set(plan.actions.map((a) => a.kind));
            return ACTION_KINDS.filter((kind) => !kinds.has(kind)).map((kind) => ({ interviewId: interview.id, kind, revision: interview.revision }));
          }),
        );
  // 2. Jobs, action records and the audit lines (each new interview's, in page order, then the
  // plans') touch different keys and go out together, as replan sends them.
  const found = fresh.filter((item) => recorded.has(item.interview.id)).map((item) => item.found);
  await sendTogether(store.redis, () =>
    Promise.all([
      removeActionJobs(engine.queues, unplanned),
      addFirstPlans(engine.queues, items.map(({ interview, plan }) => ({ interviewId: interview.id, revision: interview.revision, actions: plan.actions })), now),
      ...items.map(({ interview, plan, stored: records }) => replaceActionRecords(store, interview.id, recordsOf(interview, plan, records))),
      auditAll(store, [...found, ...items.flatMap(({ interview, plan }) => planAudit(engine, interview, plan, now))]),
    ]),
  );
  // Recorded by another writer between the page's read and this write: its record stays, and the
  // event is processed again on it (rare: a mark or an import of the same event at that moment).
  for (const item of lost) await item.again();
  // Declined in this calendar while another calendar's listing of the call has its emails: the
  // decline is about the call (declined-call.ts). Rare: one read each.
  for (const item of fresh) if (recorded.has(item.interview.id) && item.interview.status === 'declined') await declineCall(engine, item.interview);
  // The call reinstated in a calendar that first read it cancelled: planned again by the listing
  // with the emails (declined-call.ts). The owner's record is among those the page decided on.
  for (const [i, { interview }] of fresh.entries()) {
    const owner = interview.duplicateOf === undefined ? undefined : decided.peers[i]?.interviews.find((peer) => peer.id === interview.duplicateOf);
    if (recorded.has(interview.id) && reinstatedFor(owner, interview)) await reinstateCall(engine, interview, owner?.id as string);
  }
  // An outcome tagged in the event itself is rare; recorded as before, after the plan.
  for (const { interview } of items) {
    if (interview.taggedOutcome) await recordOutcome(engine, interview.id, interview.taggedOutcome, 'tag');
  }
}
