/**
 * One call listed by a CalDAV calendar (`a`, a real Radicale) and an .ics feed (`b`), through the
 * timelines of an organizer who cancels and reinstates it while one calendar lags behind the other
 * (README, "One call in two calendars"). The organizer's word is iTIP's: a cancellation is the
 * invitation with STATUS:CANCELLED (RFC 5546 §3.2.5), and a reinstatement the same UID sent again
 * as a REQUEST with a higher SEQUENCE, which obsoletes every lower one (RFC 5546 §2.1.5; Google
 * lists a cancelled event as `status: "cancelled"` and the same event id again once it is
 * restored). What the user expects: no email about a cancelled call, ever; a reinstated call
 * planned again, once, and no second confirmation when one already went.
 * The engine with its own Redis and the harness's Maildir.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { startRadicale, type TestRadicale } from '../support/radicale.js';
import { soon } from '../support/two-calendars.js';

let radicale: TestRadicale;
let running: EngineHarness | null = null;
let feeds: string | null = null;
beforeAll(async () => {
  radicale = await startRadicale();
});
afterEach(async () => {
  await running?.stop();
  running = null;
  if (feeds) await rm(feeds, { recursive: true, force: true });
  feeds = null;
});
afterAll(async () => {
  await radicale?.stop();
});

type Which = 'a' | 'b' | 'c';

/**
 * The call as calendar `a` (CalDAV) and `b` (.ics) list it, and how each is changed; with `third`,
 * an .ics calendar `c` lists it too (read last), or is connected still empty.
 */
async function listedInBoth(uid: string, minutesAhead: number, first: 'a' | 'b', options: { third?: 'listing' | 'empty' } = {}) {
  const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
  feeds = await mkdtemp(join(tmpdir(), 'ringback-timelines-'));
  const folder = feeds;
  const feed = (which: Which) => join(folder, `${which}.ics`);
  const files: Which[] = options.third !== undefined ? ['b', 'c'] : ['b'];
  for (const which of files) await writeFile(feed(which), harnessCalendarToIcs([]));
  const harness = await startEngineHarness({
    calendars: [
      { type: 'caldav', id: 'a', url: radicale.url, username: radicale.username, calendars: [calendar] },
      ...files.map((which) => ({ type: 'ics', id: which, path: feed(which) })),
    ],
    secrets: { a: { password: radicale.password } },
  });
  running = harness;
  const object = `${calendar}${encodeURIComponent(uid)}.ics`;
  const set = async (which: Which, event: HarnessEvent | null): Promise<void> => {
    if (which !== 'a') await writeFile(feed(which), harnessCalendarToIcs(event ? [event] : []));
    else if (event) await radicale.putObject(calendar, `${encodeURIComponent(uid)}.ics`, harnessCalendarToIcs([event]));
    else await radicale.deleteObject(object);
  };
  const event = interviewEvent({ uid, start: soon(harness, minutesAhead) });
  for (const which of ['a', ...files] as Which[]) if (which !== 'c' || options.third === 'listing') await set(which, event);
  const second: Which = first === 'a' ? 'b' : 'a';
  await syncOnce(harness.engine, first);
  await syncOnce(harness.engine, second);
  if (options.third === 'listing') await syncOnce(harness.engine, 'c');
  /** What calendar `which` now shows, read by its next sync. */
  const show = async (which: Which, shown: HarnessEvent | null): Promise<void> => {
    await set(which, shown);
    await syncOnce(harness.engine, which);
  };
  const owner = interviewIdFor(first, uid);
  const duplicate = interviewIdFor(second, uid);
  expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
  return { harness, set, show, event, owner, duplicate };
}

/** The organizer's cancellation (RFC 5546 §3.2.5), and its reinstatement with a higher SEQUENCE. */
const cancelled = (event: HarnessEvent, sequence = 1): HarnessEvent => ({ ...event, status: 'CANCELLED', sequence });
const reinstated = (event: HarnessEvent, sequence = 2): HarnessEvent => ({ ...event, status: 'CONFIRMED', sequence });
/** The candidate declined the invitation (PARTSTAT=DECLINED). */
const declinedBy = (event: HarnessEvent): HarnessEvent => ({
  ...event,
  attendees: [
    { name: 'Ada Park', email: CANDIDATE.email, status: 'declined' },
    { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
  ],
});

const status = async (harness: EngineHarness, id: string) => (await getInterview(harness.engine.store, id))?.status;
const pending = async (harness: EngineHarness, id: string) => (await getActionRecords(harness.engine.store, id)).filter((r) => r.state === 'pending').map((r) => r.kind);
const confirmationsSent = async (harness: EngineHarness) => (await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes('.confirmation.'));
const draftsOf = async (harness: EngineHarness, id: string) => (await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`.${id}.`));

