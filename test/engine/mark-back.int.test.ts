/**
 * A call marked "not an interview" and then "phone" again while its event did not change, in
 * calendars read by their changes (CalDAV's sync-collection on a real Radicale, the googleapis and
 * Graph adapters against their local stand-ins): a sync there does not list an unchanged event
 * again, so the mark decides a call that needed review again from the event as the sync kept it,
 * at once, and no full listing of the calendar follows. A call detection was sure of (its event not
 * kept) is decided again from the event read alone (CalDAV `calendar-query` on its UID, Google
 * `events.get`, Graph `GET /me/events/{id}`), also at once; an event the calendar no longer has
 * stays withdrawn. When that read fails, or the source cannot read one event, a full listing is
 * asked for, and a sync already under way does not store its cursor over it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import { markEvent } from '../../src/engine/mark.js';
import { syncAccount } from '../../src/engine/sync.js';
import type { CalendarSource, SyncPage } from '../../src/providers/calendar/types.js';
import { readAudit } from '../../src/store/audit.js';
import { getInterview, listInterviews } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { startGoogleServer, type GoogleServer } from '../support/google-server.js';
import { googleEventId, toFakeEvent } from '../support/google-server/harness.js';
import { signIn } from '../support/graph-server/sign-in.js';
import { useSharedGraph } from '../support/graph-server/shared.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { startRadicale, type TestRadicale } from '../support/radicale.js';

let radicale: TestRadicale;
let google: GoogleServer | null = null;
let h: EngineHarness | null = null;
const sharedGraph = useSharedGraph();

beforeAll(async () => {
  radicale = await startRadicale();
});
afterEach(async () => {
  await h?.stop();
  h = null;
  await google?.close();
  google = null;
});
afterAll(async () => {
  await radicale?.stop();
});

/** A harness whose calendar `cal` (CalDAV, Google or Microsoft) lists `event`. */
type Setup = (event: HarnessEvent) => Promise<EngineHarness>;

/** The URL of the object the CalDAV setup put last. */
let caldavObject: string | null = null;

const caldav: Setup = async (event) => {
  const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
  h = await startEngineHarness({
    calendars: [{ type: 'caldav', id: 'cal', url: radicale.url, username: radicale.username, calendars: [calendar] }],
    secrets: { cal: { password: radicale.password } },
  });
  caldavObject = await radicale.putObject(calendar, `${encodeURIComponent(event.uid)}.ics`, harnessCalendarToIcs([event]));
  return h;
};

const googleCalendar: Setup = async (event) => {
  google = await startGoogleServer();
  h = await startEngineHarness({
    calendars: [{ type: 'google', id: 'cal', account: google.userEmail, apiRoot: google.url, tokenUrl: google.tokenUrl, authUrl: google.authUrl }],
    secrets: { cal: { clientId: google.clientId, clientSecret: google.clientSecret, refreshToken: google.issueRefreshToken() } },
  });
  google.putEvent(toFakeEvent(event, google.userEmail));
  return h;
};

const microsoft: Setup = async (event) => {
  const graph = sharedGraph.server();
  const { storage } = await signIn(graph);
  const tokenCache = storage.saved();
  if (!tokenCache) throw new Error('the sign-in saved no token cache');
  h = await startEngineHarness({
    calendars: [{ type: 'microsoft', id: 'cal', account: graph.user.mail, authority: graph.authority, apiRoot: graph.apiRoot }],
    secrets: { cal: { clientId: graph.clientId, tokenCache } },
  });
  sharedGraph.put(event);
  return h;
};

