/**
 * An export written by the engine as it runs (real Redis, real workers, two .ics calendars and the
 * Maildir), with interviews in the states the engine puts them in: confirmed and held, a no-show
 * the user wrote about, one missed, one assumed held, tagged, answered after the call, declined,
 * removed from its calendar, moved, a confirmation deleted by the user, needs review, a no-reply
 * invitation, a zone stated in the text, a dial-in, a video call marked phone, one call in two
 * calendars, a bounce, a company cleared. The file passes the check, and an import of it into a
 * fresh key prefix exports again the same records.
 */
import { DateTime } from 'luxon';
import { inject, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { clearCompanyPattern, setCounterpartZoneFor } from '../../src/engine/company.js';
import { markEvent } from '../../src/engine/mark.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { checkDeliveryReports } from '../../src/engine/undelivered.js';
import { findEvent } from '../../src/read/explain.js';
import { openRedis } from '../../src/store/connection.js';
import { checkExport } from '../../src/store/export-check.js';
import { exportRecords, importRecords, type ExportFile } from '../../src/store/export.js';
import { getInterview } from '../../src/store/interviews.js';
import { getMark } from '../../src/store/detections.js';
import { listCounterpartZones } from '../../src/store/zones.js';
import { createStore } from '../../src/store/store.js';
import { deliveryReport } from '../support/delivery-reports.js';
import { CANDIDATE, MINUTE, interviewEvent, syncOnce } from '../support/engine-harness.js';
import { testPrefix } from '../support/prefix.js';
import { soon, useTwoCalendars } from '../support/two-calendars.js';

const HOUR = 60 * MINUTE;
const startTwoCalendars = useTwoCalendars();

const person = (name: string, email: string) => ({
  organizer: { name, email },
  attendees: [
    { name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' as const },
    { name, email, status: 'accepted' as const },
  ],
});

const MEET = 'Join with Google Meet: https://meet.google.com/xpq-rstu-vwy\nOr dial: (US) +1 609-555-0133 PIN: 482 913 776#';
const TEAMS = [
  'Microsoft Teams meeting',
  'Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9vYmFy%40thread.v2/0>',
  'Meeting ID: 245 118 903 217',
  'Or call in (audio only)',
  '+1 872-555-0148,,618203945#   United States, Chicago',
  'Phone Conference ID: 618 203 945#',
].join('\n');

/** "Tuesday, March 10th 3:00pm - 3:30pm PDT", as Greenhouse writes it. */
function greenhouseLine(start: number): string {
  const at = DateTime.fromMillis(start, { zone: 'America/Los_Angeles', locale: 'en-US' });
  const clock = (t: DateTime): string => t.toFormat('h:mma').toLowerCase();
  return `${at.toFormat('cccc, LLLL d')}th ${clock(at)} - ${clock(at.plus({ minutes: 30 }))} ${at.toFormat('ZZZZ')}`;
}

/** The file as it travels: written as JSON and read back. */
const asFile = (data: ExportFile): unknown => JSON.parse(JSON.stringify(data));

/**
 * What an import must give back: every record, but not the time of export or the audit (not
 * imported); an interview's emails in the order of their kinds (a Redis hash has no order to keep).
 */
const records = (data: unknown) => {
  const { interviews, companies } = data as ExportFile;
  return { interviews: interviews.map((iv) => ({ ...iv, emails: [...iv.emails].sort((a, b) => a.kind.localeCompare(b.kind)) })), companies };
};

describe('an export of what the engine wrote', () => {
  it('passes the check in every state the engine leaves an interview in, and an import of it exports the same records', async () => {
    const { harness: h, set } = await startTwoCalendars();
    const t = soon(h, 20);
    const id = (uid: string, calendar = 'a') => interviewIdFor(calendar, uid);
    const gone = interviewEvent({ uid: 'gone', start: t + 3 * HOUR });
    const moved = interviewEvent({ uid: 'moved', start: t + 4 * HOUR });
    const calendarA = [
      interviewEvent({ uid: 'held', start: t }),
      interviewEvent({ uid: 'noshow', start: t, title: 'Phone screen with Lee (Globex)', description: 'Lee will call you.', ...person('Lee Chen', 'lee@globex.example') }),
      interviewEvent({ uid: 'missed', start: t, title: 'Phone screen with Kim (Initech)', description: 'Kim will call you.', ...person('Kim Ito', 'kim@initech.example') }),
      interviewEvent({ uid: 'assumed', start: t, title: 'Phone screen with Pat (Umbrella)', description: 'Pat will call you.', ...person('Pat Ruiz', 'pat@umbrella.example') }),
      interviewEvent({ uid: 'replied', start: t, title: 'Phone screen with Jo (Hooli)', description: 'Jo will call you.', ...person('Jo Berg', 'jo@hooli.example') }),
      interviewEvent({ uid: 'tagged', start: t, title: 'Phone screen with Sol (Vandelay)', description: 'Sol will call you. #held', ...person('Sol Amar', 'sol@vandelay.example') }),
      interviewEvent({ uid: 'declined', start: t + 2 * HOUR, attendees: [{ name: 'Ada Park', email: CANDIDATE.email, status: 'declined' }, { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' }] }),
      interviewEvent({ uid: 'vetoed', start: t + 100 * MINUTE, title: 'Phone screen with Max (Stark)', description: 'Max will call you.', ...person('Max Roy', 'max@stark.example') }),
      gone,
      moved,
      interviewEvent({ uid: 'review', start: t + 5 * HOUR, title: 'Interview with Acme', description: '' }),
      {
        uid: 'noreply',
        title: 'Interview with Fabrikam',
        start: t + 6 * HOUR,
        end: t + 6 * HOUR + 30 * MINUTE,
        description: 'Your phone interview with Sam Lee is confirmed. Sam Lee will call you at +1 415 555 0100.',
        organizer: { name: 'Fabrikam Recruiting', email: 'no-reply@fabrikam.example' },
        attendees: [{ name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' as const }],
      },
      interviewEvent({
        uid: 'stated',
        start: t + 7 * HOUR,
        title: 'Phone Screen - Ada Park (Platform Engineer)',
        description: `Your interview with Acme is confirmed.\n\n${greenhouseLine(t + 7 * HOUR)}\nPhone Screen with Dana Whitfield\n\nDana will call you at +1 415 555 0100.`,
      }),
      interviewEvent({ uid: 'dialin', start: t + 8 * HOUR, title: 'Phone interview - Ada Park / Greystone', description: `Please dial in with the details below.\n\n${TEAMS}`, ...person('Arjun Mehta', 'arjun@greystone.example') }),
      interviewEvent({ uid: 'video', start: t + 9 * HOUR, title: 'Interview - Soylent', description: `About the role.\n${MEET}` }),
      interviewEvent({ uid: 'both', start: t + 10 * HOUR, title: 'Phone screen with Ines (Wayne)', description: 'Ines will call you.', ...person('Ines Dupont', 'ines@wayne.example') }),
    ];
    await set('a', calendarA);
    await set('b', [calendarA[calendarA.length - 1]!]);
    // Both read before the workers start, so that calendar a's listing owns the call in both.
    await syncOnce(h.engine, 'a');
    await syncOnce(h.engine, 'b');
    await h.start();

    // The user deletes one confirmation draft before its send.
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id('vetoed'));
    const vetoedDraft = (await h.folder('Drafts')).find((f) => f.mail.messageId?.includes(id('vetoed')));
    await h.userDeletes(vetoedDraft!.path);
    // The user marks the video call a phone call.
    const found = await findEvent(h.engine.store, 'soylent');
    if (!('seen' in found)) throw new Error('expected the video call among the events seen');
    await markEvent(h.engine, found, { kind: 'phone', direction: 'candidate-calls', number: '+1 212 555 0177' });

    // Confirmations go at T - 15 min.
    await h.advance(6 * MINUTE);
    for (const uid of ['held', 'noshow', 'missed', 'assumed', 'replied']) await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id(uid));
    await h.deliverToInbox(deliveryReport('exchange', { messageId: `<ringback.${id('held')}.confirmation.1@example.org>`, recipient: 'dana@acme.example', sender: CANDIDATE.email, subject: 'Our call', date: h.now() }));
    expect(await checkDeliveryReports(h.engine)).toMatchObject({ undelivered: 1 });
    // One event is removed, one moved.
    await set('a', calendarA.filter((e) => e !== gone).map((e) => (e === moved ? { ...moved, start: moved.start + HOUR, end: moved.end + HOUR } : e)));

    // The calls begin; outcomes recorded by a command and a button; one interviewer writes back.
    await h.advance(15 * MINUTE);
    await recordOutcome(h.engine, id('held'), 'held', 'cli');
    await recordOutcome(h.engine, id('missed'), 'candidate-missed', 'dashboard');
    await h.deliverToInbox(
      [
        'From: Jo Berg <jo@hooli.example>',
        `To: Ada Park <${CANDIDATE.email}>`,
        'Subject: Re: our call',
        `Date: ${new Date(h.now()).toUTCString()}`,
        'Message-ID: <reply-1@hooli.example>',
        `In-Reply-To: <ringback.${id('replied')}.confirmation.1@example.org>`,
        '',
        'Sorry, running late: can we talk at 4?',
        '',
      ].join('\r\n'),
    );
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id('missed') && r.message.includes('apology'), 60_000);

    // T + 15: no-show drafts; the user sends one. T + 30: the no-show is recorded, the other assumed held.
    await h.advance(15 * MINUTE);
    const noshowDraft = await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id('noshow') && r.message.includes('no-show'));
    expect(noshowDraft).toBeDefined();
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id('assumed') && r.message.includes('no-show'));
    const mine = (await h.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id('noshow')}.noshow`));
    await h.userSends(mine!.path);
    await h.advance(15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id('noshow'));
    await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id('assumed'));
    expect(await clearCompanyPattern(h.engine, 'globex.example')).toBe(true);
    await setCounterpartZoneFor(h.engine, 'initech.example', 'America/Chicago');

    // The deleted confirmation's send finds it gone; E + 60: thank-you drafts.
    await h.advance(56 * MINUTE);
    await h.waitForAudit((r) => r.interviewId === id('vetoed') && r.message.includes('you deleted the confirmation draft'));
    await h.advance(9 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id('held') && r.message.includes('thank-you'));
    expect((await getInterview(h.engine.store, id('replied')))?.status).toBe('done');

    const data = await exportRecords(h.engine.store, new Date(h.now()));
    const byId = new Map(data.interviews.map((iv) => [iv.id, iv]));
    const states = (pick: (iv: ExportFile['interviews'][number]) => unknown) => new Set(data.interviews.map(pick));
    expect(states((iv) => iv.status)).toEqual(new Set(['scheduled', 'cancelled', 'declined', 'done']));
    expect(states((iv) => iv.outcome)).toEqual(new Set([null, 'held', 'interviewer-no-show', 'candidate-missed']));
    expect(states((iv) => iv.outcomeSource)).toEqual(new Set([null, 'cli', 'tag', 'mailbox', 'assumed', 'dashboard']));
    expect(data.interviews.flatMap((iv) => iv.emails.map((e) => `${e.kind} ${e.state}`))).toEqual(
      expect.arrayContaining(['confirmation sent', 'confirmation draft', 'confirmation vetoed', 'noshow sent', 'apology draft', 'thankyou draft']),
    );
    expect(byId.get(id('gone'))).toMatchObject({ status: 'cancelled', vanished: true });
    expect(byId.get(id('moved'))).toMatchObject({ rescheduled: 1, revision: 2 });
    expect(byId.get(id('review'))).toMatchObject({ review: true });
    expect(byId.get(id('noreply'))?.counterpart.email).toBeNull();
    expect(byId.get(id('stated'))?.statedZone).toBe('America/Los_Angeles');
    expect(byId.get(id('dialin'))).toMatchObject({ dialIn: true });
    expect(byId.get(id('video'))).toMatchObject({ decidedBy: 'you' });
    expect(byId.get(id('both', 'b'))).toMatchObject({ duplicateOf: id('both'), duplicateBy: 'uid' });
    expect(byId.get(id('held'))?.undelivered).toHaveLength(1);
    expect(data.companies.find((c) => c.company === 'globex.example')?.clearedAt).toEqual(expect.any(Number));

    const checked = checkExport(asFile(data));
    if (typeof checked === 'string') throw new Error(`the check refused the engine's own export: ${checked}`);

    const redis = openRedis(inject('redisUrl'));
    try {
      await redis.connect();
      const fresh = createStore(redis, testPrefix('import'));
      expect(await importRecords(fresh, checked)).toBe(data.interviews.length);
      expect(records(asFile(await exportRecords(fresh, new Date(h.now()))))).toEqual(records(asFile(data)));
      // What the user said stays said on the new machine: the mark of an event, a company's zone.
      expect(await getMark(fresh, id('video'))).toEqual(await getMark(h.engine.store, id('video')));
      expect(await getMark(fresh, id('video'))).toMatchObject({ kind: 'phone', number: '+12125550177' });
      expect(await listCounterpartZones(fresh)).toEqual({ 'initech.example': 'America/Chicago' });
    } finally {
      redis.disconnect();
    }
  }, 240_000);
});
