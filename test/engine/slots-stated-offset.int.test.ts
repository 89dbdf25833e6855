/**
 * The free times the engine offers after a missed call read the offset the invitation stated for
 * the call when nothing else tells the recruiter's zone (real Redis, the ics source, the engine's
 * own free/busy path): before, the offset did not reach the slot finder, and a candidate in New
 * York whose working day starts at 06:00 offered noon and afternoon times, 22:30 and later in December
 * in India ("(GMT+05:30)" is India and Sri Lanka, both resting on Saturday and Sunday).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { findFreeSlots } from '../../src/engine/slots.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** Minutes after midnight, and the ISO weekday, on a fixed offset. */
function onOffset(t: number, offset: number): { minute: number; weekday: number } {
  const local = new Date(t + offset * MINUTE);
  return { minute: local.getUTCHours() * 60 + local.getUTCMinutes(), weekday: ((local.getUTCDay() + 6) % 7) + 1 };
}

describe('free times for a recruiter known only by a stated offset', () => {
  it('fall between 08:00 and 18:00 on a weekday at GMT+5:30', async () => {
    h = await startEngineHarness({ extra: { workingHours: { days: [1, 2, 3, 4, 5], start: '06:00', end: '20:00' } } });
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'offset', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'offset');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const stored = await getInterview(h.runtime.store, id);
    if (stored === null) throw new Error('the interview was not stored');
    // As detection records "6:30 PM - 7:00 PM (GMT+05:30)" on an entry a scheduling tool stored in UTC.
    const interview = { ...stored, timeZone: 'UTC', statedOffset: { at: stored.start, offset: 330 } };
    const slots = await findFreeSlots(h.engine, interview, null, 20);
    expect(slots.length).toBeGreaterThan(0);
    const outside = slots.filter((s) => {
      const from = onOffset(s.start, 330);
      const to = onOffset(s.end, 330);
      return from.weekday > 5 || from.minute < 8 * 60 || to.minute > 18 * 60 || to.minute <= from.minute;
    });
    expect(outside.map((s) => new Date(s.start).toISOString())).toEqual([]);
  });
});
