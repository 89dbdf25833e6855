/**
 * The free times the engine offers after a missed call fall on the candidate's working days, which
 * follow the week of their zone when the config names none (real Redis, the ics source, the
 * engine's own free/busy path): before, a candidate in Tel Aviv was offered Friday, their weekend,
 * and never Sunday, the first day of their week.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { weekdayIn } from '../../src/domain/time.js';
import { findFreeSlots } from '../../src/engine/slots.js';
import { getInterview } from '../../src/store/interviews.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const TEL_AVIV = 'Asia/Jerusalem';
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** The weekdays in Tel Aviv of every free time offered for the week after a call two hours ahead. */
async function weekdaysOffered(extra: Record<string, unknown>): Promise<number[]> {
  h = await startEngineHarness({ extra: { candidate: { ...CANDIDATE, phone: '+972 3 555 0100', timezone: TEL_AVIV }, ...extra } });
  const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
  await h.setEvents([interviewEvent({ uid: 'week', start })]);
  await h.start();
  await h.sync();
  const id = interviewIdFor('cal', 'week');
  await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  const interview = await getInterview(h.runtime.store, id);
  if (interview === null) throw new Error('the interview was not stored');
  const slots = await findFreeSlots(h.engine, interview, null, 40);
  expect(slots.length).toBeGreaterThan(0);
  return [...new Set(slots.map((slot) => weekdayIn(TEL_AVIV, slot.start)))].sort((a, b) => a - b);
}

describe('free times on the candidate’s working days', () => {
  it('are Sunday to Thursday for a candidate in Tel Aviv whose config names no days', async () => {
    expect(await weekdaysOffered({})).toEqual([1, 2, 3, 4, 7]);
  });

  it('are the days the config names, whatever the zone (guard)', async () => {
    expect(await weekdaysOffered({ workingHours: { days: [1, 2, 3, 4, 5] } })).toEqual([1, 2, 3, 4, 5]);
  });
});
