/** Words and colour classes the dashboard pages share for states, statuses and outcomes. */
import type { ActionKind, InterviewStatus, Outcome } from '../domain/types.js';
import { ACTION_LABEL } from '../domain/actions.js';

/** The state of an action as the user reads it: "due", "drafted", "sent", "vetoed"… */
export function actionStateWord(kind: string, state: string): string {
  switch (state) {
    case 'pending':
      return 'due';
    case 'done':
      return kind.endsWith('-draft') ? 'drafted' : 'done';
    case 'kept-as-draft':
      return 'kept as draft';
    case 'stale':
      return 'stood down';
    case 'parked':
      return 'waiting for the account';
    default:
      return state;
  }
}

/** CSS class of an action state (`s-due`, `s-drafted`, …); unknown states read as `s-other`. */
export function actionStateClass(kind: string, state: string): string {
  const word = actionStateWord(kind, state);
  const known = ['due', 'drafted', 'done', 'sent', 'vetoed', 'skipped', 'kept as draft', 'failed', 'stood down', 'cancelled', 'waiting for the account', 'missed'];
  return known.includes(word) ? `s-${word.replaceAll(' ', '-')}` : 's-other';
}

export function actionLabel(kind: string): string {
  return ACTION_LABEL[kind as ActionKind] ?? kind;
}

export const STATUS_WORD: Readonly<Record<InterviewStatus, string>> = {
  scheduled: 'scheduled',
  cancelled: 'cancelled',
  declined: 'declined',
  done: 'done',
};

export const OUTCOME_WORD: Readonly<Record<Outcome, string>> = {
  held: 'the call took place',
  'interviewer-no-show': 'they did not call',
  'candidate-missed': 'you missed it',
};

export const DIRECTION_WORD: Readonly<Record<string, string>> = {
  'candidate-calls': 'you call them',
  'interviewer-calls': 'they call you',
  unknown: 'who calls is not said',
};

/** The class of an interview block: its status, and its outcome when one is known. */
export function interviewClass(status: string, outcome: string | null): string {
  return `st-${status}${outcome ? ` oc-${outcome}` : ''}`;
}
