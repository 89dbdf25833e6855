/**
 * How ringback names the counterpart to the user (the `interviews` list, the dashboard, the audit),
 * one rule for every screen. A counterpart without an address (an invitation from a no-reply
 * sender) says so, so that the user knows why its drafts have no recipient.
 */
import type { Counterpart } from './types.js';

/** What the user is told about a counterpart without an address, wherever it is listed. */
export const NO_ADDRESS_NOTE = 'no address to write to: its drafts have no recipient, add it in each draft (a confirmation you address is sent at its time)';

/** The name, else the address; without an address, the name (if any) and that there is none. */
export function counterpartShown(counterpart: Counterpart): string {
  if (counterpart.email === null) return counterpart.name === '' ? 'nobody named, no address' : `${counterpart.name} (no address)`;
  return counterpart.name || counterpart.email;
}
