/**
 * Interviews that disappear from a CalDAV calendar several at once (a server answering part of a
 * calendar, a calendar re-shared: src/domain/vanishing.ts cites the reports), through a real
 * Radicale and its sync-collection REPORT: the sync that finds them gone keeps the cursor it
 * started from, so the next one asks for the changes since the same token, and either confirms
 * the removals or finds the events there again. Drafts in the harness's Maildir.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { listInterviews } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { startRadicale, type TestRadicale } from '../support/radicale.js';

let radicale: TestRadicale;
let h: EngineHarness | null = null;
beforeAll(async () => {
  radicale = await startRadicale();
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await radicale?.stop();
});

const fileOf = (event: HarnessEvent) => `${encodeURIComponent(event.uid)}.ics`;

/** A calendar of its own with three calls ahead, each with its confirmation drafted. */
async function threeDrafted(): Promise<{ harness: EngineHarness; calendar: string; events: HarnessEvent[] }> {
  const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
  const harness = await startEngineHarness({
    calendars: [{ type: 'caldav', id: 'work', url: radicale.url, username: radicale.username, calendars: [calendar] }],
    secrets: { work: { password: radicale.password } },
  });
  h = harness;
  const base = Math.floor((harness.now() + 30 * MINUTE) / 1000) * 1000;
  const events = ['a', 'b', 'c'].map((tag, i) => interviewEvent({ uid: `dav-${tag}-${randomUUID()}@test`, start: base + i * 20 * MINUTE }));
  for (const event of events) await radicale.putObject(calendar, fileOf(event), harnessCalendarToIcs([event]));
  await harness.start();
  await syncOnce(harness.engine, 'work');
  for (const event of events) await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === interviewIdFor('work', event.uid));
  expect(await harness.folder('Drafts')).toHaveLength(3);
  return { harness, calendar, events };
}

const revisions = async (harness: EngineHarness) =>
  (await listInterviews(harness.runtime.store)).filter((iv) => iv.status === 'scheduled').map((iv) => `${iv.id}@${iv.revision}`).sort();

describe('CalDAV: interviews that disappear several at once', () => {
  it('are kept when the next sync finds them again, with nothing written twice', async () => {
    const { harness, calendar, events } = await threeDrafted();
    const before = await revisions(harness);
    for (const event of events.slice(0, 2)) await radicale.deleteObject(`${calendar}${fileOf(event)}`);

    expect((await syncOnce(harness.engine, 'work')).withdrawn).toBe(0);
    await harness.waitForAudit((r) => r.type === 'account' && r.message.startsWith('calendar work no longer lists 2 interviews'));
    expect(await revisions(harness)).toEqual(before);

    for (const event of events.slice(0, 2)) await radicale.putObject(calendar, fileOf(event), harnessCalendarToIcs([event]));
    const back = await syncOnce(harness.engine, 'work');
    expect(back).toMatchObject({ withdrawn: 0, interviewsNew: 0, interviewsUpdated: 0 });
    expect(await revisions(harness)).toEqual(before);
    const audit = await harness.audit();
    expect(audit.filter((r) => r.type === 'cancelled' || r.type === 'deleted-draft')).toEqual([]);
    expect(audit.filter((r) => r.type === 'drafted')).toHaveLength(3);
    expect(await harness.folder('Drafts')).toHaveLength(3);
  });

  it('are cancelled when the next sync names them gone again', async () => {
    const { harness, calendar, events } = await threeDrafted();
    for (const event of events.slice(0, 2)) await radicale.deleteObject(`${calendar}${fileOf(event)}`);
    expect((await syncOnce(harness.engine, 'work')).withdrawn).toBe(0);
    expect(await harness.folder('Drafts')).toHaveLength(3);

    expect((await syncOnce(harness.engine, 'work')).withdrawn).toBe(2);
    expect(await revisions(harness)).toHaveLength(1);
    expect(await harness.folder('Drafts')).toHaveLength(1);
  });
});
