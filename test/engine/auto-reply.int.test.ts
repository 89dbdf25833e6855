/**
 * An automatic answer in the thread is not the counterpart replying: with a real Redis, real
 * workers, the ics source and the Maildir, an out-of-office that lands after the call started
 * leaves the no-show draft to be written, and the no-show is counted at give-up; a person's answer
 * beside it still stops the follow-ups.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getCompany } from '../../src/store/companies.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** Starts the engine with one interview two hours ahead and lets its confirmation go out at T - 15 min. */
async function confirmed(uid: string): Promise<{ h: EngineHarness; start: number; id: string }> {
  const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60, bufferMinutes: 30 } });
  h = harness;
  const start = Math.floor((harness.now() + 2 * HOUR) / 1000) * 1000;
  await harness.setEvents([interviewEvent({ uid, start })]);
  await harness.start();
  await harness.sync();
  const id = interviewIdFor('cal', uid);
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  await harness.advance(2 * HOUR - 15 * MINUTE);
  await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
  return { h: harness, start, id };
}

/** Dana's Exchange answering `inReplyTo` on its own, as Microsoft 365 writes an out-of-office. */
function outOfOffice(inReplyTo: string, at: number, n: number): string {
  return [
    'From: Dana Whitfield <dana@acme.example>',
    'To: Ada Park <ada@example.org>',
    'Subject: Automatic reply: our call',
    `Date: ${new Date(at).toUTCString()}`,
    `Message-ID: <oof-${n}@acme.example>`,
    `In-Reply-To: ${inReplyTo}`,
    `References: ${inReplyTo}`,
    'X-Auto-Response-Suppress: All',
    'X-MS-Exchange-Inbox-Rules-Loop: dana@acme.example',
    'Auto-Submitted: auto-generated',
    'X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent',
    '',
    'I am out of the office until Monday with limited access to email.',
    '',
  ].join('\r\n');
}

function draftOf(files: Awaited<ReturnType<EngineHarness['folder']>>, kind: string) {
  return files.find((f) => f.mail.messageId?.includes(`.${kind}.`));
}

describe('automatic replies after the call', () => {
  it('an out-of-office is no reply: the no-show draft is written, and once sent the no-show counts at give-up', async () => {
    const { h, start, id } = await confirmed('oof');
    // Dana's server answers the confirmation late, after the call started.
    await h.deliverToInbox(outOfOffice(`<ringback.${id}.confirmation.1@example.org>`, start + 2 * MINUTE, 1));
    await h.advance(30 * MINUTE); // T + wait
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const noted = await h.waitForAudit((r) => r.type === 'reply' && r.interviewId === id);
    expect(noted.message).toContain('an automatic reply from dana@acme.example');
    expect(noted.message).toContain('Auto-Submitted: auto-generated');
    expect(noted.message).toContain('not counted as a reply');
    expect((await getInterview(h.runtime.store, id))?.status).toBe('scheduled');

    const noshow = draftOf(await h.folder('Drafts'), 'noshow');
    expect(noshow).toBeDefined();
    await h.userSends(noshow?.path as string);
    // The no-show email gets its own out-of-office.
    await h.deliverToInbox(outOfOffice(noshow?.mail.messageId as string, start + 16 * MINUTE, 2));
    await h.advance(15 * MINUTE); // T + giveUp
    const outcome = await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    expect(outcome.message).toContain('interviewer-no-show');
    expect((await getInterview(h.runtime.store, id))?.outcome).toBe('interviewer-no-show');
    expect((await getCompany(h.runtime.store, 'acme.example')).noShows).toEqual([id]);
    expect((await h.audit(id)).some((r) => r.message.includes('pending follow-ups stopped'))).toBe(false);
  });

  it('a person answering beside an out-of-office still stops the follow-ups', async () => {
    const { h, start, id } = await confirmed('both');
    const confirmation = `<ringback.${id}.confirmation.1@example.org>`;
    await h.deliverToInbox(outOfOffice(confirmation, start + 2 * MINUTE, 3));
    await h.deliverToInbox(
      [
        'From: Dana Whitfield <dana@acme.example>',
        'To: Ada Park <ada@example.org>',
        'Subject: Re: our call',
        `Date: ${new Date(start + 5 * MINUTE).toUTCString()}`,
        'Message-ID: <reply-2@acme.example>',
        `In-Reply-To: ${confirmation}`,
        '',
        'Back early: sorry, running late, can we talk at 4?',
        '',
      ].join('\r\n'),
    );
    await h.advance(30 * MINUTE);
    const reply = await h.waitForAudit((r) => r.type === 'reply' && r.interviewId === id);
    expect(reply.message).toContain('dana@acme.example replied after the call ("Re: our call")');
    expect(reply.message).toContain('pending follow-ups stopped');
    expect(draftOf(await h.folder('Drafts'), 'noshow')).toBeUndefined();
    expect((await getInterview(h.runtime.store, id))?.status).toBe('done');
  });
});
