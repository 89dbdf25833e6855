/**
 * The actions processor: runs one due step of an interview (src/engine/actions.ts), marks the
 * mailbox as needing re-auth when the provider refused the sign-in, and records a step that
 * failed for good in the interview's actions and the audit.
 */
import type { Engine } from '../src/engine/context.js';
import { runAction } from '../src/engine/actions.js';
import { AuthError } from '../src/providers/errors.js';
import { actionJobId, type ActionJobData } from '../src/queue/jobs.js';
import { recordAccountProblem } from '../src/store/accounts.js';
import { audit } from '../src/store/audit.js';
import { updateActionState } from '../src/store/interviews.js';

export function actionProcessor(engine: Engine): (data: ActionJobData) => Promise<string> {
  return async (data) => {
    try {
      return (await runAction(engine, data)).message;
    } catch (error) {
      if (error instanceof AuthError && engine.config.mailbox) {
        await recordAccountProblem(engine.store, engine.config.mailbox.id, { attention: 'needs-reauth', message: error.message, at: engine.now() });
      }
      throw error;
    }
  };
}

export async function actionGaveUp(engine: Engine, job: ActionJobData, error: Error): Promise<void> {
  await updateActionState(engine.store, job.interviewId, job.kind, job.revision, 'failed', error.message);
  await audit(engine.store, {
    type: 'error',
    interviewId: job.interviewId,
    message: `${job.kind} failed for good (${actionJobId(job.interviewId, job.kind, job.revision)}): ${error.message}`,
    at: engine.now(),
  });
}
