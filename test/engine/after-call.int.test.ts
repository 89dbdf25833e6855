/**
 * After the call, one timeline per scenario of the advice ringback automates, with a real Redis,
 * real workers, the ics source and the Maildir. Time moves through the harness clock; the
 * reconciler brings due jobs along, and the queue runs them for real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatTimeIn } from '../../src/domain/format.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import type { HarnessEvent } from '../providers/calendar/contract.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { findFreeSlots } from '../../src/engine/slots.js';
import { interviewViews } from '../../src/read/interviews.js';
import { getCompany } from '../../src/store/companies.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** Starts the engine with one or more interviews two hours ahead and waits for the confirmation draft. */
async function scheduled(events: (start: number) => HarnessEvent[]): Promise<{ h: EngineHarness; start: number }> {
  const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60, bufferMinutes: 30 } });
  h = harness;
  const start = Math.floor((harness.now() + 2 * HOUR) / 1000) * 1000;
  await harness.setEvents(events(start));
  await harness.start();
  await harness.sync();
  return { h: harness, start };
}

async function confirmationSent(harness: EngineHarness, id: string): Promise<void> {
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  await harness.advance(2 * HOUR - 15 * MINUTE);
  await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
}

function draftOf(files: Awaited<ReturnType<EngineHarness['folder']>>, kind: string) {
  return files.find((f) => f.mail.messageId?.includes(`.${kind}.`));
}

