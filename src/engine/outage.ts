/**
 * Park, don't fail (DESIGN.md, Outages). An action whose mailbox cannot be used now (sign-in
 * refused, a folder missing, no permission, over quota, the server not answering) waits instead of
 * failing for good: the account is marked "needs attention" with the fix in one line, and the
 * audit and the log say so once per outage, not once per action. The health probe
 * ({@link resumeIfUsable}, every 15 s in the daemon) notices when the account works again, ends the
 * outage and runs the parked actions at once; each one then runs only if it is still of use
 * (src/domain/outage.ts), else it is recorded once as missed, naming the account and the window.
 *
 * Only a fault of the email itself (a recipient or header the server refuses) fails an action for
 * good: every other ProviderError of the mailbox parks it.
 */
import { noticeAfterMissed } from './missed-notice.js';
import { ACTION_LABEL, type ActionKind } from '../domain/actions.js';
import type { Interview, Millis } from '../domain/types.js';
import { missedNote, outageWindow, pastUse, whyMissedAfterOutage, whyMissedWhileStopped } from '../domain/outage.js';
import { AccountUnusableError, AuthError, LimitReachedError, TransientError } from '../providers/errors.js';
import { ActionParked, type ActionJobData, actionJobId } from '../queue/jobs.js';
import { promoteActions } from '../queue/queues.js';
import type { Attention } from '../store/accounts.js';
import { audit } from '../store/audit.js';
import type { ActionRecord } from '../domain/actions.js';
import { getActionRecords, getInterview, markActionMissed, updateActionState } from '../store/interviews.js';
import {
  currentOutage,
  easeToLimit,
  endOutage,
  latestOutage,
  markUnusable,
  parkAction,
  parkedActions,
  parkedEntry,
  previousOutage,
  releasedParked,
  releasingParked,
  unpark,
  type Outage,
  type ParkedAction,
} from '../store/outages.js';
import { heldList } from '../store/unlisted.js';
import { fixFor } from './account-fix.js';
import type { Engine } from './context.js';
import { clock } from './wording.js';

/**
 * How long a parked job waits before it looks again by itself. The probe brings it forward as soon
 * as the account works; this only bounds the wait should no probe run (every process stopped).
 */
export const PARK_RECHECK_MS = 5 * 60_000;

/** How often the daemon asks an account in an outage whether it works again (resume within a minute). */
export const PROBE_EVERY_MS = 15_000;

/**
 * An outage that begins again within this long after one ended is the same trouble back: the
 * check that ended it passed (a login, a read) while what the steps do still fails (a full
 * mailbox refuses writes and answers reads; microsoftgraph/microsoft-graph-docs-contrib#6596).
 */
const RELAPSE_WITHIN_MS = 2 * 60_000;
/**
 * The longest wait before such an outage is checked again: twice as long as the last one lasted,
 * so that an account that only seems to work flips between "works again" and "needs attention"
 * a few times at first, then every 10 minutes, instead of four times a minute in the audit and
 * the log, with every waiting step written to the mailbox again each time.
 */
export const RELAPSE_MAX_WAIT_MS = 10 * 60_000;

/** How long after its start the outage under way is checked again (0: at the next round). */
async function checkAfter(engine: Engine, accountId: string, outage: Outage): Promise<number> {
  const previous = await previousOutage(engine.store, accountId);
  if (!previous || previous.until === null || outage.since - previous.until > RELAPSE_WITHIN_MS) return 0;
  return Math.min(RELAPSE_MAX_WAIT_MS, Math.max(PROBE_EVERY_MS, 2 * (previous.until - previous.since)));
}

/**
 * A transient failure (timeout, connection refused, 5xx) is retried with backoff; from this
 * attempt on, the account itself is probed, and if the probe fails too the action is parked: the
 * server is down, and 25 attempts over 20 minutes would end in "failed for good".
 */
const TRANSIENT_ATTEMPTS_BEFORE_PROBE = 3;

/** Which account trouble an error of the mailbox means, or null when it is a fault of the email. */
export function accountTrouble(error: unknown): Exclude<Attention, null> | null {
  if (error instanceof AuthError) return 'needs-reauth';
  if (error instanceof AccountUnusableError) return 'unusable';
  if (error instanceof TransientError) return 'unreachable';
  return null;
}

/** One light call that needs a working mailbox; throws what the mailbox throws. */
export async function probeMailbox(engine: Engine): Promise<void> {
  await engine.mailbox?.checkHealth?.();
}

function mailboxConfig(engine: Engine) {
  const config = engine.config.mailbox;
  if (!config) throw new Error('no mailbox in the config');
  return config;
}

/**
 * Records that the mailbox cannot be used. Audited and logged once per outage: the action that
 * began it writes the line, the others only add themselves to the parked list. `error`: the
 * failure, when it names its own fix or is a limit that lifts by itself ({@link LimitReachedError}:
 * the account is not checked again before it can have lifted, and a sending limit holds only the sends).
 */
