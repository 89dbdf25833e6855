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

/** A calendar's id: `a` and `b`, and more when a test asks for more. */
export type Which = string;

export interface TwoCalendars {
  readonly harness: EngineHarness;
  /**
   * Writes calendar `which` whole. `method: 'CANCEL'` writes an organizer's cancellation as iTIP
   * sends it (RFC 5546 §3.2.5), which providers/calendar/ical-entries.ts reads as a cancelled event.
   */
  readonly set: (which: Which, events: readonly HarnessEvent[], method?: 'CANCEL') => Promise<void>;
}

/** Registers the clean-up and returns the function that starts the two calendars for a test. */
export function useTwoCalendars(): (ids?: readonly Which[]) => Promise<TwoCalendars> {
  let running: EngineHarness | null = null;
  let dir: string | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = null;
  });
  return async (ids = ['a', 'b']) => {
    const folder = await mkdtemp(join(tmpdir(), 'ringback-two-calendars-'));
    dir = folder;
    const files = new Map(ids.map((id) => [id, join(folder, `${id}.ics`)]));
    for (const file of files.values()) await writeFile(file, harnessCalendarToIcs([]));
    const harness = await startEngineHarness({ calendars: [...files].map(([id, path]) => ({ type: 'ics' as const, id, path })) });
    running = harness;
    return {
      harness,
      set: async (which, events, method) => {
        const ics = harnessCalendarToIcs(events);
        const file = files.get(which);
        if (file === undefined) throw new Error(`no calendar "${which}" in this test (${ids.join(', ')})`);
        await writeFile(file, method ? ics.replace('VERSION:2.0\r\n', `VERSION:2.0\r\nMETHOD:${method}\r\n`) : ics);
      },
    };
  };
}

/** A start `minutes` ahead of the harness's clock, on a whole second as calendars write it. */
export const soon = (harness: EngineHarness, minutes: number): number => Math.floor((harness.now() + minutes * MINUTE) / 1000) * 1000;
