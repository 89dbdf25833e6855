/**
 * The plan of one interview: which actions happen when, and which are skipped and why.
 *
 * Pure and total: `now` is a parameter, every `dueAt` is a finite instant at or after `now`, and
 * hostile input (NaN, end before start, negative or absurd durations) gives a sensible plan, never
 * NaN. The lifecycle it follows is the table in DESIGN.md (`T` = start, `E` = end):
 *
 * - confirmation draft at `max(now, T - draftHorizon)`, sent at `T - confirmLead`, but never less
 *   than `reviewMinutes` after the draft was written while the call is far enough ahead (the user
 *   must have a chance to read it); detected inside the lead window but at least `minLead` ahead,
 *   the draft is written now and sent after the review window ("short notice"); later, none.
 * - no outcome yet: a no-show draft at `T + wait`, resolved at `T + giveUp`.
 * - held (or not known yet): a thank-you draft at `E + thankYouDelay`, after the resolve.
 * - candidate missed the call: an apology draft now.
 *
 * Jobs re-read the world when they run; the plan only says when to look.
 */
import { ACTION_KINDS } from './actions.js';
import { hours, minutes } from './time.js';
import type {
  ActionKind,
  CandidateRole,
  ConfirmationMode,
  Interview,
  Millis,
  Plan,
  PlannedAction,
  SkippedAction,
  TimingSettings,
} from './types.js';

export interface PlanInput {
  readonly interview: Interview;
  readonly timing: TimingSettings;
  readonly confirmations: ConfirmationMode;
  /** The company has the "pattern" flag: confirmations to it stay drafts until the user clears it. */
  readonly companyFlagged: boolean;
  readonly now: Millis;
  /**
   * When the confirmation draft of this revision was written, if it was: the review window counts
   * from then, so that a later replan does not push the send further out.
   */
  readonly confirmationDraftedAt?: Millis | null;
  /**
   * The counterpart already got a confirmation, of an earlier revision, that says all this one
   * would (the event changed only in its end or its attendees): none is written or sent.
   * @defaultValue false
   */
  readonly confirmationStands?: boolean;
  /**
   * Used in place of a timing setting that is not a finite number ≥ 0: the config's defaults
   * (config/fields.ts). The config validates every setting, so only hostile input needs it.
   * @defaultValue none: such a setting counts as 0
   */
  readonly fallbackTiming?: TimingSettings;
}

/** Order of actions due at the same instant: the order in which they make sense. */
export const ACTION_ORDER: readonly ActionKind[] = ACTION_KINDS;

/** Roles that allow the confirmation to go out without review. */
const AUTO_SEND_ROLES: ReadonlySet<CandidateRole> = new Set(['organizer', 'accepted']);

/** A thank-you is pointless this long after the call. */
const THANK_YOU_LIMIT: Millis = hours(24 * 7);

/** The thank-you runs this long after the no-show resolve, so that the outcome is known by then. */
const AFTER_RESOLVE: Millis = minutes(1);

/**
 * A send due right at `T - minLead` would be refused as too late by a job that runs a moment
 * behind; the review window gives way this long before that limit.
 */
const SEND_MARGIN: Millis = minutes(1);

/** No setting reaches further than a year; keeps every sum finite. */
const LONGEST: Millis = hours(24 * 366);

/** The range of a JavaScript Date; instants outside it cannot be scheduled. */
const LAST_INSTANT: Millis = 8.64e15;

function isInstant(t: Millis): boolean {
  return Number.isFinite(t) && Math.abs(t) <= LAST_INSTANT;
}

function usable(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value >= 0;
}

function duration(value: number, fallback: number | undefined, unit: (n: number) => Millis): Millis {
  const n = usable(value) ? value : usable(fallback) ? fallback : 0;
  return Math.min(unit(n), LONGEST);
}

function minutesText(ms: Millis): string {
  const n = Math.round(ms / minutes(1));
  return n === 1 ? '1 minute' : `${n} minutes`;
}

interface Durations {
  readonly lead: Millis;
  readonly minLead: Millis;
  readonly horizon: Millis;
  readonly wait: Millis;
  readonly giveUp: Millis;
  readonly thankYouDelay: Millis;
  readonly review: Millis;
}

function durationsOf(timing: TimingSettings, fallback: TimingSettings | undefined): Durations {
  const d = (key: keyof TimingSettings, unit: (n: number) => Millis): Millis =>
    duration(timing[key], fallback?.[key], unit);
  const wait = d('waitMinutes', minutes);
  return {
    lead: d('confirmLeadMinutes', minutes),
    minLead: d('minLeadMinutes', minutes),
    horizon: d('draftHorizonHours', hours),
    wait,
    // Resolving before the no-show draft exists would make no sense.
    giveUp: Math.max(wait, d('giveUpMinutes', minutes)),
    thankYouDelay: d('thankYouDelayMinutes', minutes),
    review: d('reviewMinutes', minutes),
  };
}

