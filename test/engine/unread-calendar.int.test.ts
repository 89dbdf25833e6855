/**
 * A confirmation that falls due while its calendar cannot be read (a feed answering an error page,
 * a file gone) waits until the calendar is read again: the interviewer may have cancelled or moved
 * the call meanwhile. The engine with its own Redis, the ics file and the Maildir of the harness,
 * and the daemon's workers, as `ringback start` runs them.
 *
 * The error page is what a web server or proxy serves in place of the feed (an HTML body with a
 * 503 status: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/503); the ics source
 * refuses anything without BEGIN:VCALENDAR (src/providers/calendar/ics.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { runAction } from '../../src/engine/actions.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { takeParked } from '../../src/store/outages.js';
import { heldList } from '../../src/store/unlisted.js';
import { countRoundTrips } from '../support/round-trips.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const ERROR_PAGE = '<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>\n';

async function sendRecord(harness: EngineHarness, interviewId: string) {
  return (await getActionRecords(harness.runtime.store, interviewId)).filter((r) => r.kind === 'confirmation-send');
}

/**
 * One call 30 minutes ahead (its confirmation due 15 minutes before it), drafted; then the calendar
 * answers an error page and 16 minutes pass: the send falls due while the calendar is unreadable.
 */
async function dueWhileUnread(harness: EngineHarness): Promise<{ event: HarnessEvent; id: string }> {
  const event = interviewEvent({ uid: 'unread-1', start: Math.floor((harness.now() + 30 * MINUTE) / 1000) * 1000 });
  const id = interviewIdFor('cal', event.uid);
  await harness.setEvents([event]);
  await harness.start();
  await harness.sync();
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  await harness.setCalendarText(ERROR_PAGE);
  await expect(harness.sync()).rejects.toThrow(/not an iCalendar calendar/);
  await harness.advance(16 * MINUTE, { sync: false });
  const held = await harness.waitForAudit((r) => r.interviewId === id && (r.type === 'sent' || r.message.startsWith('confirmation send held')));
  expect(held.message).toMatch(
    /^confirmation send held: calendar cal has not been read since \w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T; it is sent when the calendar can be read again and still lists the call$/,
  );
  expect(await sendRecord(harness, id)).toMatchObject([{ state: 'parked', note: expect.stringMatching(/^waiting for calendar cal to be read again/) }]);
  expect(await harness.folder('Sent')).toHaveLength(0);
  expect(await harness.folder('Drafts')).toHaveLength(1);
  return { event, id };
}