export async function beginOutage(engine: Engine, trouble: Exclude<Attention, null>, message: string, error?: unknown): Promise<void> {
  const config = mailboxConfig(engine);
  const fix = fixFor(config, trouble, error);
  const at = engine.now();
  const limit = error instanceof LimitReachedError ? { recheckAt: at + error.recheckAfterMs, sendsOnly: error.sendsOnly } : { sendsOnly: false };
  const marked = await markUnusable(engine.store, config.id, { attention: trouble, message, fix, at, ...limit });
  if (!marked.began && !marked.added) return;
  const line = `${config.id} needs attention: ${message}. ${waitingLine(marked.began, error instanceof LimitReachedError, limit.sendsOnly)}. Fix: ${marked.fix}`;
  engine.log.warn({ account: config.id }, line);
  await audit(engine.store, { type: 'account', accountId: config.id, message: line, at: engine.now() });
}

/**
 * What waits, for the line of a new outage or of a fact added to one under way: a fault during a
 * limit, or a limit during a fault (src/store/outages.ts `markUnusable`).
 */
function waitingLine(began: boolean, isLimit: boolean, sendsOnly: boolean): string {
  if (began) return `${sendsOnly ? 'Its sends wait' : 'Actions for it wait'} until it works again`;
  return isLimit
    ? 'Its sends wait for this limit to lift as well as for the fault already shown'
    : 'Actions for it wait until it works again, and its sends until the limit shown before lifts as well';
}

async function park(engine: Engine, job: ActionJobData, message: string): Promise<never> {
  const accountId = mailboxConfig(engine).id;
  await parkOn(engine, accountId, job, `waiting for ${accountId}: ${message}`);
  throw new ActionParked(`waiting for ${accountId} to work again`, PARK_RECHECK_MS);
}

/**
 * Notes the action on the account's parked list and its record as parked, with `note`; the caller
 * then throws {@link ActionParked}. Returns whether it was not parked for the account already.
 * `unreadSince`: for a send held while its calendar cannot be read, that calendar's last read.
 */
export async function parkOn(engine: Engine, accountId: string, job: ActionJobData, note: string, unreadSince?: Millis): Promise<boolean> {
  const first = await parkAction(engine.store, accountId, actionJobId(job.interviewId, job.kind, job.revision), {
    interviewId: job.interviewId,
    kind: job.kind,
    revision: job.revision,
    parkedAt: engine.now(),
    ...(unreadSince === undefined ? {} : { unreadSince }),
  });
  await updateActionState(engine.store, job.interviewId, job.kind, job.revision, 'parked', note);
  return first;
}

/**
 * The mailbox's outage under way, or null (also when no mailbox is connected): read by an action
 * with its interview, in the same round trip, and passed to {@link missedAfterOutage} and
 * {@link parkIfDown}, which each read it again before (two round trips more per action, fire
 * benchmark).
 */
export async function mailboxOutage(engine: Engine): Promise<Outage | null> {
  const config = engine.config.mailbox;
  return config ? await currentOutage(engine.store, config.id) : null;
}

/**
 * Parks the action at once, without calling the mailbox, while its account is known to be down
 * (`outage`: the mailbox's outage as the action read it when it started, {@link mailboxOutage}).
 * Under a sending limit only a send waits: the drafts are written meanwhile.
 */
export async function parkIfDown(engine: Engine, job: ActionJobData, outage: Outage | null): Promise<void> {
  if (!outage) return;
  if (outage.sendsOnly && job.kind !== 'confirmation-send') return;
  await park(engine, job, 'the account is in an outage');
}

/**
 * Decides what a failure of an action means. Returns when the error is to be handled as before (a
 * fault of the email, or a transient one worth retrying); throws {@link ActionParked} when the
 * account is down.
 */
export async function parkOnAccountFailure(engine: Engine, job: ActionJobData, error: unknown, attempt: number): Promise<void> {
  if (!engine.config.mailbox) return;
  const trouble = accountTrouble(error);
  if (!trouble) return;
  if (trouble === 'unreachable') {
    if (attempt < TRANSIENT_ATTEMPTS_BEFORE_PROBE) return;
    // The mailbox answers: the failure was this action's (a draft that kept changing), not the server's.
    if (await probeMailbox(engine).then(() => true, () => false)) return;
  }
  const message = error instanceof Error ? error.message : String(error);
  await beginOutage(engine, trouble, message, error);
  await park(engine, job, message);
}

/**
 * For an action that was parked: why, in plain words, it is now past its use (and is recorded as missed), or null
 * when it still is of use and runs. `outage`: the mailbox's outage under way ({@link mailboxOutage}).
 */
