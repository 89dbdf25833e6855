/**
 * The actions of an interview's lifecycle and the states an action's record goes through, defined
 * once: the plan, the queue's job ids, the engine, the store's Lua and the pages all take them
 * from here.
 */

/**
 * The kinds of action, in the order in which actions due at the same instant make sense (the
 * draft before its send, the no-show note before its resolve).
 */
export const ACTION_KINDS = [
  'confirmation-draft',
  'confirmation-send',
  'noshow-draft',
  'noshow-resolve',
  'thankyou-draft',
  'apology-draft',
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

export function isActionKind(text: string): text is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(text);
}

/**
 * A two-letter code of each kind, where Redis keeps one item per action: the field of its record
 * (src/store/records.ts) and its job id (src/queue/jobs.ts). NEVER CHANGE a code: records and
 * jobs are found by it.
 */
export const ACTION_KIND_CODE: Readonly<Record<ActionKind, string>> = {
  'confirmation-draft': 'cd',
  'confirmation-send': 'cs',
  'noshow-draft': 'nd',
  'noshow-resolve': 'nr',
  'thankyou-draft': 'td',
  'apology-draft': 'ad',
};

const KIND_OF_CODE = new Map<string, ActionKind>(Object.entries(ACTION_KIND_CODE).map(([kind, code]) => [code, kind as ActionKind]));

/** The kind a code stands for ({@link ACTION_KIND_CODE}), or null. */
export function kindOfCode(code: string): ActionKind | null {
  return KIND_OF_CODE.get(code) ?? null;
}

/** How the audit, the CLI and the dashboard name each action. */
export const ACTION_LABEL: Readonly<Record<ActionKind, string>> = {
  'confirmation-draft': 'confirmation draft',
  'confirmation-send': 'confirmation send',
  'noshow-draft': 'no-show draft',
  'noshow-resolve': 'no-show check',
  'thankyou-draft': 'thank-you draft',
  'apology-draft': 'apology draft',
};

/** Every state an action's record can be in. */
export const ACTION_STATES = [
  /** Planned; its job waits for its due time. */
  'pending',
  'done',
  'sent',
  'vetoed',
  'kept-as-draft',
  'skipped',
  'stale',
  /** Failed for good after its retries. */
  'failed',
  'cancelled',
  /** Waiting for its account to work again (src/engine/outage.ts); the job is still queued. */
  'parked',
  /** Held back by an outage until it no longer made sense; the audit names the outage. */
  'missed',
  /** Handed to the provider, but its copy never appeared in Sent within the bound. */
  'unconfirmed',
] as const;

export type ActionState = (typeof ACTION_STATES)[number];

/**
 * Settled: the action's result stands for its revision, so recomputing the plan keeps the record
 * instead of planning the action again. For the other states the replan writes a new `pending`
 * record, which the store then lets replace only a `pending` or `failed` one
 * ({@link REPLANNABLE_STATES}).
 */
export const SETTLED_STATES: ReadonlySet<ActionState> = new Set<ActionState>(['done', 'sent', 'vetoed', 'kept-as-draft', 'skipped', 'stale', 'cancelled']);

/**
 * Finished: no job is to run for the action any more, so the reconciler does not recreate a lost
 * one. Wider than {@link SETTLED_STATES}: an action that failed for good, was missed during an
 * outage or whose send was never confirmed in Sent must not be run again by itself (a resend could
 * send twice, a retry loop would never end); only a new plan may bring it back.
 */
export const FINISHED_STATES: ReadonlySet<ActionState> = new Set<ActionState>([...SETTLED_STATES, 'failed', 'missed', 'unconfirmed']);

/**
 * The states a `pending` record written by a replan may replace at the same revision: the record
 * is still pending, or the action failed and the new plan gives it another go. Every other state
 * was written by a job that ran (or is parked) after the replan read the records, and stays.
 */
export const REPLANNABLE_STATES: readonly ActionState[] = ['pending', 'failed'];

/** An action's state as recorded for an interview: what `interviews` and the dashboard show. */
export interface ActionRecord {
  readonly kind: ActionKind;
  /** When it is due, in epoch milliseconds (`Millis` of types.ts, which imports this file). */
  readonly dueAt: number;
  readonly state: ActionState;
  readonly revision: number;
  /** What the audit, `ringback interviews` and the dashboard say of it: a server's raw reply included. */
  readonly note?: string;
  /**
   * Why it did not run or failed, in plain words for the user (no server reply, code or host),
   * lower-case, no full stop: the note left in Drafts when a confirmation did not leave quotes
   * these and never {@link note}. Absent when not known (records of earlier versions, a failure
   * an adapter gave no plain words for).
   */
  readonly plain?: string;
  /** What the user can do about it, in plain words, where it is not the usual (a refusal as spam: change the draft). */
  readonly fix?: string;
}

/** What an action's record says of a failure or a miss in plain words ({@link ActionRecord}). */
export interface PlainWords {
  readonly plain?: string | undefined;
  readonly fix?: string | undefined;
}
