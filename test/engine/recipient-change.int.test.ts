/**
 * Who received what, and what they were told. A coordinator books the call from their calendar, and the interviewer it is
 * with is named in the text only later (or the text names another attendee): the emails go to the
 * person on the call from then on. The event's facts (time, number, attendees) do not change, yet
 * the interview takes a new revision: a pending draft is rewritten to the new person, and no
 * follow-up is threaded under a confirmation only the coordinator received. Real Redis, real
 * workers, the ics source and the Maildir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getEmail, saveEmail } from '../../src/store/drafts.js';
import { getInterview } from '../../src/store/interviews.js';
import type { HarnessEvent } from '../providers/calendar/contract.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type MailFile } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const CASEY = { name: 'Casey Brooks', email: 'casey.brooks@contoso.example' };
const MORGAN = { name: 'Morgan Lee', email: 'morgan.lee@contoso.example' };

/**
 * A coordinator's invitation (GoodTime and Greenhouse send them from the coordinator's calendar,
 * the interviewer an attendee who has not answered), first without the interviewer's name, then
 * with the line those tools write ("Interviewer(s): …").
 */
function invitation(start: number, names: boolean): HarnessEvent {
  return {
    uid: 'coordinated',
    title: 'Phone screen – Contoso',
    start,
    end: start + 30 * MINUTE,
    description: `${names ? 'Interviewer: Morgan Lee\n' : ''}Phone interview for the Platform Engineer role. We will call you at (415) 555-0100.`,
    organizer: CASEY,
    attendees: [
      { name: CANDIDATE.name, email: CANDIDATE.email, status: 'accepted' },
      { ...MORGAN, status: 'needs-action' },
    ],
  };
}

function byKind(files: readonly MailFile[], id: string, kind: string): MailFile[] {
  return files.filter((f) => (f.mail.messageId ?? '').includes(`${id}.${kind}.`));
}

function toOf(file: MailFile | undefined): string[] {
  const to = file?.mail.to;
  const list = to === undefined ? [] : Array.isArray(to) ? to : [to];
  return list.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

async function started(start: (now: number) => number): Promise<{ h: EngineHarness; start: number; id: string }> {
  const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 } });
  h = harness;
  const at = Math.floor(start(harness.now()) / 1000) * 1000;
  await harness.setEvents([invitation(at, false)]);
  await harness.start();
  await harness.sync();
  const id = interviewIdFor('cal', 'coordinated');
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  return { h: harness, start: at, id };
}