/** Why an uncertain detection holds the confirmation. */
export const NEEDS_REVIEW = 'detection is not sure this is a phone interview: settle it with "ringback mark <id> phone" (or the dashboard) and the confirmation can be sent';

/**
 * Why a counterpart without an address (the invitation came from a no-reply sender) never gets an
 * email from ringback by itself: every draft is written without a recipient, for the user to
 * address. The confirmation's send is still planned when nothing else holds it
 * ({@link sendsOnceAddressed}): the user's edits win (DESIGN.md, a confirmation is sent as the
 * draft stands at due time), so a recipient they write into the draft gets it then; a draft still
 * without one stays in Drafts ({@link NOT_ADDRESSED}).
 */
export const NO_RECIPIENT =
  'no address to write to (the invitation came from a no-reply address): the confirmation stays a draft; add the recipient in the draft and send it yourself';

/** Why a confirmation whose send is planned stays a draft at due time: nobody was written into it. */
export const NOT_ADDRESSED =
  'the confirmation draft still has no recipient (the invitation came from a no-reply address): it stays in Drafts; add the recipient and send it yourself';

/**
 * True when the one thing that keeps the confirmation from going out is that the counterpart has
 * no address: its send is planned, and goes ahead only if the user writes a recipient into the
 * draft (engine/confirmation.ts reads the draft at due time).
 */
export function sendsOnceAddressed(blockers: readonly string[]): boolean {
  return blockers.length === 1 && blockers[0] === NO_RECIPIENT;
}

/**
 * Why the counterpart may not get the confirmation without review, or null when it may. It must
 * have an address ({@link NO_RECIPIENT}), and be part of the event: the organizer of an invitation the user accepted, or an attendee who accepted
 * (an event the user organised, or an invitation both accepted whose organizer cannot be written
 * to), or the interviewer the invitation names, put on the call by an organizer who can be written
 * to, in an invitation the user accepted (`named-by-organizer`; one who declined is never chosen). An ORGANIZER line anyone can write, even with the user's own address, therefore never sends
 * to someone who did not agree to the call.
 */
export function recipientBlocker(interview: Interview): string | null {
  const { role, counterpart } = interview;
  // The user's own answer first: without it nothing goes out, even to a recipient they add.
  if (!AUTO_SEND_ROLES.has(role)) {
    return role === 'unknown' ? 'ringback cannot tell whether you accepted the invitation' : `you have not accepted the invitation (${role})`;
  }
  if (counterpart.email === null) return NO_RECIPIENT;
  const theirs = interview.counterpartRole ?? 'unknown';
  if (theirs === 'accepted' || ((theirs === 'organizer' || theirs === 'named-by-organizer') && role === 'accepted')) return null;
  return `${counterpart.email} has not accepted the invitation (${theirs}): the confirmation stays a draft`;
}

/**
 * Why the confirmation may not go out without review, in plain words; empty when it may. The one
 * rule: the plan asks it when it plans, the send (engine/confirmation.ts) asks it again at due time.
 */
export function autoSendBlockers(input: Pick<PlanInput, 'interview' | 'confirmations' | 'companyFlagged'>): string[] {
  const { interview, confirmations, companyFlagged } = input;
  const reasons: string[] = [];
  if (confirmations !== 'send') reasons.push(`confirmations: ${confirmations} in the config`);
  const outsider = recipientBlocker(interview);
  if (outsider !== null) reasons.push(outsider);
  if (interview.review === true) reasons.push(NEEDS_REVIEW);
  if (companyFlagged) {
    const company = interview.company ?? 'this company';
    reasons.push(`${company} has a pattern of missed calls: confirmations stay drafts until "ringback company clear ${company}"`);
  }
  return reasons;
}

interface Builder {
  readonly actions: PlannedAction[];
  readonly skipped: SkippedAction[];
}

/** Why no confirmation is written when its recipient already has one that says it all (`confirmationStands`). */
export function confirmationStandsReason(address: string | null): string {
  return `${address ?? 'the interviewer'} already got a confirmation that says all this one would (the change, to the end or the attendees, is in none of its lines)`;
}

