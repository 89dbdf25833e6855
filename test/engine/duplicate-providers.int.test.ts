/**
 * One call in two calendars when one of them is Google Calendar or Microsoft 365 (README, "One
 * call in two calendars"): those providers name events by ids of their own and give the
 * invitation's UID beside them (Google `iCalUID`, Graph `iCalUId`), so a listing there and the
 * same invitation in an .ics (or CalDAV) calendar are one call by their UID, and each occurrence of
 * a repeating call is its own call, at its own time.
 * The engine with its own Redis; the real googleapis / Graph adapters against the local stand-ins,
 * an .ics file beside them, the Maildir of the harness.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { listInterviews } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { startGoogleServer, type GoogleServer } from '../support/google-server.js';
import { googleEventId, toFakeEvent } from '../support/google-server/harness.js';
import { signIn } from '../support/graph-server/sign-in.js';
import { useSharedGraph } from '../support/graph-server/shared.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;

let h: EngineHarness | null = null;
let google: GoogleServer | null = null;
let dir: string | null = null;
/** The Graph server every test of the file shares. */
const sharedGraph = useSharedGraph();

afterEach(async () => {
  await h?.stop();
  h = null;
  await google?.close();
  google = null;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

/** An .ics calendar `ics` beside the provider's, written with `events`. */
async function icsBeside(events: readonly HarnessEvent[]): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'ringback-provider-uid-'));
  const path = join(dir, 'copy.ics');
  await writeFile(path, harnessCalendarToIcs(events));
  return path;
}

async function googleAndIcs(events: readonly HarnessEvent[]): Promise<EngineHarness> {
  google = await startGoogleServer();
  const overrides = { account: google.userEmail, apiRoot: google.url, tokenUrl: google.tokenUrl, authUrl: google.authUrl };
  const path = await icsBeside(events);
  h = await startEngineHarness({
    calendars: [
      { type: 'google', id: 'google', ...overrides },
      { type: 'ics', id: 'ics', path },
    ],
    secrets: { google: { clientId: google.clientId, clientSecret: google.clientSecret, refreshToken: google.issueRefreshToken() } },
  });
  for (const event of events) google.putEvent(toFakeEvent(event, google.userEmail));
  return h;
}

async function microsoftAndIcs(events: readonly HarnessEvent[]): Promise<{ h: EngineHarness; ids: string[] }> {
  const graph = sharedGraph.server();
  const { storage } = await signIn(graph);
  const tokenCache = storage.saved();
  if (!tokenCache) throw new Error('the sign-in saved no token cache');
  const path = await icsBeside(events);
  h = await startEngineHarness({
    calendars: [
      { type: 'microsoft', id: 'microsoft', account: graph.user.mail, authority: graph.authority, apiRoot: graph.apiRoot },
      { type: 'ics', id: 'ics', path },
    ],
    secrets: { microsoft: { clientId: graph.clientId, tokenCache } },
  });
  return { h, ids: events.map((event) => sharedGraph.put(event)) };
}

/** The interviews of calendar `sourceId`, by start. */
async function listedBy(harness: EngineHarness, sourceId: string): Promise<Interview[]> {
  return (await listInterviews(harness.engine.store)).filter((iv) => iv.sourceId === sourceId).sort((a, b) => a.start - b.start);
}

/** Every interview of the .ics copy is the duplicate, by UID, of the provider's interview at its time. */
async function expectDuplicatesByUid(harness: EngineHarness, provider: string, count: number): Promise<void> {
  const owners = await listedBy(harness, provider);
  const copies = await listedBy(harness, 'ics');
  expect(owners).toHaveLength(count);
  expect(copies).toHaveLength(count);
  copies.forEach((copy, i) => {
    const owner = owners[i]!;
    expect(owner.start).toBe(copy.start);
    expect(owner.duplicateOf).toBeUndefined();
    expect({ duplicateOf: copy.duplicateOf, duplicateBy: copy.duplicateBy }).toEqual({ duplicateOf: owner.id, duplicateBy: 'uid' });
  });
}


describe('a Google Calendar listing and an .ics copy of the same invitation', () => {
  it('are one call by the invitation UID Google gives as iCalUID', async () => {
    const at = Math.floor((Date.now() + 3 * HOUR) / 1000) * 1000;
    const event = interviewEvent({ uid: 'invite-7f3a@scheduler.example', start: at });
    const harness = await googleAndIcs([event]);
    await syncOnce(harness.engine, 'google');
    await syncOnce(harness.engine, 'ics');
    expect((await listedBy(harness, 'google'))[0]?.id).toBe(interviewIdFor('google', googleEventId(event.uid)));
    await expectDuplicatesByUid(harness, 'google', 1);
  });

  it('pair each occurrence of a weekly call with the occurrence at the same time, not with the series', async () => {
    const event = interviewEvent({ uid: 'weekly-screen@scheduler.example', start: Math.floor((Date.now() + 3 * HOUR) / 1000) * 1000, recurrence: { freq: 'WEEKLY', count: 2 } });
    const harness = await googleAndIcs([event]);
    await syncOnce(harness.engine, 'google');
    await syncOnce(harness.engine, 'ics');
    await expectDuplicatesByUid(harness, 'google', 2);
  });
});

describe('a Microsoft 365 listing and an .ics copy of the same invitation', () => {
  it('are one call by the invitation UID Graph gives as iCalUId', async () => {
    const event = interviewEvent({ uid: 'invite-91c2@scheduler.example', start: Math.floor((Date.now() + 3 * HOUR) / 1000) * 1000 });
    const { h: harness } = await microsoftAndIcs([event]);
    await syncOnce(harness.engine, 'microsoft');
    await syncOnce(harness.engine, 'ics');
    await expectDuplicatesByUid(harness, 'microsoft', 1);
  });

  it("pair each occurrence of a weekly call, listed sparse by the delta, by its series' UID", async () => {
    const event = interviewEvent({ uid: 'weekly-91c2@scheduler.example', start: Math.floor((Date.now() + 3 * HOUR) / 1000) * 1000, recurrence: { freq: 'WEEKLY', count: 2 } });
    const { h: harness } = await microsoftAndIcs([event]);
    await syncOnce(harness.engine, 'microsoft');
    await syncOnce(harness.engine, 'ics');
    await expectDuplicatesByUid(harness, 'microsoft', 2);
  });
});

