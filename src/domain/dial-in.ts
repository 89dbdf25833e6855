/**
 * A phone interview held on a meeting's bridge: the invitation asks the candidate to call in to the
 * Teams, Zoom or Webex number and enter the meeting's ID (detection/dialling.ts). The candidate
 * dials, but there is no number to call a person at, so the emails speak of dialling in with the
 * invitation's details instead of a number.
 */
import type { Detection } from './types.js';

/**
 * Whether the candidate dials in to the meeting's bridge. The flag counts only while the interview
 * still says the candidate dials and names no number: a record changed since (a user's mark naming a
 * number, another direction) is worded by its direction and number, as any other.
 */
export function dialsIn(interview: Pick<Detection, 'dialIn' | 'direction' | 'number'>): boolean {
  return interview.dialIn === true && interview.direction === 'candidate-calls' && interview.number === null;
}