export async function missedAfterOutage(
  engine: Engine,
  interview: Interview,
  job: { kind: ActionKind },
  record: ActionRecord | undefined,
  outage: Outage | null,
): Promise<string | null> {
  const config = engine.config.mailbox;
  if (!config || !record) return null;
  // An action that fell due during the outage and never ran (a job that was still waiting when the
  // plan dropped it) counts as held back by it too.
  const heldBack = record.state === 'parked' || (record.state === 'pending' && record.dueAt <= engine.now() && outage !== null);
  if (!heldBack) return null;
  const why = pastUse({ kind: job.kind, dueAt: record.dueAt }, interview.start, engine.config.timing, engine.now());
  if (!why) return null;
  // Parked because its calendar stopped listing the call (held-sends.ts) or could not be read
  // (unread-sends.ts), not for the mailbox.
  const held = record.state === 'parked' ? await parkedEntry(engine.store, heldList(interview.sourceId), actionJobId(interview.id, job.kind, record.revision)) : null;
  if (held !== null) return missedWhileHeld(engine, interview.sourceId, held, null, why);
  const latest = await latestOutage(engine.store, config.id);
  const zone = engine.config.candidate.timezone;
  const window = latest ? outageWindow(latest.since, latest.until, (t) => clock(t, zone)) : '';
  return whyMissedAfterOutage(config.id, window, why);
}

/**
 * Records as missed the parked actions that the plan no longer holds because their time has passed
 * (the reconciler drops them from the queue), and those whose time passed while ringback did not
 * run: without this they would vanish with no word.
 */
export async function missedOnRemoval(engine: Engine, jobs: readonly ActionJobData[]): Promise<void> {
  if (jobs.length === 0) return;
  // One read of the mailbox's outage for all of them, not one per job.
  const outage = await mailboxOutage(engine);
  for (const job of jobs) {
    const interview = await getInterview(engine.store, job.interviewId);
    if (!interview || interview.revision !== job.revision || interview.status !== 'scheduled') continue;
    const record = (await getActionRecords(engine.store, job.interviewId)).find((r) => r.kind === job.kind && r.revision === job.revision);
    const missed = (await missedAfterOutage(engine, interview, job, record, outage)) ?? missedWhileStopped(engine, interview, job, record);
    if (missed) await recordMissed(engine, job, missed);
  }
}

/**
 * Why an action whose time passed without it running, with no outage (ringback was stopped, the
 * computer asleep), is missed; null when it was not due yet or is still of use. Without this, the
 * reconciler dropped its job and the action showed "pending", due in the past, for good.
 */
function missedWhileStopped(engine: Engine, interview: Interview, job: { kind: ActionKind }, record: ActionRecord | undefined): string | null {
  if (!record || record.state !== 'pending' || record.dueAt > engine.now()) return null;
  const why = pastUse({ kind: job.kind, dueAt: record.dueAt }, interview.start, engine.config.timing, engine.now());
  if (!why) return null;
  return whyMissedWhileStopped(clock(record.dueAt, engine.config.candidate.timezone), why);
}

/**
 * Why, in plain words, an action parked on calendar `calendarId`'s held list is missed, by why it was held there:
 * its calendar did not list the call (src/engine/held-sends.ts; held from its park time) or could
 * not be read (src/engine/unread-sends.ts; held from that calendar's last read). `until`: when the
 * calendar listed the call or was read again, null while it still waits.
 */
export function missedWhileHeld(engine: Engine, calendarId: string, held: ParkedAction, until: Millis | null, why: string): string {
  const zone = engine.config.candidate.timezone;
  const [since, state] = held.unreadSince === undefined ? [held.parkedAt, 'did not list the call'] : [held.unreadSince, 'could not be read'];
  const window = until === null ? `since ${clock(since, zone)}` : `from ${clock(since, zone)} to ${clock(until, zone)}`;
  return `it was held while calendar ${calendarId} ${state} (${window}), and by then ${why}`;
}

/**
 * Marks the action missed, once, in its record and the audit (`why`: in plain words, as the
 * functions above give it), and takes it off the parked list of
 * `accountId` (default: the mailbox's).
 */
export async function recordMissed(engine: Engine, job: ActionJobData, why: string, accountId = mailboxConfig(engine).id): Promise<void> {
  const message = missedNote(why);
  await unpark(engine.store, accountId, actionJobId(job.interviewId, job.kind, job.revision));
  // Found overdue by the reconciler and by its own job at once: said once (asleep-across-call.int.test.ts).
  // Why, in plain words, apart: the note to the user in Drafts says it without the record's "missed:".
  if (!(await markActionMissed(engine.store, job.interviewId, job.kind, job.revision, message, { plain: why }))) return;
  await audit(engine.store, { type: 'missed', interviewId: job.interviewId, message: `${ACTION_LABEL[job.kind]} ${message}`, at: engine.now() });
  if (job.kind === 'confirmation-send') await noticeAfterMissed(engine, job.interviewId);
}

