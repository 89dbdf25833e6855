/**
 * One engine reading two .ics calendars (`a` and `b`) into the harness's Maildir: the setting of
 * the "one call in two calendars" tests (README). Each test file calls {@link useTwoCalendars}
 * once; the engine and the files are removed after each test.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, startEngineHarness, syncOnce, type EngineHarness } from './engine-harness.js';

/** A calendar's id: `a` and `b`, and more when a test asks for more. */
export type Which = string;

export interface TwoCalendars {
  readonly harness: EngineHarness;
  /**
   * Writes calendar `which` whole. `method: 'CANCEL'` writes an organizer's cancellation as iTIP
   * sends it (RFC 5546 §3.2.5), which providers/calendar/ical-entries.ts reads as a cancelled event.
   */
  readonly set: (which: Which, events: readonly HarnessEvent[], method?: 'CANCEL') => Promise<void>;
  /**
   * Lists `event` in calendars a and b and reads them in that order, so that a's listing owns the
   * call and b's is its duplicate; with `started`, the daemon is started after both reads, so that
   * its own first sync cannot read b before a.
   */
  readonly listInBoth: (event: HarnessEvent, options?: { readonly started?: boolean }) => Promise<{ readonly owner: string; readonly duplicate: string }>;
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
    const set: TwoCalendars['set'] = async (which, events, method) => {
      const ics = harnessCalendarToIcs(events);
      const file = files.get(which);
      if (file === undefined) throw new Error(`no calendar "${which}" in this test (${ids.join(', ')})`);
      await writeFile(file, method ? ics.replace('VERSION:2.0\r\n', `VERSION:2.0\r\nMETHOD:${method}\r\n`) : ics);
    };
    return {
      harness,
      set,
      listInBoth: async (event, options = {}) => {
        await set('a', [event]);
        await set('b', [event]);
        await syncOnce(harness.engine, 'a');
        await syncOnce(harness.engine, 'b');
        if (options.started === true) await harness.start();
        return { owner: interviewIdFor('a', event.uid), duplicate: interviewIdFor('b', event.uid) };
      },
    };
  };
}

/** Nothing is planned or written for the interview: no plan audited, no action waiting, no email of its own. */
export async function expectSilent(harness: EngineHarness, id: string): Promise<void> {
  expect((await harness.audit(id)).filter((r) => r.type === 'planned' || r.type === 'drafted' || r.type === 'sent')).toEqual([]);
  expect((await getActionRecords(harness.engine.store, id)).filter((r) => r.state === 'pending')).toEqual([]);
  const mine = [...(await harness.folder('Drafts')), ...(await harness.folder('Sent'))].filter((f) => f.mail.messageId?.includes(`.${id}.`));
  expect(mine).toEqual([]);
}

/**
 * Waits until the interview has planned these steps and none of them is pending (each has run, or
 * was taken off); throws after 20 s, so that a step left waiting fails the test instead of passing
 * it unseen.
 */
export async function settled(harness: EngineHarness, id: string, kinds: readonly string[]): Promise<void> {
  for (let tries = 0; ; tries++) {
    const records = (await getActionRecords(harness.engine.store, id)).filter((r) => kinds.includes(r.kind));
    const waiting = records.filter((r) => r.state === 'pending');
    if (records.length > 0 && waiting.length === 0) return;
    if (tries > 200) throw new Error(`${id}: ${records.length === 0 ? `none of ${kinds.join(', ')} planned` : `still pending: ${waiting.map((r) => r.kind).join(', ')}`}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A start `minutes` ahead of the harness's clock, on a whole second as calendars write it. */
export const soon = (harness: EngineHarness, minutes: number): number => Math.floor((harness.now() + minutes * MINUTE) / 1000) * 1000;