describe('the counterpart changes while the event keeps its time', () => {
  it('rewrites the pending confirmation to the interviewer, sends it to them, and threads the no-show under it', async () => {
    const { h, start, id } = await started((now) => now + 60 * MINUTE);
    expect(toOf(byKind(await h.folder('Drafts'), id, 'confirmation')[0])).toEqual([CASEY.email]);

    await h.setEvents([invitation(start, true)]);
    await h.sync();
    const changed = await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id);
    expect(changed.message).toContain('the emails now go to Morgan Lee (was Casey Brooks)');
    expect((await getInterview(h.runtime.store, id))?.revision).toBe(2);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('rewritten'));
    const drafts = byKind(await h.folder('Drafts'), id, 'confirmation');
    expect(drafts).toHaveLength(1);
    expect(toOf(drafts[0])).toEqual([MORGAN.email]);
    expect(drafts[0]?.mail.text).toMatch(/^Hi Morgan,\n/);
    // A first confirmation for Morgan: nothing says "new time". (The call is an hour after the
    // test's real start: "tomorrow" when that is past midnight Eastern.)
    expect(drafts[0]?.mail.subject).toMatch(/^Confirming our phone interview (today|tomorrow) at /);

    await h.advance(46 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const sent = byKind(await h.folder('Sent'), id, 'confirmation');
    expect(sent.map(toOf)).toEqual([[MORGAN.email]]);
    expect(await getEmail(h.runtime.store, id, 'confirmation')).toMatchObject({ state: 'sent', to: MORGAN.email, revision: 2 });

    await h.advance(30 * MINUTE); // T + wait
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const [noshow] = byKind(await h.folder('Drafts'), id, 'noshow');
    expect(toOf(noshow)).toEqual([MORGAN.email]);
    expect(noshow?.mail.inReplyTo).toBe(`<ringback.${id}.confirmation.2@example.org>`);
    expect(noshow?.mail.subject).toBe(`Re: ${sent[0]?.mail.subject ?? ''}`);
  });

  it('does not thread the interviewer\'s no-show or thank-you under a confirmation only the coordinator received', async () => {
    const { h, start, id } = await started((now) => now + 60 * MINUTE);
    await h.advance(46 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(byKind(await h.folder('Sent'), id, 'confirmation').map(toOf)).toEqual([[CASEY.email]]);

    // Named under the minimum lead time: too late to confirm with Morgan.
    await h.advance(6 * MINUTE);
    await h.setEvents([invitation(start, true)]);
    await h.sync();
    await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id && r.message.includes('now go to Morgan Lee'));

    await h.advance(25 * MINUTE); // T + wait
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const [noshow] = byKind(await h.folder('Drafts'), id, 'noshow');
    expect(toOf(noshow)).toEqual([MORGAN.email]);
    expect(noshow?.mail.inReplyTo).toBeUndefined();
    expect(noshow?.mail.subject).toMatch(/^Our phone interview (today|yesterday) at /);
    expect(noshow?.mail.text).toMatch(/^Hi Morgan,\n/);
    // Morgan never got a confirmation: none was written or sent to them.
    expect(byKind(await h.folder('Sent'), id, 'confirmation')).toHaveLength(1);
    expect(byKind(await h.folder('Drafts'), id, 'confirmation')).toHaveLength(0);

    // Unsent at T + giveUp: the call is assumed held, and the thank-you goes to Morgan, on its own.
    await h.advance(15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    await h.advance(76 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    const [thanks] = byKind(await h.folder('Drafts'), id, 'thankyou');
    expect(toOf(thanks)).toEqual([MORGAN.email]);
    expect(thanks?.mail.inReplyTo).toBeUndefined();
    expect(thanks?.mail.text).toMatch(/^Hi Morgan,\n/);
    expect(thanks?.mail.text).not.toContain('flexibility');
  });
});

describe('the counterpart changes after a follow-up was drafted', () => {
  it('replaces the thank-you drafted to the coordinator with one to the interviewer, and says so', async () => {
    const { h, start, id } = await started((now) => now + 60 * MINUTE);
    await h.advance(46 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    await h.advance(20 * MINUTE);
    await recordOutcome(h.engine, id, 'held', 'cli');
    await h.advance(91 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    expect(byKind(await h.folder('Drafts'), id, 'thankyou').map(toOf)).toEqual([[CASEY.email]]);

    // The coordinator names the interviewer in the event once the call is over.
    await h.setEvents([invitation(start, true)]);
    await h.sync();
    const removed = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toContain(CASEY.email);
    expect(removed.message).toContain('thank-you');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you') && r.at > removed.at - 1);
    expect(byKind(await h.folder('Drafts'), id, 'thankyou').map(toOf)).toEqual([[MORGAN.email]]);
  });
});

describe('the counterpart changes after the user sent a follow-up', () => {
  it('does not write a second no-show note for the same call to the interviewer', async () => {
    const { h, start, id } = await started((now) => now + 60 * MINUTE);
    await h.advance(46 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    await h.advance(30 * MINUTE); // T + wait
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const [noshow] = byKind(await h.folder('Drafts'), id, 'noshow');
    expect(toOf(noshow)).toEqual([CASEY.email]);
    await h.userSends(noshow?.path as string);

    // The coordinator names the interviewer once the note has gone.
    await h.setEvents([invitation(start, true)]);
    await h.sync();
    await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id && r.message.includes('now go to Morgan Lee'));
    await h.advance(16 * MINUTE); // T + giveUp
    const outcome = await h.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id);
    expect(outcome.message).toContain('interviewer-no-show');
    const kept = await h.waitForAudit((r) => r.type === 'stale' && r.interviewId === id && r.message.includes('already sent'));
    expect(kept.message).toContain('no-show draft');
    expect(byKind(await h.folder('Drafts'), id, 'noshow')).toHaveLength(0);
    expect(byKind(await h.folder('Sent'), id, 'noshow').map(toOf)).toEqual([[CASEY.email]]);
    expect((await h.audit(id)).filter((r) => r.type === 'drafted' && r.message.includes('no-show'))).toHaveLength(1);
  });
});

describe('a confirmation recorded by an earlier version, which kept no recipient', () => {
  it.each([
    ['answers it when its copy in Sent went to the counterpart', false],
    ['starts a conversation of its own when the counterpart has changed since', true],
  ])('the no-show %s', async (_, handedOver) => {
    const { h, start, id } = await started((now) => now + 60 * MINUTE);
    await h.advance(46 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const record = await getEmail(h.runtime.store, id, 'confirmation');
    if (!record) throw new Error('no confirmation recorded');
    const { to: _to, start: _start, ...earlier } = record;
    await saveEmail(h.runtime.store, id, earlier);
    if (handedOver) {
      await h.advance(6 * MINUTE);
      await h.setEvents([invitation(start, true)]);
      await h.sync();
      await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id && r.message.includes('now go to Morgan Lee'));
    }
    await h.advance((handedOver ? 25 : 31) * MINUTE); // T + wait
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const [noshow] = byKind(await h.folder('Drafts'), id, 'noshow');
    expect(toOf(noshow)).toEqual([handedOver ? MORGAN.email : CASEY.email]);
    expect(noshow?.mail.inReplyTo).toBe(handedOver ? undefined : `<ringback.${id}.confirmation.1@example.org>`);
  });
});

describe('after a move', () => {
  it('the second confirmation says it confirms the new time and which one it replaces; the thank-you thanks them for their flexibility', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 } });
    h = harness;
    const start = Math.floor((harness.now() + 60 * MINUTE) / 1000) * 1000;
    await harness.setEvents([interviewEvent({ uid: 'moved', start })]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'moved');
    await harness.advance(46 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [first] = byKind(await harness.folder('Sent'), id, 'confirmation');
    expect(first?.mail.subject).toMatch(/^Confirming our phone interview /);

    // Dana moves the call an hour later, after the first confirmation went out.
    const later = start + 60 * MINUTE;
    await harness.setEvents([interviewEvent({ uid: 'moved', start: later })]);
    await harness.sync();
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('New time'));
    const [draft] = byKind(await harness.folder('Drafts'), id, 'confirmation');
    expect(draft?.mail.subject).toMatch(/^New time for our phone interview: (today|tomorrow) at /);
    const oldClock = clock(start);
    const newClock = clock(later);
    expect(draft?.mail.text).toContain(`to confirm the new time of our phone interview`);
    expect(draft?.mail.text).toMatch(new RegExp(`(today|tomorrow) at ${newClock} Eastern, instead of ([A-Z][a-z]+day, [A-Z][a-z]+ \\d+, )?${oldClock} Eastern\\.`));

    // Sent at the new time; the record says whom, and which time it named.
    await harness.advance(60 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id && r.message.includes('New time'));
    expect(await getEmail(harness.runtime.store, id, 'confirmation')).toMatchObject({ state: 'sent', to: 'dana@acme.example', start: later, revision: 2 });

    // The call is held: the thank-you mentions their flexibility.
    await harness.advance(30 * MINUTE);
    await recordOutcome(harness.engine, id, 'held', 'cli');
    await harness.advance(91 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
    const [thanks] = byKind(await harness.folder('Drafts'), id, 'thankyou');
    expect(thanks?.mail.text).toContain('for your flexibility in finding a new time for our call');
    expect(toOf(thanks)).toEqual(['dana@acme.example']);
  });
});

