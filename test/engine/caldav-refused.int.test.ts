/**
 * One CalDAV calendar of an account refused to it (a calendar no longer shared with the user:
 * SabreDAV's 403 with DAV:need-privileges, sabre-io/katana#285), through the daemon and a real
 * Radicale behind a proxy that answers for that calendar as Nextcloud does. The account's other
 * calendar is still read, the refused calendar's interview stays as it was (the next day's full
 * listing included), and the audit says once which calendar and what it lacks. Before, the whole
 * account's sync failed, and a call added to the other calendar was never seen.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { listInterviews } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { startFaultProxy, startRadicale, type FaultAnswer, type FaultProxy, type TestRadicale } from '../support/radicale.js';

const DAY = 24 * 60 * MINUTE;
let radicale: TestRadicale;
let proxy: FaultProxy | null = null;
let h: EngineHarness | null = null;
beforeAll(async () => {
  radicale = await startRadicale();
});
afterEach(async () => {
  await h?.stop();
  await proxy?.stop();
  h = null;
  proxy = null;
});
afterAll(async () => {
  await radicale?.stop();
});

const fileOf = (event: HarnessEvent) => `${encodeURIComponent(event.uid)}.ics`;

/** SabreDAV's refusal of `path` (sabre-io/katana#285, its path and version changed). */
const needPrivileges = (path: string): FaultAnswer => ({
  status: 403,
  headers: { 'content-type': 'application/xml; charset=utf-8' },
  body:
    '<?xml version="1.0" encoding="utf-8"?>\n<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><s:sabredav-version>4.1.5</s:sabredav-version>' +
    `<s:exception>Sabre\\DAVACL\\Exception\\NeedPrivileges</s:exception><s:message>User did not have the required privileges ({DAV:}read) for path "${path.replace(/^\/|\/$/g, '')}"</s:message>` +
    `<d:need-privileges><d:resource><d:href>${path}</d:href><d:privilege><d:read/></d:privilege></d:resource></d:need-privileges></d:error>`,
});

describe('CalDAV: one calendar of the account refused', () => {
  it('reads the other calendar, keeps the refused one\'s interview, and says once which calendar and what it lacks', async () => {
    const faults = await startFaultProxy(radicale.url);
    proxy = faults;
    const shared = await radicale.makeCalendar(`shared-${randomUUID().slice(0, 8)}`, 'Team interviews');
    const own = await radicale.makeCalendar(`own-${randomUUID().slice(0, 8)}`);
    const viaProxy = (calendar: string) => calendar.replace(radicale.url, faults.url);
    const harness = await startEngineHarness({
      calendars: [{ type: 'caldav', id: 'work', url: faults.url, username: radicale.username, calendars: [viaProxy(shared), viaProxy(own)] }],
      secrets: { work: { password: radicale.password } },
    });
    h = harness;
    const base = Math.floor((harness.now() + 30 * 60 * MINUTE) / 1000) * 1000;
    const inShared = interviewEvent({ uid: `shared-${randomUUID()}@test`, start: base });
    const inOwn = interviewEvent({ uid: `own-${randomUUID()}@test`, start: base + 2 * 60 * MINUTE, title: 'Phone screen with Sam (Beta)', organizer: { name: 'Sam Roe', email: 'sam@beta.example' } });
    await radicale.putObject(shared, fileOf(inShared), harnessCalendarToIcs([inShared]));
    await radicale.putObject(own, fileOf(inOwn), harnessCalendarToIcs([inOwn]));
    await syncOnce(harness.engine, 'work');
    const scheduled = async () => (await listInterviews(harness.runtime.store)).filter((iv) => iv.status === 'scheduled').map((iv) => iv.id).sort();
    expect(await scheduled()).toEqual([interviewIdFor('work', inShared.uid), interviewIdFor('work', inOwn.uid)].sort());

    const refusedPath = new URL(viaProxy(shared)).pathname;
    faults.fault = (_method, _body, path) => (path.startsWith(refusedPath) ? needPrivileges(refusedPath) : null);
    const added = interviewEvent({ uid: `added-${randomUUID()}@test`, start: base + 4 * 60 * MINUTE, title: 'Phone screen with Lee (Gamma)', organizer: { name: 'Lee Park', email: 'lee@gamma.example' } });
    await radicale.putObject(own, fileOf(added), harnessCalendarToIcs([added]));
    const summary = await syncOnce(harness.engine, 'work');
    expect(summary).toMatchObject({ withdrawn: 0, interviewsNew: 1 });
    const said = await harness.waitForAudit((r) => r.type === 'skipped' && r.message.includes(viaProxy(shared)));
    expect(said.message).toMatch(/^calendar .* of work not read: the server refuses this account the read privilege on it/);

    // The next day's sync is a full listing: the refused calendar's interview is kept all the same.
    await harness.advance(DAY);
    await syncOnce(harness.engine, 'work');
    expect(await scheduled()).toEqual([interviewIdFor('work', inShared.uid), interviewIdFor('work', inOwn.uid), interviewIdFor('work', added.uid)].sort());
    expect((await harness.audit()).filter((r) => r.type === 'skipped')).toHaveLength(1);
    expect((await harness.audit()).filter((r) => r.type === 'cancelled')).toHaveLength(0);
  }, 120_000);
});
