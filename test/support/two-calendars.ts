/**
 * One engine reading two .ics calendars (`a` and `b`) into the harness's Maildir: the setting of
 * the "one call in two calendars" tests (README). Each test file calls {@link useTwoCalendars}
 * once; the engine and the files are removed after each test.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, startEngineHarness, type EngineHarness } from './engine-harness.js';

export type Which = 'a' | 'b';

export interface TwoCalendars {
  readonly harness: EngineHarness;
  /**
   * Writes calendar `which` whole. `method: 'CANCEL'` writes an organizer's cancellation as iTIP
   * sends it (RFC 5546 §3.2.5), which providers/calendar/ical-entries.ts reads as a cancelled event.
   */
  readonly set: (which: Which, events: readonly HarnessEvent[], method?: 'CANCEL') => Promise<void>;
}

/** Registers the clean-up and returns the function that starts the two calendars for a test. */
export function useTwoCalendars(): () => Promise<TwoCalendars> {
  let running: EngineHarness | null = null;
  let dir: string | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });
  return async () => {
    dir = await mkdtemp(join(tmpdir(), 'ringback-two-calendars-'));
    const files = { a: join(dir, 'a.ics'), b: join(dir, 'b.ics') };
    for (const file of Object.values(files)) await writeFile(file, harnessCalendarToIcs([]));
    const harness = await startEngineHarness({
      calendars: [
        { type: 'ics', id: 'a', path: files.a },
        { type: 'ics', id: 'b', path: files.b },
      ],
    });
    running = harness;
    return {
      harness,
      set: async (which, events, method) => {
        const ics = harnessCalendarToIcs(events);
        await writeFile(files[which], method ? ics.replace('VERSION:2.0\r\n', `VERSION:2.0\r\nMETHOD:${method}\r\n`) : ics);
      },
    };
  };
}

/** A start `minutes` ahead of the harness's clock, on a whole second as calendars write it. */
export const soon = (harness: EngineHarness, minutes: number): number => Math.floor((harness.now() + minutes * MINUTE) / 1000) * 1000;
