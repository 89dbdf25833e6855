/**
 * The automatic-reply part of the mailbox contract: an out-of-office notice, a vacation responder
 * or a bounce that answers our message is reported as automatic (not the counterpart replying), on
 * every mailbox type; a person's answer is not, even one whose subject talks about being out of
 * office. Run by
 * describeMailboxContract for every adapter. The messages are written here as those systems write
 * them (the sources are cited in src/providers/mail/auto-reply.ts).
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Millis } from '../../../src/domain/types.js';
import type { Mailbox } from '../../../src/providers/mail/types.js';
import type { MailboxHarness } from './contract.js';
import { deliveryReport } from '../../support/delivery-reports.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LEE = 'lee@corp.example';
const ADA = 'ada@example.org';
const SUBJECT = 'Confirming our call on Tuesday at 10:00';

/** A message from Lee answering `ours`, with extra header lines and a subject. */
function answer(ours: string, at: Millis, subject: string, extra: readonly string[], from = `Lee Chen <${LEE}>`): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      `To: Ada Park <${ADA}>`,
      `Subject: ${subject}`,
      `Date: ${new Date(at).toUTCString()}`,
      `Message-ID: <${randomUUID()}@corp.example>`,
      `In-Reply-To: ${ours}`,
      `References: ${ours}`,
      ...extra,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset="utf-8"',
      '',
      'Thank you for your message.',
      '',
    ].join('\r\n'),
    'utf8',
  );
}

/** Sends a confirmation to Lee through the mailbox and returns its Message-ID. */
async function sentConfirmation(mailbox: Mailbox, at: Millis): Promise<string> {
  const messageId = `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`;
  await mailbox.send(
    await mailbox.createDraft({
      messageId,
      from: { name: 'Ada Park', email: ADA },
      to: [{ name: 'Lee Chen', email: LEE }],
      subject: SUBJECT,
      text: 'Hello Lee,\n\nI am looking forward to our call.\n\nAda',
      html: '<p>Hello Lee,</p><p>I am looking forward to our call.</p><p>Ada</p>',
      date: at,
    }),
  );
  return messageId;
}

export function describeAutoReplies(harness: () => MailboxHarness): void {
  it('marks an out-of-office, a vacation responder and a bounce as automatic; a person\'s answer is not', async () => {
    const since = Math.floor(Date.now() / 1000) * 1000 - HOUR;
    const ours = await sentConfirmation(harness().mailbox, since - HOUR);
    const at = (minutes: number): Millis => since + minutes * MINUTE;
    const automatic = [
      // Exchange / Microsoft 365 out-of-office.
      answer(ours, at(1), `Automatic reply: ${SUBJECT}`, [
        'Thread-Topic: Confirming our call on Tuesday at 10:00',
        'X-Auto-Response-Suppress: All',
        `X-MS-Exchange-Inbox-Rules-Loop: ${LEE}`,
        'Auto-Submitted: auto-generated',
        'X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent',
      ]),
      // Gmail's vacation responder: the subject is whatever the user set.
      answer(ours, at(2), 'Away until the 14th', ['Auto-Submitted: auto-replied']),
      // Sieve vacation (Dovecot Pigeonhole, Cyrus).
      answer(ours, at(3), `Auto: ${SUBJECT}`, ['Auto-Submitted: auto-replied (vacation)', 'Precedence: bulk']),
      // A Postfix vacation script that writes only its own header.
      answer(ours, at(4), `Re: ${SUBJECT}`, ['X-Autoreply: yes']),
      // An old responder that writes no header at all, only the subject.
      answer(ours, at(5), `Abwesenheitsnotiz: ${SUBJECT}`, []),
      // Gmail's bounce names our message in In-Reply-To and References.
      Buffer.from(deliveryReport('gmail', { messageId: ours, recipient: LEE, sender: ADA, subject: SUBJECT, date: at(6) }), 'utf8'),
    ];
    const people = [
      answer(ours, at(7), 'Out of office next week, can we move our call?', []),
      answer(ours, at(8), `Re: ${SUBJECT}`, ['Auto-Submitted: no']),
    ];
    for (const [i, raw] of [...automatic, ...people].entries()) await harness().deliverRaw(raw, at(i + 1));

    const replies = await harness().mailbox.repliesSince({ messageIds: [ours], counterpart: LEE }, since);
    // By arrival: what each message is, as the adapter must mark it.
    const expected = new Map<Millis, string | null>([
      [at(1), 'Auto-Submitted: auto-generated'],
      [at(2), 'Auto-Submitted: auto-replied'],
      [at(3), 'Auto-Submitted: auto-replied'],
      [at(4), 'X-Autoreply: yes'],
      [at(5), 'its subject starts with "Abwesenheitsnotiz:"'],
      [at(6), 'a delivery report'],
      [at(7), null],
      [at(8), null],
    ]);
    const seen = new Map(replies.map((reply) => [reply.date, reply.automatic]));
    // Everything Lee's address sent is found; the bounce comes from the mailer daemon, which only
    // the adapters that search by In-Reply-To find (Outlook looks by conversation and sender).
    for (const [date, automatic] of expected) {
      if (date === at(6) && !seen.has(date)) continue;
      expect({ date, automatic: seen.get(date) }).toEqual({ date, automatic });
    }
    expect(replies.filter((reply) => reply.automatic === null).map((reply) => reply.subject)).toEqual(['Out of office next week, can we move our call?', `Re: ${SUBJECT}`]);
  });
}