/** "3:00 PM" in New York, as the templates write the candidate's clock. */
function clock(t: number): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: CANDIDATE.timezone, hour: 'numeric', minute: '2-digit' }).format(new Date(t)).replace(/\u202f/g, ' ');
}

describe('a move and a move back', () => {
  it('does not send the interviewer a second confirmation of the time they already have', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 } });
    h = harness;
    const start = Math.floor((harness.now() + 60 * MINUTE) / 1000) * 1000;
    await harness.setEvents([interviewEvent({ uid: 'back', start })]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'back');
    await harness.advance(46 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);

    // Moved an hour later, then back to the time Dana confirmed, before the new one left.
    await harness.setEvents([interviewEvent({ uid: 'back', start: start + 60 * MINUTE })]);
    await harness.sync();
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('New time'));
    const back = harness.now();
    await harness.setEvents([interviewEvent({ uid: 'back', start })]);
    await harness.sync();
    await harness.waitForAudit((r) => r.type === 'planned' && r.interviewId === id && r.at >= back && r.message.includes('confirmation send'));
    await harness.advance(MINUTE);
    const drafted = await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.at > back);
    expect(drafted.message).toContain('it is not sent: they already have a confirmation of this time');
    const kept = await harness.waitForAudit((r) => (r.type === 'kept-as-draft' || r.type === 'sent') && r.interviewId === id && r.at > back);
    expect(kept.type).toBe('kept-as-draft');
    expect(kept.message).toContain('already got a confirmation of this time');
    expect(byKind(await harness.folder('Sent'), id, 'confirmation')).toHaveLength(1);
  });
});
