/**
 * What the user says about a duplicate (src/engine/duplicates.ts) is about the call: `ringback
 * mark` and `ringback outcome` given a duplicate's id, and the dashboard's buttons, act on the
 * interview that has the call's emails, and say so. Acting on the duplicate alone changed nothing
 * the interviewer receives (its owner kept sending) while it said its emails were withdrawn, and
 * an outcome on each listing of one call counted two no-shows for the company.
 */
import type { Interview } from '../domain/types.js';
import { getInterview } from '../store/interviews.js';
import type { Store } from '../store/store.js';

export interface CallHolder {
  /** The interview with the call's emails: the one given, or the owner a duplicate names. */
  readonly interview: Interview;
  /** Set when `interview` is the owner of the duplicate given: the words that say so. */
  readonly redirected: string | null;
}

export async function callHolder(store: Store, given: Interview): Promise<CallHolder> {
  if (given.duplicateOf === undefined) return { interview: given, redirected: null };
  const owner = await getInterview(store, given.duplicateOf);
  // An owner whose record is gone leaves nobody else to act on (not expected: records stay).
  if (owner === null) return { interview: given, redirected: null };
  return {
    interview: owner,
    redirected: `${given.id} is the same call as ${owner.id} (calendar "${owner.sourceId}"), which has its emails`,
  };
}
