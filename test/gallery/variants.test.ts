/**
 * Every email in docs/emails/ (the same variants `npm run emails` renders), read against the rules
 * a careful candidate keeps: length, zones only when known, greeting, subject, threading, no quoted
 * title, proposed times inside both parties' hours. And the committed gallery is what the
 * templates write today.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../src/gallery/render.js';
import { START, WORKING_HOURS, variants, type Variant } from '../../src/gallery/variants.js';
import { minuteOfDayIn, parseClock, weekdayIn } from '../../src/domain/time.js';
import { interviewRecipientClock, recipientZoneAt, zoneWords } from '../../src/domain/zones.js';
import { restDaysOf, workingDaysOf } from '../../src/domain/working-week.js';
import { regionOfZone } from '../../src/domain/detection/words.js';
import { regionOf } from '../../src/domain/phone.js';

const all = variants();
const words = (text: string): number => text.split(/\s+/).filter((word) => word !== '').length;
const LIMIT: Record<Variant['kind'], number> = { noshow: 100, apology: 90, confirmation: 120, thankyou: 120, notice: 120 };

describe('the gallery\'s recruiters abroad', () => {
  it('are called at a number of their own country, as their invitation would give it', () => {
    const abroad = all.flatMap((v) => {
      const country = v.recipientZone === null ? undefined : regionOfZone(v.recipientZone);
      return v.interview.direction === 'candidate-calls' && v.interview.number !== null && country !== undefined ? [{ name: v.name, number: v.interview.number, country }] : [];
    });
    expect(abroad.map((a) => a.name)).toEqual(expect.arrayContaining(['confirmation-recipient-berlin', 'confirmation-recipient-sydney', 'noshow-1-recipient-auckland']));
    for (const a of abroad) expect(regionOf(a.number), a.name).toBe(a.country);
  });
});

describe.each(all.map((v) => [v.name, v] as const))('%s', (_name, v) => {
  const { email, interview } = v;

  it('has the Message-ID the daemon gives it, with the interview\'s revision', () => {
    expect(email.messageId).toBe(`<ringback.iv3f9a0c12d4.${v.kind}.${interview.revision}@example.org>`);
  });

  it(`stays within ${LIMIT[v.kind]} words`, () => {
    expect(words(email.text)).toBeLessThanOrEqual(LIMIT[v.kind]);
  });

  it('never quotes the event title, a name in the subject, or "<>"', () => {
    expect(email.text).not.toContain(interview.title);
    expect(email.text).not.toMatch(/[“”"]/);
    expect(email.subject).not.toMatch(/<|>|Whitfield|Dana|Ada|Park/);
    expect(email.subject.length).toBeLessThanOrEqual(90);
    // Never cut mid-word: a subject ends with a whole word or a time.
    expect(email.subject).not.toMatch(/…$/);
  });

  it('greets a person by first name and a team or no name with "Hello,"; a note to the candidate says first that it is theirs alone', () => {
    if (v.kind === 'notice') {
      expect(email.text.split('\n')[0]).toBe('A note from ringback, for you only: this note goes to nobody else.');
      return;
    }
    const person = /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(interview.counterpart.name) && !/Team|Talent/.test(interview.counterpart.name);
    expect(email.text.split('\n')[0]).toBe(person ? `Hi ${interview.counterpart.name.split(' ')[0]},` : 'Hello,');
  });

  it('shows the recipient’s zone only when it is known', () => {
    const own = zoneWords(interview.start, v.candidate.timezone);
    // Their zone, or the offset the invitation stated for this call's instant.
    const recipient = recipientZoneAt(interviewRecipientClock(interview, v.recipientZone, v.candidate.timezone), interview.start);
    // A note to the candidate gives their own clock only.
    if (recipient === null || v.kind === 'notice') {
      expect(email.text).not.toContain('for you)');
      expect(email.text).not.toMatch(/\bUTC\b|GMT/);
    } else {
      const theirs = zoneWords(interview.start, recipient);
      if (theirs !== own) expect(email.text).toContain(`${theirs} for you)`);
    }
  });

  it('is threaded only under a message the recipient received, with "Re:" and that subject', () => {
    if (v.replyTo === null) {
      expect(email.inReplyTo).toBeUndefined();
      expect(email.references).toBeUndefined();
      expect(email.subject).not.toMatch(/^Re:/i);
    } else {
      expect(email.subject).toBe(`Re: ${v.replyTo.subject}`);
      expect(email.inReplyTo).toBe(v.replyTo.messageId);
      expect(email.references).toEqual([v.replyTo.messageId]);
    }
    if (v.kind === 'thankyou') expect(email.subject).toMatch(/^Thank you/);
  });

  it('proposes only times both can take, never within two hours', () => {
    for (const slot of v.slots) {
      expect(slot.start).toBeGreaterThanOrEqual(v.sentAt + 2 * 3_600_000);
      const zone = v.candidate.timezone;
      expect(workingDaysOf(zone)).toContain(weekdayIn(zone, slot.start));
      expect(minuteOfDayIn(zone, slot.start)).toBeGreaterThanOrEqual(parseClock(WORKING_HOURS.start));
      expect(minuteOfDayIn(zone, slot.end)).toBeLessThanOrEqual(parseClock(WORKING_HOURS.end));
      if (v.recipientZone !== null) {
        expect(minuteOfDayIn(v.recipientZone, slot.start)).toBeGreaterThanOrEqual(8 * 60);
        expect(minuteOfDayIn(v.recipientZone, slot.end)).toBeLessThanOrEqual(18 * 60);
        expect(restDaysOf(v.recipientZone)).not.toContain(weekdayIn(v.recipientZone, slot.start));
      }
      const stated = v.interview.statedOffset;
      if (v.recipientZone === null && stated !== undefined) {
        // Only an offset is known of them: the times fall in 08:00–18:00 on it, here with no clock change near.
        const minute = (t: number): number => Math.round((((t + stated.offset * 60_000) % 86_400_000) + 86_400_000) % 86_400_000 / 60_000);
        expect(minute(slot.start)).toBeGreaterThanOrEqual(8 * 60);
        expect(minute(slot.end)).toBeLessThanOrEqual(18 * 60);
      }
    }
  });

  it('the committed gallery file is what the templates write', async () => {
    const index = all.indexOf(v) + 1;
    const file = join(import.meta.dirname, '..', '..', 'docs', 'emails', `${String(index).padStart(2, '0')}-${v.name}.txt`);
    expect(await readFile(file, 'utf8')).toBe(renderEmail(email, v.sentAt, v.candidate.timezone));
  });
});

describe('the gallery as a whole', () => {
  const byName = new Map(all.map((v) => [v.name, v]));
  const text = (name: string): string => byName.get(name)?.email.text ?? '';

  it('covers every kind, direction and no-show level', () => {
    expect(new Set(all.map((v) => v.kind))).toEqual(new Set(['confirmation', 'noshow', 'apology', 'thankyou', 'notice']));
    expect(new Set(all.map((v) => v.interview.direction))).toEqual(new Set(['candidate-calls', 'interviewer-calls', 'unknown']));
    expect(all.filter((v) => v.kind === 'noshow').map((v) => v.name.split('-')[1])).toEqual(expect.arrayContaining(['1', '2', '3']));
  });

  it('no-show levels 2 and 3 are different notes, and no no-show thanks them for their time', () => {
    expect(text('noshow-2-call-me')).toContain('second time');
    expect(text('noshow-3-pattern')).not.toContain('second time');
    for (const v of all.filter((x) => x.kind === 'noshow')) expect(v.email.text).not.toMatch(/thank/i);
  });

  it('a no-show note stays available at least 30 minutes after it is written', () => {
    // Written at 3:15 PM Eastern: available until 3:45 PM.
    for (const name of ['noshow-1-interviewer-calls', 'noshow-2-call-me', 'noshow-3-pattern']) expect(text(name)).toContain('3:45 PM Eastern');
  });

  it('who dials is settled in every confirmation', () => {
    expect(text('confirmation-unknown-direction-utc-event')).toContain('Will you call me at +1 212-555-0100, or should I call you?');
    expect(text('confirmation-candidate-calls-no-number')).toContain('could you let me know the best number');
  });

  it('three times on different days and at different times of day when both have room', () => {
    const slots = byName.get('noshow-1-candidate-calls-pacific')?.slots ?? [];
    expect(slots).toHaveLength(3);
    expect(new Set(slots.map((s) => new Date(s.start).getUTCDate())).size).toBe(3);
    expect(new Set(slots.map((s) => minuteOfDayIn('America/New_York', s.start))).size).toBe(3);
  });

  it('a phone interview on a meeting bridge is worded as dialling in, in every kind it changes', () => {
    expect(text('confirmation-dial-in')).toContain('I will dial in with the number and meeting ID from the invitation');
    expect(text('confirmation-dial-in')).not.toMatch(/best number|for your call/);
    expect(text('noshow-1-dial-in')).toContain('I joined with the dial-in details from the invitation and waited on the line');
    expect(text('noshow-1-dial-in')).toContain('please call me at +1 212-555-0100');
    expect(text('apology-dial-in')).toContain('I am sorry I did not dial in as planned');
  });

  it('the thank-you thanks for flexibility after a move or a same-company no-show, not otherwise', () => {
    expect(byName.get('thankyou-plain')?.flexibility).toBe(false);
    expect(text('thankyou-after-move')).toContain('flexibility');
    expect(text('thankyou-after-noshow')).toContain('flexibility');
  });

  it('an invitation from a no-reply address gives drafts without a recipient, of every kind', () => {
    const addressless = all.filter((v) => v.interview.counterpart.email === null);
    expect(new Set(addressless.map((v) => v.kind))).toEqual(new Set(['confirmation', 'noshow', 'apology', 'thankyou']));
    for (const v of addressless) {
      expect(v.email.to).toEqual([]);
      expect(renderEmail(v.email, v.sentAt, v.candidate.timezone)).toContain('To: (none yet');
    }
  });

  it('the note that a confirmation was not sent is to the candidate alone, says why in plain words, once, with no server reply', () => {
    const notes = all.filter((v) => v.kind === 'notice');
    expect(notes.map((v) => v.name)).toEqual(['notice-ringback-not-running', 'notice-mailbox-unusable', 'notice-refused-as-spam', 'notice-recipient-unknown']);
    for (const v of notes) {
      expect(v.email.to, v.name).toEqual([{ name: 'Ada Park', email: 'ada@example.org' }]);
      expect(v.email.subject).toBe('Not sent: your confirmation for Tuesday, March 10, 3:00 PM Eastern');
      // "not sent" in its subject and its second line, no more (its first line says the note goes to nobody else, not
      // "it has not been sent", which read as the confirmation); never the raw reply, nor "this email" (the note itself).
      expect(v.email.text.match(/not (?:been )?sent/g), v.name).toHaveLength(1);
      expect(v.email.text, v.name).not.toMatch(/its reply|SMTP|EMESSAGE|EENVELOPE|during DATA|during RCPT|5\.7\.1|5\.1\.1|User unknown|this email|missed:|\.\./);
      expect(v.email.text, v.name).toContain('has not had it. The call is still ahead');
    }
    expect(text('notice-ringback-not-running')).toContain('What happened: it was due Tue 10 Mar 14:00 EDT and did not run then (ringback was not running), and by the time it could the call was less than 10 minutes away.');
    expect(text('notice-mailbox-unusable')).toContain('What happened: mail could not be used from Tue 10 Mar 13:40 EDT to Tue 10 Mar 14:55 EDT, and by the time it could the call was less than 10 minutes away.');
    expect(text('notice-mailbox-unusable')).toContain('Your confirmation to Northwind Talent Team for');
    expect(text('notice-refused-as-spam')).toContain('What happened: the mail server took it for spam and refused it.');
    // Each sentence one thing: what happened, where the draft is, what to do with it (once).
    expect(text('notice-refused-as-spam')).toContain(
      "until it begins, the confirmation's draft is in your Drafts. Read it over and change what may look like spam (links, a long signature, wording) before you send it, or write them a short note of your own.",
    );
    // The interviewer's address refused as unknown: the step is the address, not sending it again as it is.
    expect(text('notice-recipient-unknown')).toContain('What happened: the mail server says there is no mailbox at the address it was written to.');
    expect(text('notice-recipient-unknown')).toContain(
      "until it begins, the confirmation's draft is in your Drafts. Check the address in its To line against the invitation and correct it before you send it, or write them a short note of your own.",
    );
    expect(text('notice-recipient-unknown')).not.toMatch(/dana@acme\.example|send it yourself/i);
    for (const name of ['notice-ringback-not-running', 'notice-mailbox-unusable']) {
      expect(text(name)).toContain("until it begins, the confirmation's draft is in your Drafts. Send it yourself if it still reads right, or write them a short note of your own.");
    }
    for (const v of notes) expect(v.email.text.match(/send it/gi) ?? [], v.name).toHaveLength(1);
  });

  it('the confirmation is dated when it is sent, not when it was drafted', () => {
    expect(byName.get('confirmation-interviewer-calls')?.sentAt).toBe(START - 3_600_000);
    expect(renderEmail(byName.get('confirmation-interviewer-calls')!.email, START - 3_600_000, 'America/New_York')).toContain('Date: Tue, 10 Mar 2026 14:00:00 -0400');
  });
});