/** Exactly one of the two listings is planned (it has pending actions), and it is `id`. */
async function plannedOnce(harness: EngineHarness, id: string, other: string): Promise<void> {
  expect(await status(harness, id)).toBe('scheduled');
  expect((await getInterview(harness.engine.store, id))?.duplicateOf).toBeUndefined();
  expect(await pending(harness, id)).toContain('confirmation-send');
  expect(await pending(harness, other)).toEqual([]);
}

/** Nothing is planned or waiting in the mailbox for either listing. */
async function nothingFor(harness: EngineHarness, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    expect(await status(harness, id)).not.toBe('scheduled');
    expect(await pending(harness, id)).toEqual([]);
    expect(await draftsOf(harness, id)).toEqual([]);
  }
}

describe('an organizer who cancels, seen first in one calendar, and then reinstates the call', () => {
  it('plans the call again once, from the listing with the emails, when the calendar that showed the cancellation shows it back', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`reinstated-${randomUUID()}`, 3 * 60, 'b');
    await show('a', cancelled(event));
    expect(await status(harness, owner)).toBe('cancelled');

    await show('a', reinstated(event));
    await plannedOnce(harness, owner, duplicate);

    // The other calendar catches up with the reinstatement: still one plan.
    await show('b', reinstated(event));
    await plannedOnce(harness, owner, duplicate);
  });

  it('sends no second confirmation when one went before the cancellation', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`reinstated-sent-${randomUUID()}`, 50, 'b');
    await harness.start();
    await harness.advance(36 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === owner);
    expect(await confirmationsSent(harness)).toHaveLength(1);

    await show('a', cancelled(event));
    expect(await status(harness, owner)).toBe('cancelled');
    await show('a', reinstated(event));
    expect(await status(harness, owner)).toBe('scheduled');
    // The interviewer already has its confirmation, word for word: none is written again.
    await harness.advance(MINUTE);
    const skipped = await harness.waitForAudit((r) => r.type === 'skipped' && r.interviewId === owner && r.message.startsWith('confirmation draft skipped'));
    expect(skipped.message).toContain('already got a confirmation that says all this one would');
    expect(await confirmationsSent(harness)).toHaveLength(1);
    expect((await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`${owner}.confirmation.`))).toEqual([]);
    expect(await pending(harness, duplicate)).toEqual([]);
  });

  it('plans it again when both calendars showed the cancellation and the one without the emails shows the reinstatement first', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`both-${randomUUID()}`, 3 * 60, 'a');
    await show('a', cancelled(event));
    await show('b', cancelled(event));
    await nothingFor(harness, [owner, duplicate]);

    await show('b', reinstated(event));
    await plannedOnce(harness, owner, duplicate);
    await show('a', reinstated(event));
    await plannedOnce(harness, owner, duplicate);
  });
});

describe('the calendar that showed the cancellation removed from the config', () => {
  /** Calendar a taken out of ringback.yaml, the daemon restarted: only b is read from then on. */
  const withoutA = (harness: EngineHarness) => ({
    ...harness.engine,
    config: { ...harness.engine.config, calendars: harness.engine.config.calendars.filter((c) => c.id !== 'a') },
    calendars: new Map([...harness.engine.calendars].filter(([id]) => id !== 'a')),
  });

  it('no longer holds the call: the reinstatement the other calendar lists is planned again once', async () => {
    const { harness, set, show, event, owner, duplicate } = await listedInBoth(`removed-${randomUUID()}`, 3 * 60, 'b');
    await show('a', cancelled(event));
    expect(await status(harness, owner)).toBe('cancelled');
    const engine = withoutA(harness);
    // The reinstatement as b lists it: the entry it always listed (only its SEQUENCE is higher).
    await set('b', reinstated(event));
    await syncOnce(engine, 'b');
    await reconcile(engine);
    await plannedOnce(harness, owner, duplicate);
    // Once: a second reconcile plans nothing more.
    const revision = (await getInterview(harness.engine.store, owner))?.revision;
    await reconcile(engine);
    expect((await getInterview(harness.engine.store, owner))?.revision).toBe(revision);
  });

  it('a call whose time has passed stays withdrawn: no no-show or thank-you draft for a cancelled call', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`removed-past-${randomUUID()}`, 3 * 60, 'b');
    await show('a', cancelled(event));
    const later = { ...withoutA(harness), now: () => harness.engine.now() + 5 * 60 * MINUTE };
    await reconcile(later);
    await nothingFor(harness, [owner, duplicate]);
  });

  it('a change b lists then is read as b shows it, not held for the calendar taken out', async () => {
    const { harness, set, event, owner, duplicate } = await listedInBoth(`removed-moved-${randomUUID()}`, 3 * 60, 'b');
    await set('a', cancelled(event));
    await syncOnce(harness.engine, 'a');
    const engine = withoutA(harness);
    await set('b', { ...reinstated(event), title: `${event.title} (rescheduled room)` });
    await syncOnce(engine, 'b');
    await plannedOnce(harness, owner, duplicate);
  });
});

