/**
 * The calendar that cannot be read across the end of a call (README "When an account is down":
 * drafts and follow-up drafts are still written meanwhile; only sends wait for a calendar read
 * lately). The no-show note, its removal at give-up and the thank-you come at their times from
 * what the calendar said last, and the calendar read again changes nothing: no second thank-you,
 * nothing withdrawn. Right when written; it guards the follow-ups of a calendar outage, which the
 * other calendar-outage tests (outage, unread-calendar) leave out: they hold sends.
 */
import { rename } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE, draftedAhead, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('a calendar that cannot be read from before a call until after it', () => {
  it('still gets the no-show note, its removal and the thank-you at their times, each once', async () => {
    h = await startEngineHarness();
    const { id, start } = await draftedAhead(h, 'down-across-end', 20 * MINUTE);
    const file = (h.config.calendars[0] as { path: string }).path;
    await rename(file, `${file}.away`);
    await expect(h.sync()).rejects.toThrow(/does not exist/);

    await h.advance(start + 16 * MINUTE - h.now(), { sync: false });
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('no-show'));
    await h.advance(start + 31 * MINUTE - h.now(), { sync: false });
    const held = await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    expect(held.message).toContain('assumed: the no-show draft was not sent');
    await h.advance(start + 30 * MINUTE + 61 * MINUTE - h.now(), { sync: false });
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('thank-you'));
    await expect(h.sync()).rejects.toThrow(/does not exist/);

    await rename(`${file}.away`, file);
    const back = await h.sync();
    expect(back.withdrawn).toBe(0);
    expect(back.interviewsNew).toBe(0);
    expect((await h.folder('Drafts')).map((d) => d.mail.messageId)).toEqual([`<ringback.${id}.thankyou.1@example.org>`]);
    expect(await h.folder('Sent')).toEqual([]);
    const audit = await h.audit(id);
    expect(audit.filter((r) => r.type === 'drafted' && r.message.startsWith('thank-you'))).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'cancelled')).toEqual([]);
  });
});
