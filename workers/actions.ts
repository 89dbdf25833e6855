/**
 * The actions processor: runs one due step of an interview (src/engine/actions.ts), parks it when
 * its mailbox cannot be used (src/engine/outage.ts: the account is marked as needing attention, the
 * step waits for it), and records a step that failed for good (a fault of the email itself) in the
 * interview's actions and the audit, saying which step and why.
 */
import type { Engine } from '../src/engine/context.js';
import { runAction } from '../src/engine/actions.js';
import { parkOnAccountFailure } from '../src/engine/outage.js';
import { ACTION_LABEL } from '../src/engine/replan.js';
import { actionJobId, type ActionJobData } from '../src/queue/jobs.js';
import { audit } from '../src/store/audit.js';
import { updateActionState } from '../src/store/interviews.js';

export function actionProcessor(engine: Engine): (data: ActionJobData, attempt: number) => Promise<string> {
  return async (data, attempt) => {
    try {
      return (await runAction(engine, data)).message;
    } catch (error) {
      // Throws ActionParked when the account is down; otherwise the error goes on to the queue.
      await parkOnAccountFailure(engine, data, error, attempt);
      throw error;
    }
  };
}

export async function actionGaveUp(engine: Engine, job: ActionJobData, error: Error): Promise<void> {
  await updateActionState(engine.store, job.interviewId, job.kind, job.revision, 'failed', error.message);
  await audit(engine.store, {
    type: 'error',
    interviewId: job.interviewId,
    message: `${ACTION_LABEL[job.kind]} failed for good (${actionJobId(job.interviewId, job.kind, job.revision)}): ${error.message}`,
    at: engine.now(),
  });
}
