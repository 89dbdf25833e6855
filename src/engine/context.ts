/**
 * Everything a use case of the engine needs, built once by the daemon (or a CLI command) and
 * passed down. Nothing in the engine reads the clock, the environment or the config file itself.
 */
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/types.js';
import type { Millis } from '../domain/types.js';
import type { CalendarSource } from '../providers/calendar/types.js';
import type { Mailbox } from '../providers/mail/types.js';
import type { Queues } from '../queue/queues.js';
import type { Store } from '../store/store.js';

export interface Engine {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly queues: Queues;
  readonly calendars: ReadonlyMap<string, CalendarSource>;
  readonly mailbox: Mailbox | null;
  readonly now: () => Millis;
  readonly log: Logger;
  /** Identifies this process in leases and claims (host:pid:random). */
  readonly owner: string;
}

/** The domain part of the candidate's address, for Message-IDs. */
export function messageDomain(engine: Engine): string {
  return engine.config.candidate.email.split('@')[1] ?? 'ringback.invalid';
}

/**
 * The engine's mailbox, for the use cases that write or read email: actions.ts runs them only when
 * a mailbox is connected, so its absence here is a fault of the caller.
 */
export function mailboxOf(engine: Engine): Mailbox {
  if (!engine.mailbox) throw new Error('no mailbox');
  return engine.mailbox;
}
