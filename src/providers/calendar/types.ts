/**
 * The port every calendar adapter implements. No SDK type crosses it.
 *
 * A source is asked for changes since a cursor it handed out before. It answers with pages; the
 * last page carries the next cursor. When the source cannot answer incrementally (first sync, a
 * cursor the server rejected, a file that changed), it answers with a full listing and says so
 * with `full: true` on every page: the caller then treats every known event that the listing did
 * not mention as deleted. A rejected cursor is never an error for the caller.
 */
import type { CalendarEvent, Millis } from '../../domain/types.js';

/** Opaque to everyone but the adapter that made it; stored as is. */
export type Cursor = string;

/** Something in the source that could not be turned into an event, and why. */
export interface SkippedItem {
  /** What the user would recognise: a UID, an href, a summary. Never a secret. */
  readonly ref: string;
  readonly reason: string;
  /** A whole calendar of the account that could not be read, rather than one entry of it. */
  readonly calendar?: true;
}

export interface SyncPage {
  readonly upserts: readonly CalendarEvent[];
  /** Event ids that no longer exist (cancelled tombstones, removed occurrences). */
  readonly deletions: readonly string[];
  readonly skipped: readonly SkippedItem[];
  /**
   * Event ids this sync could not read and that stay as they were (a calendar of the account
   * refused to it, src/providers/calendar/caldav.ts): neither listed nor deleted, in a full
   * listing too. Last page only.
   */
  readonly kept?: readonly string[];
  /** True when this sync is a full listing rather than a delta (see above). */
  readonly full: boolean;
  /** Present on the last page only. */
  readonly nextCursor?: Cursor;
}

export interface BusyInterval {
  readonly start: Millis;
  readonly end: Millis;
}

export interface TimeRange {
  readonly from: Millis;
  readonly to: Millis;
}

export interface CalendarSource {
  /** The account id this source belongs to (from the config). */
  readonly id: string;
  /**
   * Changes since `cursor` (null: everything in the sync window). Yields at least one page; an
   * unchanged source yields one empty page with the same or a new cursor.
   */
  sync(cursor: Cursor | null, signal: AbortSignal): AsyncIterable<SyncPage>;
  /**
   * The event `eventId` (an id this source listed) as the source holds it now, asked for alone; null
   * when the source no longer has it (deleted, or an occurrence no longer in the sync window). Absent
   * on a source read whole (an .ics file), where one event costs as much as the listing.
   */
  readEvent?(eventId: string, signal: AbortSignal): Promise<CalendarEvent | null>;
  /** Busy time in the range, or null when the source has no free/busy of its own. */
  freeBusy(range: TimeRange, signal: AbortSignal): Promise<readonly BusyInterval[] | null>;
  close(): Promise<void>;
}