async function theCall(harness: EngineHarness): Promise<Interview> {
  const all = await listInterviews(harness.engine.store);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/**
 * A call 5 hours ahead, synced twice (the second a delta), marked not an interview. `unsure`: one
 * detection is not sure of (needs review, as mark.int.test.ts's), else one it is sure of.
 */
async function withdrawnByMark(setup: Setup, unsure: boolean): Promise<{ harness: EngineHarness; id: string; event: HarnessEvent }> {
  const start = Math.floor((Date.now() + 5 * 60 * MINUTE) / 1000) * 1000;
  const uid = `back-${randomUUID()}@test`;
  const event = unsure ? interviewEvent({ uid, start, title: 'Interview with Acme', description: '' }) : interviewEvent({ uid, start });
  const harness = await setup(event);
  await syncOnce(harness.engine, 'cal');
  expect((await theCall(harness)).review === true).toBe(unsure);
  expect((await syncOnce(harness.engine, 'cal')).full).toBe(false);
  const call = await theCall(harness);
  await markEvent(harness.engine, { interview: call }, { kind: 'not-interview' });
  expect((await getInterview(harness.engine.store, call.id))?.status).toBe('cancelled');
  return { harness, id: call.id, event };
}

describe('marking a call back to phone while its event did not change', () => {
  // Needing review: from the copy of its event the sync kept. Detection sure of it: from its event
  // read alone (no copy is kept of those).
  it.each([
    ['CalDAV (Radicale)', caldav, 'needed review', true],
    ['Google Calendar', googleCalendar, 'needed review', true],
    ['Microsoft 365', microsoft, 'needed review', true],
    ['CalDAV (Radicale)', caldav, 'detection was sure of', false],
    ['Google Calendar', googleCalendar, 'detection was sure of', false],
    ['Microsoft 365', microsoft, 'detection was sure of', false],
  ] as const)('%s: plans a call that %s again at once, and the next sync reads only the changes', async (_, setup, _which, unsure) => {
    const { harness, id } = await withdrawnByMark(setup, unsure);
    const said = await markEvent(harness.engine, { interview: (await getInterview(harness.engine.store, id))! }, { kind: 'phone' });
    expect(said).toContain('it is a phone interview again and its confirmation is planned');
    expect(await getInterview(harness.engine.store, id)).toMatchObject({ status: 'scheduled', decidedBy: 'you' });
    const next = await syncOnce(harness.engine, 'cal');
    expect(next.full).toBe(false);
    expect(await getInterview(harness.engine.store, id)).toMatchObject({ status: 'scheduled', decidedBy: 'you' });
  });

  it.each([
    ['CalDAV (Radicale)', caldav, async () => radicale.deleteObject(caldavObject!)],
    ['Google Calendar', googleCalendar, async (event: HarnessEvent) => google!.removeEvent(googleEventId(event.uid))],
    ['Microsoft 365', microsoft, async (event: HarnessEvent) => sharedGraph.server().calendar.removeHarnessEvent(event.uid)],
  ] as const)('%s: a call whose event the calendar no longer has stays withdrawn, and says so', async (_, setup, remove) => {
    const { harness, id, event } = await withdrawnByMark(setup, false);
    await remove(event);
    const said = await markEvent(harness.engine, { interview: (await getInterview(harness.engine.store, id))! }, { kind: 'phone' });
    expect(said).toContain('the calendar no longer has its event');
    expect((await getInterview(harness.engine.store, id))?.status).toBe('cancelled');
  });

  it('Google Calendar: when the event cannot be read alone, the reason is audited and the next sync reads the calendar in full', async () => {
    const { harness, id } = await withdrawnByMark(googleCalendar, false);
    google!.failNext(1, { status: 500 });
    const said = await markEvent(harness.engine, { interview: (await getInterview(harness.engine.store, id))! }, { kind: 'phone' });
    expect(said).toContain('planned again when the calendar next reports the event');
    const audited = (await readAudit(harness.engine.store, { interviewId: id })).map((entry) => entry.message);
    expect(audited.some((message) => message.includes('could not read its event alone') && message.includes('500'))).toBe(true);
    const next = await syncOnce(harness.engine, 'cal');
    expect(next.full).toBe(true);
    expect(await getInterview(harness.engine.store, id)).toMatchObject({ status: 'scheduled', decidedBy: 'you' });
  });

  it('CalDAV: a call whose event was not kept, marked back during a sync, is read by the next sync in full', async () => {
    // Detection was sure of it: its event is not kept.
    const { harness, id } = await withdrawnByMark(caldav, false);

    // A sync already under way: it has read the calendar's changes and not yet stored its cursor.
    // Its source reads no event alone (as an .ics file's), so the mark asks for a full listing.
    const { readEvent: _alone, ...real } = harness.engine.calendars.get('cal')!;
    let read!: () => void;
    const pagesRead = new Promise<void>((resolve) => (read = resolve));
    let goOn!: () => void;
    const released = new Promise<void>((resolve) => (goOn = resolve));
    const paused: CalendarSource = {
      ...real,
      async *sync(cursor, signal): AsyncIterable<SyncPage> {
        for await (const page of real.sync(cursor, signal)) yield page;
        read();
        await released;
      },
    };
    const engine = { ...harness.engine, calendars: new Map([['cal', paused]]) };
    const underWay = syncAccount(engine, 'cal', new AbortController().signal);
    await pagesRead;

    const said = await markEvent(engine, { interview: (await getInterview(harness.engine.store, id))! }, { kind: 'phone' });
    expect(said).toContain('planned again when the calendar next reports the event');
    goOn();
    await underWay;

    const next = await syncOnce(harness.engine, 'cal');
    expect(next.full).toBe(true);
    expect(await getInterview(harness.engine.store, id)).toMatchObject({ status: 'scheduled', decidedBy: 'you' });
  });
});
