/**
 * What running one action came to: the state its record takes and the message the audit shows.
 * Its own module, so that the handlers (confirmation, follow-ups, submitted sends) and the runner
 * that dispatches to them share it without importing each other.
 */
import type { ActionState } from '../domain/actions.js';
import type { AuditEntry } from '../store/audit.js';
import type { LeaseRelease } from '../store/lease.js';

export interface ActionOutcome {
  readonly state: ActionState;
  readonly message: string;
  /** What the audit says of it, written in the same step as the state (nothing when absent). */
  readonly audit?: AuditEntry;
  /**
   * A lease the handler still holds (a confirmation draft's lock, with the draft's record as its
   * note), released with the state in the same step: one round trip less per draft (fire benchmark).
   */
  readonly release?: LeaseRelease;
}
