/**
 * What becomes of an action whose job failed: the actions worker's `failed` listener decides it
 * (workers/actions.ts), and the reconciler again for a job whose listener never ran (its process
 * was killed just after the job failed).
 *
 * - Failed by a fault of the email itself (a recipient or header the server refuses): failed for
 *   good, recorded in the interview's actions and the audit with the step and the reason.
 * - Failed by the queue because it stalled too often (src/queue/stalls.ts: each time, the process
 *   running it died): never a fault of the email. The job is put back as it is and runs again; it
 *   re-reads the world then and does only what is still useful (a confirmation whose call came
 *   within `minLeadMinutes` meanwhile stays a draft, and says so), and a send first asks the
 *   mailbox whether an earlier attempt got through (confirmation.ts), so nothing goes twice.
 *   Bounded: at {@link ACTION_STALLS_IN_ALL} stalls it is failed for good like the others, with
 *   why, so that a job that kills its own process every time does not crash ringback for ever.
 */
import { ACTION_LABEL, type ActionKind, type PlainWords } from '../domain/actions.js';
import { AccountUnusableError, PermanentError, ProviderError } from '../providers/errors.js';
import { actionJobId, type ActionJobData } from '../queue/jobs.js';
import { ACTION_MAX_STALLS, ACTION_STALLS_IN_ALL, STALLED_OUT } from '../queue/stalls.js';
import { audit } from '../store/audit.js';
import { updateActionState } from '../store/interviews.js';
import type { Engine } from './context.js';
import { noticeAfterMissed } from './missed-notice.js';

/** What is left for the user to do about a step failed for good, by kind. */
const LEFT_TO_DO: Record<ActionKind, string> = {
  'confirmation-draft': 'no confirmation draft was written',
  'confirmation-send': 'the confirmation was not sent; its draft, if written, is in Drafts for you to send',
  'noshow-draft': 'no no-show draft was written',
  'noshow-resolve': 'the outcome of the call was not decided: record it with "ringback outcome"',
  'thankyou-draft': 'no thank-you draft was written',
  'apology-draft': 'no apology draft was written',
};

/**
 * Records a step failed for good in the interview's actions and the audit, saying which and why:
 * `reason` as the audit and `ringback interviews` say it (a server's reply included), `words` the
 * same in plain words, kept apart for the note to the user (missed-notice.ts).
 */
export async function actionGaveUp(engine: Engine, action: ActionJobData, reason: string, words: PlainWords = {}): Promise<void> {
  await updateActionState(engine.store, action.interviewId, action.kind, action.revision, 'failed', reason, words);
  await audit(engine.store, {
    type: 'error',
    interviewId: action.interviewId,
    message: `${ACTION_LABEL[action.kind]} failed for good (${actionJobId(action.interviewId, action.kind, action.revision)}): ${reason}`,
    at: engine.now(),
  });
  if (action.kind === 'confirmation-send') await noticeAfterMissed(engine, action.interviewId);
}

/** Whether a job's failure is the queue's for stalling too often (src/queue/stalls.ts). */
export function stalledOut(reason: string): boolean {
  return reason === STALLED_OUT;
}

/** A failed job as its listener or the reconciler sees it. */
export interface FailedJob {
  /** The job's id (of this version's form, or of an earlier one's: src/queue/jobs.ts). */
  readonly id: string;
  /** How many times it was found stalled (BullMQ's count). */
  readonly stalls: number;
  /** Puts it back to run again; false when it is not failed any more (src/queue/stalls.ts). */
  putBack(): Promise<boolean>;
}

/**
 * An action failed by the queue after `job.stalls` stalls (see the file's head): put back to run
 * again, or failed for good at the bound. The audit says so at the first put-back (later ones,
 * one per further stall, go to the log) and at the end.
 */
export async function afterStalledOut(engine: Engine, action: ActionJobData, job: FailedJob): Promise<'put back' | 'failed' | 'moved on'> {
  const { id: jobId, stalls } = job;
  const label = ACTION_LABEL[action.kind];
  if (stalls >= ACTION_STALLS_IN_ALL) {
    const reason =
      `ringback stopped ${stalls} times while running it (killed or crashed each time): it is not run again, as it may be what ` +
      `crashes ringback (see the log before each restart); ${LEFT_TO_DO[action.kind]}`;
    await actionGaveUp(engine, action, reason, { plain: `ringback stopped ${stalls} times while running it (killed or crashed each time), and does not run it again` });
    return 'failed';
  }
  // Not failed any more: another process put it back, or a replan replaced it.
  if (!(await job.putBack())) return 'moved on';
  engine.log.warn({ job: jobId, stalls }, 'action stopped too often while running; run again');
  if (stalls <= ACTION_MAX_STALLS + 1) {
    await audit(engine.store, {
      type: 'error',
      interviewId: action.interviewId,
      message:
        `${label}: ringback stopped ${stalls} times while running it (killed or crashed each time); it is run again, and does what is ` +
        `still useful then (given up after ${ACTION_STALLS_IN_ALL} such stops)`,
      at: engine.now(),
    });
  }
  return 'put back';
}

/**
 * The listener's work for an action job that failed: a stall failure goes to
 * {@link afterStalledOut}, any other is failed for good.
 */
export async function afterActionFailed(engine: Engine, action: ActionJobData, failure: FailedJob & { readonly reason: string; readonly error?: unknown }): Promise<void> {
  if (stalledOut(failure.reason)) await afterStalledOut(engine, action, failure);
  else await actionGaveUp(engine, action, failure.reason, plainWordsOf(failure.error));
}

/**
 * The plain words of a job's failure: those of the provider error it was thrown for (the queue
 * wraps it as the cause of its own: workers/policy.ts), when that error is a fault of the email
 * itself (PermanentError, not an unusable account). A wait that ran out of attempts has none: its fix is about the account
 * and says ringback tries again (a sender thread limit), no step for the draft. A failure found by
 * the reconciler has only BullMQ's `failedReason` left, and no plain words: its note says that the
 * send failed, without why.
 */
export function plainWordsOf(error: unknown): PlainWords {
  const provider = error instanceof ProviderError ? error : error instanceof Error && error.cause instanceof ProviderError ? error.cause : null;
  // An unusable account (a limit reached included) is a PermanentError too, but its fix is the account's.
  if (!(provider instanceof PermanentError) || provider instanceof AccountUnusableError) return {};
  return { ...(provider.plain === undefined ? {} : { plain: provider.plain }), ...(provider.fix === undefined ? {} : { fix: provider.fix }) };
}