/**
 * The health probe: when the mailbox is in an outage and now answers, ends the outage and runs
 * the actions parked during it. Returns how many were brought forward (null: nothing to do, or
 * still down). With no outage under way, runs those a process stopped after ending the last one
 * left waiting (still on the releasing list, src/store/outages.ts), 30 s after that end: else
 * they would wait {@link PARK_RECHECK_MS} for nothing, and a send past its time.
 */
export async function resumeIfUsable(engine: Engine): Promise<number | null> {
  const config = engine.config.mailbox;
  if (!config) return null;
  const outage = await currentOutage(engine.store, config.id);
  if (!outage) return await resumeLeftWaiting(engine, config.id);
  // A limit that lifts by itself: its check (a login) passes before it has lifted. A fault beside
  // it is checked all the same, and its end lets the rest of the account work again.
  if (outage.recheckAt !== undefined && engine.now() < outage.recheckAt) return outage.faultBesideLimit ? await resumeBesideLimit(engine, config.id) : null;
  // Begun again right after the last one ended: given time before the next check.
  if (engine.now() < outage.since + (await checkAfter(engine, config.id, outage))) return null;
  if (!(await probeWorks(engine))) return null;
  const ended = await endOutage(engine.store, config.id, engine.now());
  if (!ended) return null;
  return await resume(engine, config.id, ended.outage, ended.parked);
}

/**
 * Checks the mailbox in an outage: true when it works. Still down, the reason is noted on the
 * outage; a changed one (the server is back but the password is now refused) is shown.
 */
async function probeWorks(engine: Engine): Promise<boolean> {
  try {
    await probeMailbox(engine);
    return true;
  } catch (error) {
    const trouble = accountTrouble(error);
    if (trouble) await beginOutage(engine, trouble, error instanceof Error ? error.message : String(error), error);
    return false;
  }
}

/**
 * The fault beside a limit is checked: when the account's check passes, the outage goes on as the
 * limit alone, and what the limit does not hold (the drafts, under a sending limit) runs at once;
 * the sends stay parked until the limit's recheck time. Returns how many actions were brought
 * forward, or null when the fault is still there.
 */
async function resumeBesideLimit(engine: Engine, accountId: string): Promise<number | null> {
  if (!(await probeWorks(engine))) return null;
  if (!(await easeToLimit(engine.store, accountId))) return null;
  const outage = await currentOutage(engine.store, accountId);
  const free = outage?.sendsOnly ? (await parkedActions(engine.store, accountId)).filter((p) => p.kind !== 'confirmation-send') : [];
  const promoted = await promoteActions(engine.queues, free.map((p) => p.jobId));
  for (const p of free) await unpark(engine.store, accountId, p.jobId);
  const line = outage?.sendsOnly
    ? `${accountId} works again but for its sending limit: ${free.length} waiting action${free.length === 1 ? '' : 's'} resumed; the sends wait until the limit lifts`
    : `${accountId}: the fault is over, but the account still waits for its limit to lift`;
  engine.log.info({ account: accountId, promoted }, line);
  await audit(engine.store, { type: 'account', accountId, message: line, at: engine.now() });
  return promoted;
}

/**
 * How long after the end of an outage the actions still on its releasing list count as left by a
 * process stopped half-way: before, the process that ended it (the probe of another process on the
 * same Redis) may be running them, and would write "works again" a second time. Two probes.
 */
const LEFT_WAITING_AFTER_MS = 2 * PROBE_EVERY_MS;

async function resumeLeftWaiting(engine: Engine, accountId: string): Promise<number | null> {
  const left = await releasingParked(engine.store, accountId);
  if (left.length === 0) return null;
  const outage = await previousOutage(engine.store, accountId);
  if (outage?.until != null && engine.now() < outage.until + LEFT_WAITING_AFTER_MS) return null;
  return await resume(engine, accountId, outage, left);
}

/** Runs the actions of the outage that ended, then takes them off the releasing list; audited once. */
async function resume(engine: Engine, accountId: string, outage: Outage | null, parked: ReadonlyArray<{ jobId: string }>): Promise<number> {
  const zone = engine.config.candidate.timezone;
  const promoted = await promoteActions(engine.queues, parked.map((p) => p.jobId));
  const window = outage ? ` (it could not be used ${outageWindow(outage.since, outage.until, (t) => clock(t, zone))})` : '';
  const line = `${accountId} works again${window}: ${parked.length} waiting action${parked.length === 1 ? '' : 's'} resumed`;
  engine.log.info({ account: accountId, promoted }, line);
  await audit(engine.store, { type: 'account', accountId, message: line, at: engine.now() });
  await releasedParked(engine.store, accountId, parked.map((p) => p.jobId));
  return promoted;
}
