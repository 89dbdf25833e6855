/**
 * Whether a call came about by moving an earlier one: then the thank-you first thanks them for
 * their flexibility (the article's advice).
 *
 * The same event moved (`rescheduled`), or the new time came as a new invitation: the last
 * earlier interview with the same company (or, without a company, the same counterpart) did not
 * take place, because they did not call or the invitation was cancelled. A held earlier call is
 * an earlier round, not a move.
 */
import type { Interview } from './types.js';

export interface Flexibility {
  /** Thank them for their flexibility. */
  readonly owed: boolean;
  /** The earlier interview this one replaced, when it came as a new invitation. */
  readonly after: string | null;
}

function sameCounterpart(a: Interview, b: Interview): boolean {
  if (a.company !== null && b.company !== null) return a.company === b.company;
  // Two counterparts without an address (no-reply invitations) are not known to be one person.
  return a.counterpart.email !== null && a.counterpart.email !== '' && a.counterpart.email === b.counterpart.email;
}

export function flexibilityOwed(interview: Interview, others: readonly Interview[]): Flexibility {
  const previous = others
    .filter((other) => other.id !== interview.id && other.start < interview.start && sameCounterpart(other, interview))
    .sort((a, b) => b.start - a.start)[0];
  const replaced = previous !== undefined && (previous.status === 'cancelled' || previous.outcome === 'interviewer-no-show');
  return { owed: interview.rescheduled > 0 || replaced, after: replaced ? previous.id : null };
}
