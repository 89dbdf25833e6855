/**
 * Puts an interview's plan on the queue: computes `plan()` for the interview as it stands now,
 * replaces its jobs (never duplicating), records each action's state for `interviews`, and audits
 * the plan in plain words.
 */
import { DEFAULT_TIMING } from '../../config/fields.js';
import { plan } from '../domain/plan.js';
import { describePlanLine, type PlanLine } from '../domain/plan-line.js';
import { ACTION_LABEL, SETTLED_STATES } from '../domain/actions.js';
import type { Interview, Millis, Plan } from '../domain/types.js';
import { findActionJobs, findMoveJobs, replaceActions, removeAllActions, type ActionJobs } from '../queue/queues.js';
import { writeFirstPlan } from '../queue/first-plan.js';
import { auditIn, type AuditEntry } from '../store/audit.js';
import { sendTogether } from '../store/connection.js';
import type { KnownInterview } from '../store/first-plan.js';
import { getCompany } from '../store/companies.js';
import { getEmails, mayStand, saysNothingNew, type EmailRecord } from '../store/drafts.js';
import { counterpartZone } from '../store/zones.js';
import { getActionRecords, replaceActionRecords, replaceActionRecordsIn } from '../store/interviews.js';
import type { ActionRecord } from '../domain/actions.js';
import type { Engine } from './context.js';

/** What a plan depends on besides the interview and the config, read in one round trip. */
interface PlanInputs {
  readonly companyFlagged: boolean;
  readonly confirmation: EmailRecord | null;
  /** Every email's record, the confirmation's among them (moved-drafts.ts weighs the others after a move); absent for a first plan. */
  readonly emails?: readonly EmailRecord[];
  /** The recipient's zone the user set, read only when a confirmation of an earlier revision was sent (saysNothingNew needs it then). */
  readonly theirZone: string | null;
}

async function readPlanInputs(engine: Engine, interview: Interview): Promise<PlanInputs> {
  // Every email's record in the same round trip as the confirmation's (a hash of at most four).
  const [company, emails] = await Promise.all([interview.company ? getCompany(engine.store, interview.company) : null, getEmails(engine.store, interview.id)]);
  const confirmation = emails.find((e) => e.kind === 'confirmation') ?? null;
  return { companyFlagged: company?.pattern ?? false, confirmation, emails, theirZone: await theirZoneFor(engine, interview, confirmation) };
}

/** The recipient's zone the user set, when saysNothingNew needs it: a round trip more only for a call changed after its confirmation went out. */
async function theirZoneFor(engine: Engine, interview: Interview, confirmation: EmailRecord | null): Promise<string | null> {
  return mayStand(confirmation, interview) ? await counterpartZone(engine.store, { email: interview.counterpart.email, company: interview.company }) : null;
}

function planWith(engine: Engine, interview: Interview, inputs: PlanInputs, now: Millis = engine.now()): Plan {
  const draft = inputs.confirmation;
  return plan({
    interview,
    timing: engine.config.timing,
    // The config is checked at load; this only guards a setting that arrives unusable anyway.
    fallbackTiming: DEFAULT_TIMING,
    confirmations: engine.config.confirmations,
    companyFlagged: inputs.companyFlagged,
    now,
    // The review window counts from when this revision's draft was written.
    confirmationDraftedAt: draft?.revision === interview.revision && draft.state === 'draft' ? draft.updatedAt : null,
    confirmationStands: saysNothingNew(draft, interview, engine.config.candidate, inputs.theirZone),
  });
}

export async function computePlan(engine: Engine, interview: Interview): Promise<Plan> {
  return planWith(engine, interview, await readPlanInputs(engine, interview));
}

/**
 * The action records of an interview after planning: what already happened at this revision is
 * kept, everything else is what the plan says now.
 */
