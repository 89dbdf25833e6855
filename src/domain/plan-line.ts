/**
 * The audit's line for a plan: "planned: confirmation draft at Sun 6 Dec 20:00 EST (in 24 h); …",
 * from the plan's actions, the candidate's zone and the time of the line. Kept in Redis as that
 * data (src/store/plan-line.ts) and put in words here when read.
 */
import { ACTION_LABEL } from './actions.js';
import { describeTime } from './time-phrases.js';
import type { ActionKind, Millis } from './types.js';

export interface PlanLine {
  /** The candidate's time zone, in which the times are written. */
  readonly zone: string;
  /** The planned actions, in the plan's order. */
  readonly steps: readonly { readonly kind: ActionKind; readonly dueAt: Millis }[];
}

/** The line's words as of `at`, the time it was written; "nothing left to plan" without steps. */
export function describePlanLine(line: PlanLine, at: Millis): string {
  if (line.steps.length === 0) return 'nothing left to plan';
  return `planned: ${line.steps.map((s) => `${ACTION_LABEL[s.kind]} ${describeTime(s.dueAt, line.zone, at)}`).join('; ')}`;
}
