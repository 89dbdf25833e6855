/**
 * Bounds on what one calendar can make ringback send, with a real Redis, BullMQ workers, the ics
 * source and the Maildir: a recurring "phone screen" once a minute is one entry to review, not a
 * thousand interviews; and a fourth confirmation to the same address within a day stays a draft.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listPendingActions } from '../../src/queue/queues.js';
import { listHeld } from '../../src/store/held.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

describe('limits', () => {
  it('treats a phone screen repeating every minute as one entry to review: no interview, nothing sent', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 15 * MINUTE + 3_000) / 1000) * 1000;
    await h.setCalendarText(
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//ringback//limits//EN',
        'BEGIN:VEVENT',
        'UID:flood@limits.test',
        `DTSTAMP:${stamp(start)}`,
        `DTSTART:${stamp(start)}`,
        `DTEND:${stamp(start + 10 * MINUTE)}`,
        'RRULE:FREQ=MINUTELY',
        'SUMMARY:Phone screen with Dana (Acme)',
        'DESCRIPTION:Dana will call you.',
        'ORGANIZER;CN=Dana Whitfield:mailto:dana@acme.example',
        'ATTENDEE;CN=Ada Park;PARTSTAT=ACCEPTED:mailto:ada@example.org',
        'ATTENDEE;CN=Dana Whitfield;PARTSTAT=ACCEPTED:mailto:dana@acme.example',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n'),
    );
    // Synced before the workers start: their own first sync would otherwise race this one.
    const summary = await h.sync();
    await h.start();
    expect(summary.events).toBeGreaterThan(100);
    expect(summary.interviewsNew).toBe(0);
    const report = await h.waitForAudit((r) => r.type === 'skipped' && r.message.includes('repeats too often'));
    expect(report.message).toContain('as close as 60 seconds apart');
    // A second sync reports nothing new: one item, however many occurrences and syncs.
    await h.sync();
    expect((await h.audit()).filter((r) => r.message.includes('repeats too often'))).toHaveLength(1);
    expect(await listPendingActions(h.runtime.queues)).toHaveLength(0);
    expect(await h.folder('Drafts')).toHaveLength(0);
    expect(await h.folder('Sent')).toHaveLength(0);
    const held = await listHeld(h.runtime.store, h.now());
    expect(held.map((i) => i.message)).toEqual([expect.stringContaining('"Phone screen with Dana (Acme)" repeats too often to be a call')]);
  });

  it('sends at most 3 emails a day to one address; the rest stay drafts, with the reason', async () => {
    h = await startEngineHarness();
    const base = Math.floor((h.now() + 15 * MINUTE + 3_000) / 1000) * 1000;
    // Five separate interviews with the same recruiter, each confirmed at once (short notice).
    await h.setEvents([1, 2, 3, 4, 5].map((n) => interviewEvent({ uid: `rate-${n}`, start: base + n * 1000, title: `Phone screen ${n} with Dana (Acme)` })));
    await h.start();
    await h.sync();
    const isOutcome = (r: { type: string; message: string }) =>
      r.type === 'sent' || (r.type === 'kept-as-draft' && r.message.includes('limits.emailsPerRecipientPerDay'));
    const until = Date.now() + 30_000;
    while ((await h.audit()).filter(isOutcome).length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    const outcomes = (await h.audit()).filter(isOutcome);
    expect(outcomes.filter((r) => r.type === 'sent')).toHaveLength(3);
    const held = outcomes.filter((r) => r.type === 'kept-as-draft');
    expect(held).toHaveLength(2);
    expect(held[0]?.message).toContain('dana@acme.example already got 3 emails from ringback in the last 24 hours (limits.emailsPerRecipientPerDay: 3)');
    expect(await h.folder('Sent')).toHaveLength(3);
    expect(await h.folder('Drafts')).toHaveLength(2);
    expect((await listHeld(h.runtime.store, h.now())).map((i) => i.subject)).toEqual(['recipient:dana@acme.example']);
  });
});