export function recordsOf(interview: Interview, result: Plan, stored: readonly ActionRecord[]): ActionRecord[] {
  const before = new Map(stored.map((r) => [r.kind, r]));
  const records: ActionRecord[] = [];
  for (const a of result.actions) {
    const old = before.get(a.kind);
    if (old && old.revision === interview.revision && SETTLED_STATES.has(old.state)) records.push(old);
    else records.push({ kind: a.kind, dueAt: a.dueAt, state: 'pending', revision: interview.revision });
  }
  for (const s of result.skipped) {
    const old = before.get(s.kind);
    if (old && old.revision === interview.revision && SETTLED_STATES.has(old.state) && old.state !== 'skipped') records.push(old);
    else records.push({ kind: s.kind, dueAt: interview.start, state: 'skipped', revision: interview.revision, note: s.reason });
  }
  for (const old of before.values()) {
    if (old.revision === interview.revision && SETTLED_STATES.has(old.state) && !records.some((r) => r.kind === old.kind)) records.push(old);
  }
  return records;
}

/**
 * The audit lines of a plan, in plain words: what is planned when, and what is skipped and why.
 * The plan's line goes to the store as data (`plan`), which puts it in words when it is read; its
 * message is made only if asked for.
 */
export function planAudit(engine: Engine, interview: Interview, result: Plan, now: Millis): AuditEntry[] {
  const line: PlanLine = { zone: engine.config.candidate.timezone, steps: result.actions.map(({ kind, dueAt }) => ({ kind, dueAt })) };
  return [
    {
      type: 'planned',
      interviewId: interview.id,
      plan: line,
      get message() {
        return describePlanLine(line, now);
      },
      at: now,
    },
    ...result.skipped.map((s) => ({ type: 'skipped' as const, interviewId: interview.id, message: `${ACTION_LABEL[s.kind]} skipped: ${s.reason}`, at: now })),
  ];
}

/** What a replan of a known interview reads before it plans ({@link readForReplan}). */
export interface ReplanReads {
  /** What the reads were made for: a replan of another interview, revision or company reads again. */
  readonly interviewId: string;
  readonly revision: number;
  readonly previousRevision: number;
  readonly company: string | null | undefined;
  readonly inputs: PlanInputs;
  readonly stored: readonly ActionRecord[];
  readonly existing: ActionJobs;
  /** For a move, the previous revision's job ids that exist; undefined otherwise. */
  readonly previousPresent: readonly string[] | undefined;
}

/**
 * Sends what a replan of `interview` (known, at `previousRevision` before) reads: what the plan
 * depends on, the action records, its jobs at this revision and, for a move, which jobs of the
 * previous revision exist. The commands are issued before this returns (one socket write; later
 * only in the rare turn when this process must first ask whether jobs of the earlier id form may
 * exist), so a caller may issue them right behind a write of its own and have both answered in one
 * round trip (src/engine/process-event.ts); the records are still read before the replan's writes,
 * which is what keeps a record settled meanwhile (see {@link replan}).
 */
export function readForReplan(engine: Engine, interview: Interview, previousRevision: number): Promise<ReplanReads> {
  const moved = previousRevision !== interview.revision;
  return sendTogether(engine.store.redis, () =>
    Promise.all([
      readPlanInputs(engine, interview),
      getActionRecords(engine.store, interview.id),
      moved
        ? findMoveJobs(engine.queues, interview.id, interview.revision, previousRevision)
        : findActionJobs(engine.queues, interview.id, interview.revision).then((existing) => ({ existing, previous: undefined })),
    ]),
  ).then(([inputs, stored, jobs]) => ({
    interviewId: interview.id,
    revision: interview.revision,
    previousRevision,
    company: interview.company,
    inputs,
    stored,
    existing: jobs.existing,
    previousPresent: jobs.previous,
  }));
}

function readsFit(reads: ReplanReads | undefined, interview: Interview, previousRevision: number): reads is ReplanReads {
  return (
    reads !== undefined &&
    reads.interviewId === interview.id &&
    reads.revision === interview.revision &&
    reads.previousRevision === previousRevision &&
    reads.company === interview.company
  );
}

/**
 * A replan of a new interview (`previousRevision` null) waits on Redis once when nothing is known
 * of it yet ({@link planNew}); any other replan waits twice: once for everything it reads (what
 * the plan depends on, the action records, and for a known interview its jobs at this revision),
 * once for everything it writes (jobs removed and added, records, audit lines). It made one round
 * trip per read, per write and per audit line before (six or seven), which held the schedule
 * benchmark at 15–29% of raw BullMQ (issue 17, bench/README.md). `options.read`, the reads
 * already sent by the caller ({@link readForReplan}) for this interview at this revision, saves the
 * first of the two.
 */