function planConfirmation(input: PlanInput, d: Durations, start: Millis, out: Builder): { autoSend: boolean; shortNotice: boolean } {
  const { now, interview, confirmations } = input;
  const blockers = autoSendBlockers(input);
  const autoSend = blockers.length === 0;
  const none = { autoSend, shortNotice: false };

  if (confirmations === 'off') {
    out.skipped.push({ kind: 'confirmation-draft', reason: 'confirmations: off in the config' });
    return none;
  }
  if (interview.outcome !== null) {
    out.skipped.push({ kind: 'confirmation-draft', reason: `the call already has an outcome (${interview.outcome})` });
    return none;
  }
  if (input.confirmationStands === true) {
    const reason = confirmationStandsReason(interview.counterpart.email);
    out.skipped.push({ kind: 'confirmation-draft', reason }, { kind: 'confirmation-send', reason });
    return none;
  }
  const sendAt = start - d.lead;
  const latest = start - d.minLead;
  let draftAt: Millis;
  let shortNotice = false;
  if (now <= sendAt) {
    // A horizon shorter than the lead would put the draft after the send; write it at send time then.
    draftAt = Math.min(sendAt, Math.max(now, start - d.horizon));
  } else if (now <= latest) {
    draftAt = now;
    shortNotice = true;
  } else {
    const reason = now >= start ? 'the call has already started' : `the call starts in less than ${minutesText(d.minLead)}`;
    out.skipped.push({ kind: 'confirmation-draft', reason });
    return none;
  }
  out.actions.push({ kind: 'confirmation-draft', dueAt: draftAt });
  if (autoSend || sendsOnceAddressed(blockers)) out.actions.push({ kind: 'confirmation-send', dueAt: sendDue({ input, d, start, sendAt, draftAt }) });
  else out.skipped.push({ kind: 'confirmation-send', reason: blockers.join('; ') });
  return { autoSend, shortNotice };
}

/**
 * When the confirmation leaves: at `T - confirmLead`, but at least the review window after the
 * draft was written, as long as that still leaves `minLead` (a short-notice confirmation found 20
 * minutes ahead goes 5 minutes after its draft, not in the same second). Never before now.
 */
function sendDue(args: { input: PlanInput; d: Durations; start: Millis; sendAt: Millis; draftAt: Millis }): Millis {
  const { input, d, start, sendAt, draftAt } = args;
  const drafted = input.confirmationDraftedAt;
  const anchor = drafted !== undefined && drafted !== null && isInstant(drafted) ? Math.min(drafted, draftAt) : draftAt;
  const reviewed = Math.max(sendAt, anchor + d.review);
  const latest = start - d.minLead - SEND_MARGIN;
  return Math.max(input.now, draftAt, Math.min(reviewed, Math.max(sendAt, latest)));
}

function planFollowUps(input: PlanInput, d: Durations, start: Millis, end: Millis, out: Builder): void {
  const { now, interview } = input;
  const waitAt = start + d.wait;
  const giveUpAt = start + d.giveUp;

  switch (interview.outcome) {
    case null:
      if (now < giveUpAt) out.actions.push({ kind: 'noshow-draft', dueAt: Math.max(now, waitAt) });
      else out.skipped.push({ kind: 'noshow-draft', reason: 'the call is over' });
      // The resolve settles the outcome (sent contingency → no-show, else held), so it runs even
      // when ringback was down past T + giveUp; only a call long gone is left alone.
      if (now <= end + THANK_YOU_LIMIT) out.actions.push({ kind: 'noshow-resolve', dueAt: Math.max(now, giveUpAt) });
      else out.skipped.push({ kind: 'noshow-resolve', reason: 'too long after the call' });
      break;
    case 'interviewer-no-show':
      // The job itself checks whether the draft already exists.
      out.actions.push({ kind: 'noshow-draft', dueAt: Math.max(now, waitAt) });
      break;
    case 'candidate-missed':
      out.actions.push({ kind: 'apology-draft', dueAt: now });
      break;
    case 'held':
      break;
  }

  if (interview.outcome === null || interview.outcome === 'held') {
    if (now > end + THANK_YOU_LIMIT) {
      out.skipped.push({ kind: 'thankyou-draft', reason: 'too long after the call' });
    } else {
      const afterCall = end + d.thankYouDelay;
      const afterResolve = interview.outcome === null ? giveUpAt + AFTER_RESOLVE : afterCall;
      out.actions.push({ kind: 'thankyou-draft', dueAt: Math.max(now, afterCall, afterResolve) });
    }
  }
}

function byDueThenKind(a: PlannedAction, b: PlannedAction): number {
  return a.dueAt - b.dueAt || ACTION_ORDER.indexOf(a.kind) - ACTION_ORDER.indexOf(b.kind);
}

/** The actions of one interview from `now` on, and the ones skipped with their reasons. */
export function plan(input: PlanInput): Plan {
  const { interview, now } = input;
  const empty: Plan = { actions: [], skipped: [], autoSend: false, shortNotice: false };
  if (interview.status !== 'scheduled') return empty;
  // Another calendar lists the same call and its interview has the emails (duplicates.ts).
  if (interview.duplicateOf !== undefined) return empty;
  if (!isInstant(interview.start) || !isInstant(now)) {
    const reason = isInstant(now) ? 'the event has no usable start time' : 'the current time is not usable';
    return { ...empty, skipped: [{ kind: 'confirmation-draft', reason }] };
  }
  const start = interview.start;
  const end = isInstant(interview.end) && interview.end > start ? interview.end : start;
  const d = durationsOf(input.timing, input.fallbackTiming);
  const out: Builder = { actions: [], skipped: [] };

  const { autoSend, shortNotice } = planConfirmation(input, d, start, out);
  planFollowUps(input, d, start, end, out);

  return { actions: out.actions.sort(byDueThenKind), skipped: out.skipped, autoSend, shortNotice };
}
