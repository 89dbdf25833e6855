/**
 * The answers a user gives about an interview, by the command line and by the dashboard's buttons
 * alike, defined once: the outcome of a call, what an event is (`ringback mark`), and who dials.
 * Detection reads the same outcomes from a tag in the event (`#held`).
 */
import { MARK_KINDS, OUTCOMES, type Direction, type Outcome, type UserMark } from './types.js';

export { MARK_KINDS, OUTCOMES };

/** Who calls, as `ringback mark … phone --direction` takes it. */
export const MARK_DIRECTIONS: readonly Direction[] = ['interviewer-calls', 'candidate-calls', 'unknown'];

export function isOutcome(value: string): value is Outcome {
  return (OUTCOMES as readonly string[]).includes(value);
}

export function isMarkKind(value: string): value is UserMark['kind'] {
  return (MARK_KINDS as readonly string[]).includes(value);
}
