/**
 * What an action held back by an account outage is still good for (DESIGN.md, Outages). An action
 * parked while its account was unusable runs when the account works again only if it still makes
 * sense; otherwise it is recorded once as missed, with the outage window.
 *
 * - a confirmation (draft or send) only while the call is at least `minLead` ahead: a confirmation
 *   that arrives as the phone rings helps nobody;
 * - a no-show draft only before `giveUp`, when ringback assumes the call was held;
 * - a thank-you or an apology within a day of its due time (later, a note reads as an afterthought
 *   and the user has most likely written one by hand);
 * - the no-show resolution always: it only settles the outcome and tidies Drafts.
 */
import type { ActionKind, Millis, TimingSettings } from './types.js';

const MINUTE = 60_000;
const FOLLOW_UP_USEFUL_MS = 24 * 3_600_000;

/** The last moment at which the action is still worth running, or null when it always is. */
export function usefulUntil(
  action: { readonly kind: ActionKind; readonly dueAt: Millis },
  interviewStart: Millis,
  timing: Pick<TimingSettings, 'minLeadMinutes' | 'giveUpMinutes'>,
): Millis | null {
  switch (action.kind) {
    case 'confirmation-draft':
    case 'confirmation-send':
      return interviewStart - timing.minLeadMinutes * MINUTE;
    case 'noshow-draft':
      return interviewStart + timing.giveUpMinutes * MINUTE;
    case 'thankyou-draft':
    case 'apology-draft':
      return action.dueAt + FOLLOW_UP_USEFUL_MS;
    case 'noshow-resolve':
      return null;
  }
}

/** Why a parked action is no longer worth running at `now`, or null when it still is. */
export function pastUse(
  action: { readonly kind: ActionKind; readonly dueAt: Millis },
  interviewStart: Millis,
  timing: Pick<TimingSettings, 'minLeadMinutes' | 'giveUpMinutes'>,
  now: Millis,
): string | null {
  const until = usefulUntil(action, interviewStart, timing);
  if (until === null || now <= until) return null;
  switch (action.kind) {
    case 'confirmation-draft':
    case 'confirmation-send':
      return `the call was less than ${timing.minLeadMinutes} minutes away`;
    case 'noshow-draft':
      return `the ${timing.giveUpMinutes} minutes after the start of the call had passed`;
    default:
      return 'more than a day had passed since it was due';
  }
}

/** One phrase for an outage window, in the candidate's words: "from 14:02 to 15:31 (UTC)". */
export function outageWindow(since: Millis, until: Millis | null, format: (t: Millis) => string): string {
  return until === null ? `since ${format(since)} (still unusable)` : `from ${format(since)} to ${format(until)}`;
}

/**
 * Why an action was missed because ringback was not running at its time, in plain words: `due` is
 * its due time as the user's clock shows it, `why` what {@link pastUse} says. The record and the
 * audit say it after "missed: " ({@link missedNote}); the note to the user in Drafts as it is.
 */
export function whyMissedWhileStopped(due: string, why: string): string {
  return `it was due ${due} and did not run then (ringback was not running), and by the time it could ${why}`;
}

/**
 * Why an action was missed because account `accountId` could not be used, in plain words:
 * `window` what {@link outageWindow} says (empty when not known), `why` what {@link pastUse} says.
 */
export function whyMissedAfterOutage(accountId: string, window: string, why: string): string {
  return `${accountId} could not be used${window === '' ? '' : ` ${window}`}, and by the time it could ${why}`;
}

/** How the action's record, the audit and `ringback interviews` say that it was missed, and why. */
export function missedNote(why: string): string {
  return `missed: ${why}`;
}
