/**
 * The one decision on delivery reports, over the shapes mail servers really write (RFC 3464 from
 * Postfix, Gmail and Exchange Online; Exim's and qmail's plain text), and over what is not a
 * report of non-delivery: a delay warning, an ordinary reply, garbage.
 */
import { describe, expect, it } from 'vitest';
import { mayBeDeliveryReport, parseDeliveryReport, REASON_LIMIT } from '../../../src/providers/mail/delivery-report.js';
import { delayReport, deliveryReport, REPORT_SHAPES } from '../../support/delivery-reports.js';

const input = {
  messageId: '<ringback.iv1.confirmation.2@example.org>',
  recipient: 'lee@corp.example',
  sender: 'ada@example.org',
  subject: 'Confirming our call on Tuesday at 10:00',
  date: Date.UTC(2031, 2, 4, 15),
};

describe('parseDeliveryReport', () => {
  it.each(REPORT_SHAPES)('reads a %s report: the bounced Message-ID, the recipient, a status and a reason', (shape) => {
    const report = parseDeliveryReport(Buffer.from(deliveryReport(shape, input), 'utf8'));
    expect(report).not.toBeNull();
    expect(report?.originalMessageIds).toContain(input.messageId);
    expect(report?.failures).toHaveLength(1);
    const failure = report?.failures[0];
    expect(failure?.recipient).toBe('lee@corp.example');
    expect(failure?.status).toMatch(/^5\.1\.1/);
    expect(failure?.reason.length).toBeGreaterThan(5);
    expect(failure?.reason).not.toMatch(/[\r\n]/);
  });

  it('names the shape it read', () => {
    expect(parseDeliveryReport(deliveryReport('exchange', input))?.format).toBe('delivery-status');
    expect(parseDeliveryReport(deliveryReport('exim', input))?.format).toBe('plain-text');
  });

  it('keeps what the receiving server said', () => {
    expect(parseDeliveryReport(deliveryReport('exchange', input))?.failures[0]).toEqual({
      recipient: 'lee@corp.example',
      status: '5.1.10',
      reason: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    });
    expect(parseDeliveryReport(deliveryReport('qmail', input))?.failures[0]?.reason).toBe('Sorry, no mailbox here by that name. (#5.1.1)');
    expect(parseDeliveryReport(deliveryReport('exim', input))?.failures[0]?.reason).toContain('550 5.1.1 No such user here');
  });

  it('never counts the report’s own Message-ID as the bounced one', () => {
    const report = parseDeliveryReport(deliveryReport('postfix', input));
    expect(report?.originalMessageIds).toEqual([input.messageId]);
  });

  it('names our Message-ID from the X-Ringback-Ref of the attached original when the server wrote its own Message-ID', () => {
    const rewritten = deliveryReport('exchange', input).replace(`Message-ID: ${input.messageId}`, `Message-ID: <PH0PR11MB0001.rewritten@outlook.example>\r\nX-Ringback-Ref: ${input.messageId}`);
    expect(parseDeliveryReport(rewritten)?.originalMessageIds).toEqual(['<PH0PR11MB0001.rewritten@outlook.example>', input.messageId]);
  });

  it('does not take a delay warning for a failure', () => {
    expect(parseDeliveryReport(delayReport(input))).toBeNull();
  });

  it('does not take an ordinary reply, or one that quotes our Message-ID, for a report', () => {
    const reply = [
      'From: Lee Chen <lee@corp.example>',
      'To: ada@example.org',
      'Subject: Re: Confirming our call on Tuesday at 10:00',
      `In-Reply-To: ${input.messageId}`,
      'Message-ID: <reply-1@corp.example>',
      '',
      'Sounds good. 550 people will be on the call.',
      `Message-ID: ${input.messageId}`,
    ].join('\r\n');
    expect(parseDeliveryReport(reply)).toBeNull();
  });

  it('answers garbage, an empty message and a broken report with null, never an error', () => {
    for (const raw of ['', '\u0000\u0001garbage', 'Content-Type: multipart/report; boundary=\r\n\r\n--\r\n', Buffer.from([0xff, 0xfe, 0x00])]) {
      expect(parseDeliveryReport(raw)).toBeNull();
    }
    const noRecipients = deliveryReport('postfix', input).replace(/Final-Recipient: [^\r]*\r\n/, '').replace(/Original-Recipient: [^\r]*\r\n/, '');
    expect(parseDeliveryReport(noRecipients)).toBeNull();
  });

  it('keeps a hostile reason to one short line', () => {
    const long = deliveryReport('postfix', input).replace('User unknown in virtual mailbox table', `${'x'.repeat(5000)}\u0007\u001b[31m`);
    const reason = parseDeliveryReport(long)?.failures[0]?.reason ?? '';
    expect(reason.length).toBeLessThanOrEqual(REASON_LIMIT);
    expect([...reason].some((c) => c.charCodeAt(0) < 0x20)).toBe(false);
  });

  it('reads base64 parts and encoded-word subjects', () => {
    const body = Buffer.from(`Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: rfc822; lee@corp.example\r\nAction: failed\r\nStatus: 5.2.2\r\n`).toString('base64');
    const raw = [
      'From: =?UTF-8?B?TWFpbCBEZWxpdmVyeQ==?= <postmaster@mx.example>',
      'Subject: =?UTF-8?Q?Non-delivery_report?=',
      `References: ${input.messageId}`,
      'Content-Type: multipart/report; report-type=delivery-status; boundary=X',
      '',
      '--X',
      'Content-Type: message/delivery-status',
      'Content-Transfer-Encoding: base64',
      '',
      body,
      '--X--',
    ].join('\r\n');
    expect(parseDeliveryReport(raw)).toEqual({
      originalMessageIds: [input.messageId],
      failures: [{ recipient: 'lee@corp.example', status: '5.2.2', reason: 'the mailbox is full or disabled' }],
      format: 'delivery-status',
    });
  });
});

describe('mayBeDeliveryReport', () => {
  it.each([
    [{ from: 'Mail Delivery Subsystem <mailer-daemon@googlemail.com>', subject: 'Delivery Status Notification (Failure)' }, true],
    [{ from: 'Microsoft Outlook <postmaster@contoso.onmicrosoft.com>', subject: 'Undeliverable: Confirming our call' }, true],
    [{ from: 'MAILER-DAEMON@mail.example.org', subject: 'failure notice' }, true],
    [{ from: 'someone@else.example', subject: 'Mail delivery failed: returning message to sender' }, true],
    [{ from: 'lee@corp.example', subject: 'Re: Confirming our call', contentType: 'multipart/report; report-type=delivery-status' }, true],
    [{ from: 'lee@corp.example', subject: 'Re: Confirming our call' }, false],
    [{ from: null, subject: null }, false],
  ])('%j → %s', (meta, expected) => {
    expect(mayBeDeliveryReport(meta)).toBe(expected);
  });
});