describe('a calendar that first reads the call already cancelled', () => {
  it('withdraws the listing with the emails in the calendar not caught up, and a reinstatement plans it again once', async () => {
    const { harness, show, event, owner } = await listedInBoth(`first-read-${randomUUID()}`, 3 * 60, 'b', { third: 'empty' });
    // Calendar c is connected after the organizer cancelled: it never listed the call as on.
    const third = interviewIdFor('c', event.uid);
    await show('c', cancelled(event));
    expect(await getInterview(harness.engine.store, third)).toBeNull();
    expect(await status(harness, owner)).toBe('cancelled');
    expect(await pending(harness, owner)).toEqual([]);

    await show('c', reinstated(event));
    await plannedOnce(harness, owner, third);
  });
});

describe('a cancellation seen in one calendar, then the other listing deleted outright', () => {
  it('sends nothing, and a reinstatement is planned by the listing still in its calendar', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`deleted-${randomUUID()}`, 3 * 60, 'b');
    await show('a', cancelled(event));
    await show('b', null);
    await nothingFor(harness, [owner, duplicate]);

    await show('a', reinstated(event));
    await plannedOnce(harness, duplicate, owner);
  });

  it('a third calendar that has not caught up does not take the cancelled call over', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`third-${randomUUID()}`, 3 * 60, 'b', { third: 'listing' });
    const third = interviewIdFor('c', event.uid);
    expect((await getInterview(harness.engine.store, third))?.duplicateOf).toBe(owner);
    await show('a', cancelled(event));
    await show('b', null);
    // The reconciler finishes the handovers a sync left undone; its own change frees it too.
    await reconcile(harness.engine);
    await show('c', { ...event, description: 'Dana will call you. Agenda attached.' });
    await nothingFor(harness, [owner, duplicate, third]);
  });
});

describe('a change in the calendar that has not caught up with a cancellation', () => {
  it('a move there (an older revision) does not plan the cancelled call at its new time', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`moved-${randomUUID()}`, 3 * 60, 'a');
    await show('b', cancelled(event, 2));
    expect(await status(harness, owner)).toBe('cancelled');

    // Calendar a shows only now the move the organizer made before cancelling.
    const moved = { ...event, start: event.start + 60 * MINUTE, end: event.end + 60 * MINUTE, sequence: 1 };
    await show('a', moved);
    await nothingFor(harness, [owner, duplicate]);

    // Reinstated at the new time, shown first by the calendar that showed the cancellation.
    await show('b', reinstated(moved, 3));
    await plannedOnce(harness, owner, duplicate);
  });
});

describe('a call declined in one calendar, then cancelled by its organizer', () => {
  it('stays withdrawn when the user accepts again in the calendar that has not shown the cancellation', async () => {
    const { harness, show, event, owner, duplicate } = await listedInBoth(`declined-${randomUUID()}`, 3 * 60, 'b');
    await show('a', declinedBy(event));
    expect(await status(harness, owner)).toBe('declined');

    await show('b', cancelled(event));
    await nothingFor(harness, [owner, duplicate]);

    // Accepted again in calendar a, which lists the invitation as it was before it was cancelled:
    // a silent duplicate again, of a call that stays cancelled.
    await show('a', event);
    expect(await status(harness, owner)).toBe('cancelled');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    for (const id of [owner, duplicate]) {
      expect(await pending(harness, id)).toEqual([]);
      expect(await draftsOf(harness, id)).toEqual([]);
    }
  });
});
