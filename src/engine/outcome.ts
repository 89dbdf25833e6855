/**
 * Recording how a call went, from any source (the CLI, a #tag in the event, the mailbox, the
 * dashboard, or assumed at give-up time), and what follows: the company's record, the pattern
 * flag, the audit, and a new plan for the follow-ups.
 */
import type { Interview, Outcome } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { getCompany, recordCompanyOutcome } from '../store/companies.js';
import { updateInterview } from '../store/interview-writes.js';
import { listInterviews } from '../store/interviews.js';
import type { Engine } from './context.js';
import { replan } from './replan.js';
import { safeTitle } from './wording.js';

export type OutcomeSource = NonNullable<Interview['outcomeSource']>;

const OUTCOME_WORDS: Record<Outcome, string> = {
  held: 'the call took place',
  'interviewer-no-show': 'the interviewer did not call or answer',
  'candidate-missed': 'you missed the call',
};

const SOURCE_WORDS: Record<OutcomeSource, string> = {
  cli: 'recorded with ringback outcome',
  tag: 'from a tag in the calendar event',
  mailbox: 'you sent the no-show email',
  assumed: 'assumed: the no-show draft was not sent',
  dashboard: 'recorded on the dashboard',
};

export async function recordOutcome(
  engine: Engine,
  interviewId: string,
  outcome: Outcome,
  source: OutcomeSource,
): Promise<Interview | null> {
  const written = source === 'assumed' ? await assumeOutcome(engine, interviewId, outcome) : await setOutcome(engine, interviewId, outcome, source);
  if (!written) return null;
  const { interview, updated } = written;
  if (interview === updated) return interview;
  const now = engine.now();
  await audit(engine.store, {
    type: 'outcome',
    interviewId,
    message: `outcome: ${outcome} — ${OUTCOME_WORDS[outcome]} (${SOURCE_WORDS[source]})`,
    at: now,
  });
  // An assumption leaves the company's record alone: an interview without an outcome has no place
  // in it, and a write computed from an earlier read could take out a no-show the user just recorded.
  if (interview.company && source !== 'assumed') {
    const before = interview.company;
    const wasPattern = (await getCompany(engine.store, before)).pattern;
    const record = await recordCompanyOutcome(engine.store, before, interviewId, engine.config.policy);
    if (record.pattern && !wasPattern) await replanCompany(engine, before, interviewId);
    // The company's lists follow the interview's record as stored, which another outcome recorded at
    // the same moment may have changed since: the escalation speaks of what was counted.
    if (outcome === 'interviewer-no-show' && record.noShows.includes(interviewId)) {
      await audit(engine.store, {
        type: 'escalation',
        interviewId,
        message: record.pattern
          ? `${before} has now missed ${record.noShows.length} calls: flagged as a pattern; confirmations to it stay drafts until "ringback company clear ${before}"`
          : `${before} has missed ${record.noShows.length} call${record.noShows.length === 1 ? '' : 's'} so far`,
        at: now,
      });
    }
  }
  if (updated.status === 'scheduled') await replan(engine, updated, updated.revision);
  engine.log.info({ interview: interviewId, outcome, source }, `outcome recorded for "${safeTitle(interview.title)}"`);
  return updated;
}

interface Written {
  readonly interview: Interview;
  /** The interview as stored now; `interview` itself when nothing was written. */
  readonly updated: Interview;
}

/**
 * The outcome goes onto the record as it is when written: a sync that moved the event meanwhile
 * keeps its new start and revision (updateInterview).
 */
async function setOutcome(engine: Engine, interviewId: string, outcome: Outcome, source: OutcomeSource): Promise<Written | null> {
  const written = await updateInterview(engine.store, interviewId, (current) => ({ ...current, outcome, outcomeSource: source }));
  return written && { interview: written.before, updated: written.after };
}

/**
 * An assumption never replaces an outcome known meanwhile. The give-up check reads the interview,
 * then asks the mailbox; an outcome the user recorded in between (or while this write is on its
 * way) would otherwise be overwritten by "held (assumed)", and the company's no-show lost from its
 * record. So the assumption is made on the record as it is when written, and only when it has none.
 */
async function assumeOutcome(engine: Engine, interviewId: string, outcome: Outcome): Promise<Written | null> {
  const written = await updateInterview(engine.store, interviewId, (current) => (current.outcome ? null : { ...current, outcome, outcomeSource: 'assumed' }));
  return written && { interview: written.before, updated: written.after };
}

/**
 * Replans the company's upcoming interviews after its pattern flag changed, so that their
 * confirmations stay drafts (or go out again) and `interviews` says why.
 */
export async function replanCompany(engine: Engine, company: string, except?: string): Promise<void> {
  for (const iv of await listInterviews(engine.store, { from: engine.now() })) {
    if (iv.company === company && iv.status === 'scheduled' && iv.id !== except) await replan(engine, iv, iv.revision);
  }
}