export async function replan(
  engine: Engine,
  interview: Interview,
  previousRevision: number | null,
  options: { quiet?: boolean; read?: ReplanReads } = {},
): Promise<Plan> {
  const now = engine.now();
  let known: KnownInterview | null = null;
  if (previousRevision === null) {
    const first = await planNew(engine, interview, now, options);
    if (first.planned) return first.plan;
    known = first.known;
  }
  // The records are read before the jobs are written: a job that settles its record in between
  // is not overwritten, since replaceActionRecords keeps a settled record over a pending one.
  let inputs: PlanInputs;
  let stored: readonly ActionRecord[];
  let read: ReplanReads | undefined;
  if (known) {
    inputs = { companyFlagged: known.companyFlagged, confirmation: known.confirmation, theirZone: await theirZoneFor(engine, interview, known.confirmation) };
    stored = known.records;
  } else if (previousRevision === null) {
    // One socket write for the reads, as for the writes below.
    [inputs, stored] = await sendTogether(engine.store.redis, () => Promise.all([readPlanInputs(engine, interview), getActionRecords(engine.store, interview.id)]));
  } else {
    read = readsFit(options.read, interview, previousRevision) ? options.read : await readForReplan(engine, interview, previousRevision);
    ({ inputs, stored } = read);
  }
  const existing = read?.existing;
  const result = planWith(engine, interview, inputs);

  const records = recordsOf(interview, result, stored);
  const entries = options.quiet ? [] : planAudit(engine, interview, result, now);

  // Jobs, records and audit touch different keys and go out together, in one batch (one socket
  // write). Should the process die half-way, the reconciler adds what the plan misses and removes
  // what it no longer holds.
  await replaceActions(
    engine.queues,
    {
      interviewId: interview.id,
      revision: interview.revision,
      previousRevision,
      actions: result.actions,
      now,
      ...(existing ? { existing } : {}),
      ...(read?.previousPresent ? { previousPresent: read.previousPresent } : {}),
    },
    (batch) => {
      replaceActionRecordsIn(batch, engine.store, interview.id, records);
      if (entries.length > 0) auditIn(batch, engine.store, ...entries);
    },
  );
  return result;
}

/**
 * The plan of an interview seen for the first time, in one round trip: planned as if nothing were
 * known of it (no action record, no confirmation draft, company not flagged, no job queued of a
 * kind it does not plan), and written only if Redis finds that so when it writes
 * (src/queue/first-plan.ts). Null when it is not so (an interview planned before, at a flagged
 * company…): nothing was written, and the caller plans it as any other. The jobs, records and audit lines are those the general path
 * writes for such an interview.
 */
async function planNew(
  engine: Engine,
  interview: Interview,
  now: Millis,
  options: { quiet?: boolean },
): Promise<{ planned: true; plan: Plan } | { planned: false; known: KnownInterview | null }> {
  const result = planWith(engine, interview, { companyFlagged: false, confirmation: null, theirZone: null }, now);
  const check = await writeFirstPlan(engine.queues, engine.store, {
    interviewId: interview.id,
    revision: interview.revision,
    company: interview.company ?? null,
    actions: result.actions,
    records: recordsOf(interview, result, []),
    entries: options.quiet ? [] : planAudit(engine, interview, result, now),
    now,
  });
  return check.isNew ? { planned: true, plan: result } : { planned: false, known: check.known };
}

/** Takes every job of the interview off the queue (its current and previous revision). */
export async function unplan(engine: Engine, interview: Interview): Promise<void> {
  const revisions = interview.revision > 1 ? [interview.revision, interview.revision - 1] : [interview.revision];
  await removeAllActions(engine.queues, interview.id, revisions);
  const records = await getActionRecords(engine.store, interview.id);
  await replaceActionRecords(
    engine.store,
    interview.id,
    // A parked action (its account was down, its calendar awaited confirmation) is withdrawn too.
    records.map((r) => (r.state === 'pending' || r.state === 'parked' ? { ...r, state: 'cancelled' as const } : r)),
  );
}
