/**
 * What a company's record of missed calls means for the next email to it.
 *
 * Only interviewer no-shows count. A call the candidate missed says nothing about the company, so
 * `candidateMisses` is carried for display and never changes the decision.
 */
import type { Escalation, PolicySettings } from './types.js';

export interface CompanyHistory {
  /** Interviewer no-shows recorded for the company, including the one the email is about. */
  readonly interviewerNoShows: number;
  /** Calls the candidate missed with this company; never counted against it. */
  readonly candidateMisses: number;
}

/** A count as a whole number ≥ 0; anything unusable (NaN, negative) counts as none. */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/**
 * A threshold as a whole number ≥ 1: a company with no no-shows is never escalated, whatever the
 * config says. An unusable value (NaN) never triggers.
 */
function threshold(n: number): number {
  if (Number.isNaN(n)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.ceil(n));
}

/** True once the company's recorded no-shows reach `moveOnAfter`: confirmations to it stay drafts. */
export function isPattern(noShowsRecorded: number, settings: PolicySettings): boolean {
  return count(noShowsRecorded) >= threshold(settings.moveOnAfter);
}

/**
 * How the no-show email to a company asks: offer free slots (`reschedule`) until no-shows reach
 * `askToCallAfter`, then ask them to call the candidate (`call-me`).
 */
export function decideEscalation(history: CompanyHistory, settings: PolicySettings): Escalation {
  const noShows = count(history.interviewerNoShows);
  return {
    noShows,
    ask: noShows >= threshold(settings.askToCallAfter) ? 'call-me' : 'reschedule',
    pattern: isPattern(noShows, settings),
  };
}

/**
 * Which no-show note to write: 1 offers new times; 2 says it is the second time and asks them to
 * call when convenient; 3 (the company already had the pattern before this miss) is a short
 * polite note with no times that leaves the door open.
 */
export type NoShowLevel = 1 | 2 | 3;

export function noShowLevel(history: CompanyHistory, settings: PolicySettings): NoShowLevel {
  const escalation = decideEscalation(history, settings);
  if (isPattern(escalation.noShows - 1, settings) && escalation.noShows > 1) return 3;
  return escalation.ask === 'call-me' ? 2 : 1;
}
