/**
 * Free times to offer after a missed call: busy time from each calendar's free/busy query, or from
 * the synced events for sources without one, then `findSlots` over the working hours.
 */
import { findSlots } from '../domain/slots.js';
import { interviewRecipientZone } from '../domain/zones.js';
import type { Interview, Slot } from '../domain/types.js';
import { ProviderError } from '../providers/errors.js';
import { getBusy } from '../store/events.js';
import type { Engine } from './context.js';

const DAY = 86_400_000;

/** A proposed time is never sooner than this: the recipient must read the email first. */
const NOTICE_MS = 2 * 60 * 60_000;

/**
 * Up to `count` times both can take: the candidate's working hours and, when the recipient's zone
 * is known (the one the user set, `zoneSet`, or the organizer's event zone), 08:00–18:00 there;
 * when only the offset the invitation stated for the call is, 08:00–18:00 in every place on it.
 */
export async function findFreeSlots(engine: Engine, interview: Interview, zoneSet: string | null, count = 3): Promise<Slot[]> {
  const now = engine.now();
  const from = now + NOTICE_MS;
  const to = now + 8 * DAY;
  const busy: { start: number; end: number }[] = [];
  for (const [id, source] of engine.calendars) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    try {
      const answered = await source.freeBusy({ from, to }, controller.signal).catch((error: unknown) => {
        // A calendar that cannot answer now (sign-in refused, server down) must not hold back the
        // email, nor be taken for the mailbox's outage: its synced events stand in for it.
        if (!(error instanceof ProviderError)) throw error;
        engine.log.warn({ account: id }, `free/busy of ${id} could not be read (${error.message}); the synced events are used instead`);
        return null;
      });
      busy.push(...(answered ?? (await getBusy(engine.store, id, { from, to }))));
    } finally {
      clearTimeout(timer);
    }
  }
  const minutes = Math.round((interview.end - interview.start) / 60_000);
  return findSlots({
    busy,
    from,
    to,
    durationMinutes: Math.min(120, Math.max(15, Number.isFinite(minutes) ? minutes : 30)),
    bufferMinutes: engine.config.timing.bufferMinutes,
    workingHours: engine.config.workingHours,
    timeZone: engine.config.candidate.timezone,
    recipientZone: interviewRecipientZone(interview, zoneSet, engine.config.candidate.timezone),
    recipientOffset: interview.statedOffset ?? null,
    spreadTimesOfDay: true,
    count,
  });
}
