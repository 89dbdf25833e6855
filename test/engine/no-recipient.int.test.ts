/**
 * An invitation an ATS sent from a no-reply address, with nobody else on it to write to (the
 * Greenhouse-style invitation of the held-out detection set): the interview is recorded and listed
 * like any other, every draft is written without a recipient, and nothing is ever sent. Real Redis,
 * real workers, the ics source and the Maildir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NO_ADDRESS_NOTE } from '../../src/domain/counterpart.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { NOT_ADDRESSED } from '../../src/domain/plan.js';
import { renderInterview } from '../../src/http/pages/interview.js';
import { interviewViews } from '../../src/read/interviews.js';
import { getEmail } from '../../src/store/drafts.js';
import { getInterview, getActionRecords } from '../../src/store/interviews.js';
import { createMaildirClient } from '../providers/mail/maildir-client.js';
import { MINUTE, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const DESCRIPTION =
  'Hi Ada,\n\nThanks for taking the time to speak with us! Here are the details of your upcoming interview for Senior Analyst.\n\n' +
  'Interview: Recruiter Phone Screen\nInterviewer: Sam Lee, Talent Partner\nDuration: 30 minutes\n\n' +
  'Sam will call you at (415) 555-0100 at the time above.\n\nBest,\nThe Fabrikam Recruiting Team';

describe('an invitation from a no-reply address', () => {
  it('is listed with no address; the confirmation stays a draft without a recipient; the follow-ups are drafted; nothing is sent', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 } });
    h = harness;
    const start = Math.floor((harness.now() + 2 * HOUR) / 1000) * 1000;
    await harness.setEvents([
      {
        uid: 'greenhouse',
        title: 'Interview with Fabrikam',
        start,
        end: start + 30 * MINUTE,
        description: DESCRIPTION,
        organizer: { name: 'Fabrikam Recruiting', email: 'no-reply@fabrikam.example' },
        attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }],
      },
    ]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'greenhouse');

    const found = await harness.waitForAudit((r) => r.type === 'detected' && r.interviewId === id);
    expect(found.message).toContain('with Sam Lee (no address)');
    expect(found.message).toContain(NO_ADDRESS_NOTE);
    const [view] = (await interviewViews(harness.runtime.store)).filter((v) => v.id === id);
    expect(view).toMatchObject({
      counterpart: { name: 'Sam Lee', email: null },
      company: 'fabrikam.example',
      direction: 'interviewer-calls',
      number: '+14155550100',
      status: 'scheduled',
    });
    // Planned for a recipient the user writes into the draft; none written, it stays a draft.
    expect(view?.actions.find((a) => a.kind === 'confirmation-send')).toMatchObject({ state: 'pending' });

    // The confirmation: written now (inside the draft horizon), with no To, greeting Sam.
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('it has no recipient (no address to write to): add one in the draft and it is sent to them'));
    const interview = await getInterview(harness.runtime.store, id);
    if (interview === null) throw new Error('the interview was not recorded');
    const confirmation = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.confirmation`));
    expect(confirmation?.mail.to).toBeUndefined();
    expect(confirmation?.mail.text).toMatch(/^Hi Sam,\n/);

    // The dashboard's page of the interview says why nothing is sent.
    const page = (await renderInterview(harness.engine, interview, 'csrf-token')).value;
    expect(page).toContain('No address to write to');
    expect(page).toContain('Sam Lee (no address)');

    // At its time, the draft still has no recipient: it stays in Drafts, and the audit says why.
    await harness.advance(HOUR + 46 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'kept-as-draft' && r.interviewId === id && r.message === NOT_ADDRESSED);
    expect((await getActionRecords(harness.runtime.store, id)).find((a) => a.kind === 'confirmation-send')).toMatchObject({ state: 'kept-as-draft' });
    expect((await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`${id}.confirmation`))).toHaveLength(1);

    // Someone writes to the candidate after the call starts: without an address it cannot be told
    // to be the interviewer's reply, so the follow-ups go on.
    await harness.deliverToInbox(
      `From: Sam Lee <sam.lee@fabrikam.example>\r\nTo: ada@example.org\r\nSubject: Running late\r\nMessage-ID: <late-1@fabrikam.example>\r\n` +
        `Date: ${new Date(start + MINUTE).toUTCString()}\r\n\r\nFive minutes late, sorry.\r\n`,
    );
    await harness.advance(29 * MINUTE); // T + wait
    const noshowLine = await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    expect(noshowLine.message).toContain('it has no recipient: add it in the draft before you send it');
    const noshow = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.noshow`));
    expect(noshow?.mail.to).toBeUndefined();
    expect(noshow?.mail.text).toMatch(/^Hi Sam,\n/);
    expect((await harness.audit(id)).some((r) => r.type === 'reply')).toBe(false);

    // Unsent at T + giveUp: removed, the call assumed held; then the thank-you, also without a recipient.
    await harness.advance(15 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    await harness.advance(30 * MINUTE + 60 * MINUTE + MINUTE);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    const thanks = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.thankyou`));
    expect(thanks?.mail.to).toBeUndefined();
    expect(thanks?.mail.text).toMatch(/^Hi Sam,\n/);

    expect((await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes(id))).toHaveLength(0);
    expect((await harness.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(0);
  });

  it('sends the confirmation, at its time and as it stands, to a recipient the user wrote into the draft', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 } });
    h = harness;
    const start = Math.floor((harness.now() + 2 * HOUR) / 1000) * 1000;
    await harness.setEvents([
      {
        uid: 'addressed',
        title: 'Interview with Fabrikam',
        start,
        end: start + 30 * MINUTE,
        description: DESCRIPTION,
        organizer: { name: 'Fabrikam Recruiting', email: 'no-reply@fabrikam.example' },
        attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }],
      },
    ]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'addressed');
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const record = await getEmail(harness.runtime.store, id, 'confirmation');
    if (!record) throw new Error('no confirmation recorded');
    expect(record.to).toBeNull();

    // Ada writes Sam's address (from the recruiter's earlier email) into the draft in her mail client.
    await createMaildirClient(harness.maildir).userAddressesDraft(record.ref, { name: 'Sam Lee', email: 'sam.lee@fabrikam.example' });
    await harness.advance(HOUR + 46 * MINUTE);
    const sentLine = await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(sentLine.message).toContain('confirmation sent to sam.lee@fabrikam.example');
    const sent = (await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes(`${id}.confirmation`) || f.mail.headers.get('x-ringback-ref') === record.ref.messageId);
    expect(sent).toHaveLength(1);
    const to = sent[0]?.mail.to;
    expect((Array.isArray(to) ? to : to ? [to] : []).flatMap((a) => a.value.map((v) => v.address))).toEqual(['sam.lee@fabrikam.example']);
    expect(sent[0]?.mail.text).toMatch(/^Hi Sam,\n/);
    expect(await getEmail(harness.runtime.store, id, 'confirmation')).toMatchObject({ state: 'sent', to: 'sam.lee@fabrikam.example' });
    expect((await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`${id}.confirmation`))).toHaveLength(0);

    // The follow-ups are still for Ada to address: written without a recipient, so in no thread.
    await harness.advance(29 * MINUTE); // T + wait
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const noshow = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.noshow`));
    expect(noshow?.mail.to).toBeUndefined();
    expect(noshow?.mail.inReplyTo).toBeUndefined();
  });
  it('keeps the recipient the user wrote into the draft when the call moves, and sends it to them at the new time', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 } });
    h = harness;
    const start = Math.floor((harness.now() + 2 * HOUR) / 1000) * 1000;
    const event = (at: number) => ({
      uid: 'addressed-then-moved',
      title: 'Interview with Fabrikam',
      start: at,
      end: at + 30 * MINUTE,
      description: DESCRIPTION,
      organizer: { name: 'Fabrikam Recruiting', email: 'no-reply@fabrikam.example' },
      attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' as const }],
    });
    await harness.setEvents([event(start)]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'addressed-then-moved');
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const record = await getEmail(harness.runtime.store, id, 'confirmation');
    if (!record) throw new Error('no confirmation recorded');
    await createMaildirClient(harness.maildir).userAddressesDraft(record.ref, { name: 'Sam Lee', email: 'sam.lee@fabrikam.example' });

    // Fabrikam moves the call half an hour later: the draft is rewritten for the new time, and the
    // address Ada typed stays in it (ringback has none of its own to put there).
    const later = start + 30 * MINUTE;
    await harness.setEvents([event(later)]);
    await harness.sync();
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('rewritten'));
    const drafts = (await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`${id}.confirmation`));
    expect(drafts).toHaveLength(1);
    const draftTo = drafts[0]?.mail.to;
    expect((Array.isArray(draftTo) ? draftTo : draftTo ? [draftTo] : []).flatMap((a) => a.value.map((v) => v.address))).toEqual(['sam.lee@fabrikam.example']);
    expect(await getEmail(harness.runtime.store, id, 'confirmation')).toMatchObject({ state: 'draft', to: null, start: later });

    await harness.advance(HOUR + 46 * MINUTE + 30 * MINUTE);
    const sentLine = await harness.waitForAudit((r) => (r.type === 'sent' || r.type === 'kept-as-draft') && r.interviewId === id);
    expect(sentLine.message).toContain('confirmation sent to sam.lee@fabrikam.example');
    expect(await getEmail(harness.runtime.store, id, 'confirmation')).toMatchObject({ state: 'sent', to: 'sam.lee@fabrikam.example', start: later });
  });
});