describe('a confirmation due while its calendar cannot be read', () => {
  it('is held, never sent, and withdrawn with its draft when the calendar, read again, no longer lists the call', async () => {
    h = await startEngineHarness();
    const { id } = await dueWhileUnread(h);
    // Held once: a recheck of the parked job writes no second line.
    await h.advance(MINUTE, { sync: false });

    // The interviewer cancelled meanwhile.
    await h.setEvents([]);
    expect((await h.sync()).withdrawn).toBe(1);
    await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(await sendRecord(h, id)).toMatchObject([{ state: 'cancelled' }]);
    expect(await h.folder('Sent')).toHaveLength(0);
    expect(await h.folder('Drafts')).toHaveLength(0);
    const audit = await h.audit();
    expect(audit.filter((r) => r.type === 'sent')).toEqual([]);
    expect(audit.filter((r) => r.message.startsWith('confirmation send held'))).toHaveLength(1);
  });

  it('is sent when the calendar, read again, still lists the call at its time', async () => {
    h = await startEngineHarness();
    const { event, id } = await dueWhileUnread(h);
    await h.setEvents([event]);
    await h.sync();
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(sent.message).toContain('dana@acme.example');
    expect(sent.at).toBeGreaterThanOrEqual((await getAccountStatus(h.runtime.store, 'cal')).lastSyncAt ?? Infinity);
    expect(await sendRecord(h, id)).toMatchObject([{ state: 'sent' }]);
    expect(await h.folder('Sent')).toHaveLength(1);
    expect((await h.audit()).filter((r) => r.type === 'missed' || r.type === 'cancelled')).toEqual([]);
  });

  it('is sent after the next read when the process releasing it was killed between taking the held list and running the send', async () => {
    h = await startEngineHarness();
    const { event, id } = await dueWhileUnread(h);
    // What a process killed in the middle of the release leaves (src/engine/held-sends.ts): the
    // held list taken as it takes it, the job still waiting for PARK_RECHECK_MS (5 minutes).
    expect((await takeParked(h.runtime.store, heldList('cal'))).map((p) => p.interviewId)).toEqual([id]);
    await h.setEvents([event]);
    await h.sync();
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id, 10_000);
    expect(await sendRecord(h, id)).toMatchObject([{ state: 'sent' }]);
    expect(await h.folder('Sent')).toHaveLength(1);
    // Released once: the next read finds nothing left to bring forward, and sends nothing again.
    await h.sync();
    const prefix = `{${h.runtime.store.prefix}}`;
    expect(await h.runtime.redis.exists(`${prefix}:parked:unlisted:cal`, `${prefix}:releasing:unlisted:cal`)).toBe(0);
    expect((await h.audit()).filter((r) => r.type === 'sent' || r.type === 'missed')).toHaveLength(1);
  });

  it('is replanned, the old time never confirmed, when the calendar read again has the call moved', async () => {
    h = await startEngineHarness();
    const { event, id } = await dueWhileUnread(h);
    await h.setEvents([{ ...event, start: event.start + 60 * MINUTE, end: event.end + 60 * MINUTE }]);
    expect((await h.sync()).interviewsUpdated).toBe(1);
    // The draft is rewritten for the new time; its send is due 15 minutes before it.
    await h.waitForAudit((r) => r.interviewId === id && r.type === 'drafted' && r.at > event.start - 15 * MINUTE);
    expect((await sendRecord(h, id)).find((r) => r.revision === 2)).toMatchObject({ state: 'pending', dueAt: event.start + 45 * MINUTE });
    expect(await h.folder('Sent')).toHaveLength(0);
    expect((await h.audit()).filter((r) => r.type === 'sent')).toEqual([]);
  });

  it('is missed, naming the calendar and the window, when the calendar is read again too close to the call', async () => {
    h = await startEngineHarness();
    const { event, id } = await dueWhileUnread(h);
    // 22 minutes after the call was drafted: it is 8 minutes away (minLeadMinutes 10).
    await h.advance(6 * MINUTE, { sync: false, reconcile: false });
    await h.setEvents([event]);
    await h.sync();
    const missed = await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === id);
    expect(missed.message).toMatch(
      /^confirmation send missed: it was held while calendar cal could not be read \(from \w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T to \w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T\), and by then the call was less than 10 minutes away$/,
    );
    expect(await sendRecord(h, id)).toMatchObject([{ state: 'missed' }]);
    expect(await h.folder('Sent')).toHaveLength(0);
    await h.sync();
    expect((await h.audit()).filter((r) => r.type === 'missed' || r.type === 'sent')).toHaveLength(1);
  });
});

/**
 * An .ics feed over HTTP that answers after `delayMs`: a feed server is often slow (a calendar
 * app exporting on request), and the first sync of a process just started then finishes seconds
 * after the actions already due have run.
 */