describe('after the call', () => {
  it('an outcome the user records while the give-up check assumes "held" is kept, and the company counts the no-show', async () => {
    const uids = ['race-1', 'race-2', 'race-3', 'race-4', 'race-5', 'race-6'];
    const { h } = await scheduled((s) => uids.map((uid, i) => interviewEvent({ uid, start: s + i * 24 * HOUR })));
    const ids = uids.map((uid) => interviewIdFor('cal', uid));
    for (const id of ids) {
      // The user's word reaches Redis first; the check decided on what it read before it.
      await Promise.all([recordOutcome(h.engine, id, 'interviewer-no-show', 'cli'), recordOutcome(h.engine, id, 'held', 'assumed')]);
      const stored = await getInterview(h.runtime.store, id);
      expect({ id, outcome: stored?.outcome, source: stored?.outcomeSource }).toEqual({ id, outcome: 'interviewer-no-show', source: 'cli' });
    }
    expect((await getCompany(h.runtime.store, 'acme.example')).noShows).toEqual(ids);
    // An assumption with no outcome known is still written.
    await h.setEvents([interviewEvent({ uid: 'quiet', start: Math.floor((h.now() + 3 * HOUR) / 1000) * 1000 })]);
    await h.sync();
    const quiet = interviewIdFor('cal', 'quiet');
    await recordOutcome(h.engine, quiet, 'held', 'assumed');
    expect((await getInterview(h.runtime.store, quiet))?.outcomeSource).toBe('assumed');
    expect((await getCompany(h.runtime.store, 'acme.example')).noShows).toEqual(ids);
  });

  it('held → a thank-you draft under its own subject, outside the confirmation thread', async () => {
    const { h } = await scheduled((s) => [interviewEvent({ uid: 'held', start: s })]);
    const id = interviewIdFor('cal', 'held');
    await confirmationSent(h, id);
    await recordOutcome(h.engine, id, 'held', 'cli');
    await h.advance(15 * MINUTE + 30 * MINUTE + 60 * MINUTE + MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    const thanks = draftOf(await h.folder('Drafts'), 'thankyou');
    expect(thanks?.mail.subject).toMatch(/^Thank you/);
    expect(thanks?.mail.inReplyTo).toBeUndefined();
    expect(thanks?.mail.text).toMatch(/thank/i);
    expect(draftOf(await h.folder('Drafts'), 'noshow')).toBeUndefined();
  });

  it('interviewer did not call, the user sends the contingency → outcome recorded, level 1', async () => {
    const { h } = await scheduled((s) => [interviewEvent({ uid: 'ns1', start: s })]);
    const id = interviewIdFor('cal', 'ns1');
    await confirmationSent(h, id);
    await h.advance(30 * MINUTE); // T + wait
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const noshow = draftOf(await h.folder('Drafts'), 'noshow');
    expect(noshow?.mail.text).toMatch(/not received your call/i);
    expect(noshow?.mail.text).toMatch(/reschedul|another time/i);
    await h.userSends(noshow?.path as string);

    await h.advance(15 * MINUTE); // T + giveUp
    const outcome = await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    expect(outcome.message).toContain('interviewer-no-show');
    expect(outcome.message).toContain('you sent the no-show email');
    const company = await getCompany(h.runtime.store, 'acme.example');
    expect(company.noShows).toEqual([id]);
    expect(company.pattern).toBe(false);
    expect((await getInterview(h.runtime.store, id))?.outcomeSource).toBe('mailbox');
  });

  it('a second no-show at the same company → "please call me" and the pattern flag; confirmations then stay drafts', async () => {
    const { h, start } = await scheduled((s) => [
      interviewEvent({ uid: 'first', start: s - 26 * HOUR }),
      interviewEvent({ uid: 'second', start: s }),
      interviewEvent({ uid: 'third', start: s + 48 * HOUR }),
    ]);
    const first = interviewIdFor('cal', 'first');
    const second = interviewIdFor('cal', 'second');
    const third = interviewIdFor('cal', 'third');
    await recordOutcome(h.engine, first, 'interviewer-no-show', 'cli');
    await confirmationSent(h, second);
    await h.advance(30 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === second && r.message.includes('no-show'));
    const mine = (await h.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${second}.noshow`));
    expect(mine?.mail.text).toMatch(/call me/i);
    expect(mine?.mail.text).toContain('415');
    await h.userSends(mine?.path as string);
    await h.advance(15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'escalation' && r.interviewId === second && r.message.includes('pattern'));
    expect((await getCompany(h.runtime.store, 'acme.example')).pattern).toBe(true);
    const views = await interviewViews(h.runtime.store);
    expect(views.find((v) => v.id === third)?.pattern).toBe(true);

    // The third interview's confirmation is written but not sent.
    const held = await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === third && r.message.includes('confirmation send'));
    expect(held.message).toContain('ringback company clear acme.example');
    await h.advance(start + 48 * HOUR - 15 * MINUTE - h.now() + 1000);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === third);
    await new Promise((r) => setTimeout(r, 1000));
    const sentToThird = (await h.folder('Sent')).filter((f) => f.mail.messageId?.includes(third));
    expect(sentToThird).toHaveLength(0);
  });

  it('candidate missed → a short apology with free slots clear of busy time and buffers', async () => {
    const { h, start } = await scheduled((s) => {
      const day = 24 * HOUR;
      return [
        interviewEvent({ uid: 'missed', start: s }),
        // Busy blocks over the next days.
        { uid: 'busy-1', title: 'Dentist', start: s + day, end: s + day + 2 * HOUR },
        { uid: 'busy-2', title: 'Workshop', start: s + 2 * day - 3 * HOUR, end: s + 2 * day + 3 * HOUR },
      ];
    });
    const id = interviewIdFor('cal', 'missed');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    await h.advance(2 * HOUR + 10 * MINUTE);
    await recordOutcome(h.engine, id, 'candidate-missed', 'cli');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('apology'), 60_000);
    const apology = draftOf(await h.folder('Drafts'), 'apology');
    expect(apology?.mail.text).toMatch(/free now at .* if you would like to call/i);
    expect((apology?.mail.text?.match(/sorry|apolog/gi) ?? []).length).toBeLessThanOrEqual(2);

    const interview = await getInterview(h.runtime.store, id);
    const slots = await findFreeSlots(h.engine, interview!, null);
    expect(slots).toHaveLength(3);
    const buffer = 30 * MINUTE;
    const busy = [
      { start: start + 24 * HOUR, end: start + 26 * HOUR },
      { start: start + 45 * HOUR, end: start + 51 * HOUR },
    ];
    for (const slot of slots) {
      for (const b of busy) expect(slot.end + buffer <= b.start || slot.start - buffer >= b.end).toBe(true);
    }
    expect(apology?.mail.text).toContain(formatTimeIn(slots[0]!.start, 'America/New_York').split(',')[0] as string);
  });

  it('follow-ups answer the confirmation only when the recipient received it', async () => {
    // Sent confirmation: the no-show note is a reply in its thread, with "Re:" and its subject.
    const { h: sent } = await scheduled((s) => [interviewEvent({ uid: 'thread', start: s })]);
    const id = interviewIdFor('cal', 'thread');
    await confirmationSent(sent, id);
    const confirmation = (await sent.folder('Sent')).find((f) => f.mail.messageId?.includes(`${id}.confirmation`));
    await sent.advance(30 * MINUTE);
    await sent.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const noshow = draftOf(await sent.folder('Drafts'), 'noshow');
    expect(noshow?.mail.subject).toBe(`Re: ${confirmation?.mail.subject ?? ''}`);
    expect(noshow?.mail.inReplyTo).toBe(`<ringback.${id}.confirmation.1@example.org>`);
    await sent.stop();
    h = null;

    // A confirmation left as a draft (confirmations: draft): the apology starts a conversation of its own.
    const drafted = await startEngineHarness({ confirmations: 'draft', timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30 } });
    h = drafted;
    const start = Math.floor((drafted.now() + 2 * HOUR) / 1000) * 1000;
    await drafted.setEvents([interviewEvent({ uid: 'nothread', start })]);
    await drafted.start();
    await drafted.sync();
    const other = interviewIdFor('cal', 'nothread');
    await drafted.waitForAudit((r) => r.type === 'drafted' && r.interviewId === other);
    await drafted.advance(2 * HOUR + 10 * MINUTE);
    await recordOutcome(drafted.engine, other, 'candidate-missed', 'cli');
    await drafted.waitForAudit((r) => r.type === 'drafted' && r.interviewId === other && r.message.includes('apology'), 60_000);
    const apology = draftOf(await drafted.folder('Drafts'), 'apology');
    expect(apology?.mail.subject).toMatch(/^Sorry I missed our call/);
    expect(apology?.mail.inReplyTo).toBeUndefined();
    expect(await drafted.folder('Sent')).toHaveLength(0);
  });

  it('a reply from the interviewer after the call stops the pending follow-ups', async () => {
    const { h, start } = await scheduled((s) => [interviewEvent({ uid: 'reply', start: s })]);
    const id = interviewIdFor('cal', 'reply');
    await confirmationSent(h, id);
    await h.deliverToInbox(
      [
        'From: Dana Whitfield <dana@acme.example>',
        'To: Ada Park <ada@example.org>',
        'Subject: Re: our call',
        `Date: ${new Date(start + 5 * MINUTE).toUTCString()}`,
        `Message-ID: <reply-1@acme.example>`,
        `In-Reply-To: <ringback.${id}.confirmation.1@example.org>`,
        '',
        'Sorry, running late: can we talk at 4?',
        '',
      ].join('\r\n'),
    );
    await h.advance(30 * MINUTE);
    const reply = await h.waitForAudit((r) => r.type === 'reply' && r.interviewId === id);
    expect(reply.message).toContain('pending follow-ups stopped');
    expect(draftOf(await h.folder('Drafts'), 'noshow')).toBeUndefined();
    expect((await getInterview(h.runtime.store, id))?.status).toBe('done');
    await h.advance(2 * HOUR);
    await new Promise((r) => setTimeout(r, 1500));
    expect(draftOf(await h.folder('Drafts'), 'thankyou')).toBeUndefined();
  });

  it('the call happened and the contingency was never sent → it is deleted at give-up, then a thank-you', async () => {
    const { h } = await scheduled((s) => [interviewEvent({ uid: 'quiet', start: s })]);
    const id = interviewIdFor('cal', 'quiet');
    await confirmationSent(h, id);
    await h.advance(30 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    expect(draftOf(await h.folder('Drafts'), 'noshow')).toBeDefined();
    await h.advance(15 * MINUTE);
    const outcome = await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    expect(outcome.message).toContain('held');
    expect(outcome.message).toContain('assumed');
    expect(draftOf(await h.folder('Drafts'), 'noshow')).toBeUndefined();
    await h.advance(2 * HOUR);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    expect(draftOf(await h.folder('Drafts'), 'thankyou')).toBeDefined();
  });
});