async function slowFeed(): Promise<{ url: string; serve(events: readonly HarnessEvent[], delayMs: number): void; close(): Promise<void> }> {
  let body = harnessCalendarToIcs([]);
  let delay = 0;
  const server = createServer((_request, response) => {
    setTimeout(() => response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(body), delay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/basic.ics`,
    serve(events, delayMs) {
      body = harnessCalendarToIcs(events);
      delay = delayMs;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

describe('a confirmation due as the daemon starts, its calendar last read before it stopped', () => {
  let feed: Awaited<ReturnType<typeof slowFeed>> | null = null;
  afterEach(async () => {
    await feed?.close();
    feed = null;
  });

  /**
   * A call planned by an earlier run, which stopped; 35 minutes pass before ringback starts again,
   * its confirmation (30 minutes before the call) overdue by 5, and the feed then takes 3 s to answer.
   */
  async function stoppedFor35Minutes(): Promise<{ harness: EngineHarness; event: HarnessEvent; id: string }> {
    feed = await slowFeed();
    const harness = await startEngineHarness({ calendars: [{ type: 'ics', id: 'cal', url: feed.url }], timing: { confirmLeadMinutes: 30 } });
    const event = interviewEvent({ uid: 'restart-1', start: Math.floor((harness.now() + 60 * MINUTE) / 1000) * 1000 });
    feed.serve([event], 0);
    await harness.sync();
    await harness.advance(35 * MINUTE, { reconcile: false });
    return { harness, event, id: interviewIdFor('cal', event.uid) };
  }

  it('is sent only after the first sync of the new process read the calendar', async () => {
    const { harness, event, id } = await stoppedFor35Minutes();
    h = harness;
    feed?.serve([event], 3_000);
    const started = h.now();
    await h.start();
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const lastSyncAt = (await getAccountStatus(h.runtime.store, 'cal')).lastSyncAt ?? Infinity;
    expect(lastSyncAt).toBeGreaterThanOrEqual(started);
    expect(sent.at).toBeGreaterThanOrEqual(lastSyncAt);
    // Due as the process started, while the feed was still answering: held until the sync read it.
    const held = (await h.audit(id)).filter((r) => r.message.startsWith('confirmation send held'));
    expect(held.map((r) => r.message)).toEqual([expect.stringMatching(/^confirmation send held: calendar cal has not been read since /)]);
    expect(await h.folder('Sent')).toHaveLength(1);
  });

  it('never confirms the old time of a call moved while ringback was stopped', async () => {
    const { harness, event, id } = await stoppedFor35Minutes();
    h = harness;
    feed?.serve([{ ...event, start: event.start + 60 * MINUTE, end: event.end + 60 * MINUTE }], 3_000);
    await h.start();
    // The first sync replans: the confirmation is sent 30 minutes before the new time.
    const until = Date.now() + 30_000;
    while (!(await sendRecord(h, id)).some((r) => r.revision === 2)) {
      if (Date.now() > until) throw new Error('the call was not replanned within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    // What the send of the old time did once the calendar was read: held, then dropped by the replan.
    await h.waitForAudit((r) => r.interviewId === id && r.type === 'drafted');
    const records = await sendRecord(h, id);
    expect(records.find((r) => r.revision === 2)).toMatchObject({ state: 'pending', dueAt: event.start + 30 * MINUTE });
    expect(records.find((r) => r.revision === 1)?.state).not.toBe('sent');
    expect(await h.folder('Sent')).toHaveLength(0);
    expect((await h.audit()).filter((r) => r.type === 'sent')).toEqual([]);
  });
});


describe('what the check costs a send', () => {
  it('no round trip, one command, for a send whose calendar was read lately', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 30 * MINUTE) / 1000) * 1000;
    const events = [0, 1].map((i) => interviewEvent({ uid: `cost-${i}`, start: start + i * 1000, organizer: { name: 'Dana Whitfield', email: `dana${i}@acme.example` } }));
    await h.setEvents(events);
    await h.sync();
    const ids = events.map((e) => interviewIdFor('cal', e.uid));
    for (const id of ids) await runAction(h.engine, { interviewId: id, kind: 'confirmation-draft', revision: 1 });
    await h.advance(15 * MINUTE, { reconcile: false });
    await h.sync();
    // The first send of a process loads what every later one finds ready; the second is the steady cost.
    expect((await runAction(h.engine, { interviewId: ids[0] ?? '', kind: 'confirmation-send', revision: 1 })).state).toBe('sent');
    const counting = countRoundTrips(h.runtime.redis);
    expect((await runAction(h.engine, { interviewId: ids[1] ?? '', kind: 'confirmation-send', revision: 1 })).state).toBe('sent');
    // Before the check, a Maildir send took 10 round trips and 20 commands (measured on the same
    // test): the last sync's time is read by one command in the action's first round trip. One
    // command more since the send reads the call again once its draft's record is stored
    // (src/engine/written-meanwhile.ts), in the round trip that reads the company. Three fewer
    // since the send holds the draft's lock from its claim (store/drafts.ts claimSend): the sent
    // record is written as the lock is released, one script where a transaction took four commands.
    // Three fewer again since the send is recorded as submitted in the script that looks at the
    // call a last time before the mail server is handed the draft (store/drafts.ts submitAsRead),
    // where a transaction of four commands wrote it: 16.
    expect(counting.stop()).toEqual({ roundTrips: 10, commands: 16 });
  });
});
