/**
 * The delivery-report part of the mailbox contract: a report of non-delivery that arrives in the
 * Inbox after a send is found on every mailbox type, in each shape mail servers write
 * (test/support/delivery-reports.ts), and nothing else is taken for one. Run by
 * describeMailboxContract for every adapter.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Millis } from '../../../src/domain/types.js';
import type { MailboxHarness } from './contract.js';
import { delayReport, deliveryReport, REPORT_SHAPES, type ReportInput } from '../../support/delivery-reports.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export function describeDeliveryReports(harness: () => MailboxHarness): void {
  const report = (since: Millis, shape = REPORT_SHAPES[0]!, offset = 5 * MINUTE): { input: ReportInput; raw: Buffer; date: Millis } => {
    // Whole seconds: a Date header keeps no more.
    const date = Math.floor((since + offset) / 1000) * 1000;
    const input = {
      messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
      recipient: 'lee@corp.example',
      sender: 'ada@example.org',
      subject: 'Confirming our call on Tuesday at 10:00',
      date,
    };
    return { input, raw: Buffer.from(deliveryReport(shape, input), 'utf8'), date };
  };

  it('finds a delivery report in the Inbox in every shape mail servers write, naming the bounced Message-ID', async () => {
    const since = Math.floor(Date.now() / 1000) * 1000 - HOUR;
    const delivered = REPORT_SHAPES.map((shape, i) => ({ shape, ...report(since, shape, (i + 1) * MINUTE) }));
    for (const { raw, date } of delivered) await harness().deliverRaw(raw, date);
    const found = await harness().mailbox.deliveryReportsSince(since);
    for (const { shape, input } of delivered) {
      const one = found.find((r) => r.originalMessageIds.includes(input.messageId));
      expect(one, shape).toBeDefined();
      expect(one?.failures[0]?.recipient, shape).toBe('lee@corp.example');
    }
    expect(found).toHaveLength(REPORT_SHAPES.length);
  });

  it('leaves out reports from before the time asked, delay warnings and ordinary mail', async () => {
    const since = Math.floor(Date.now() / 1000) * 1000 - HOUR;
    const old = report(since, 'gmail', -2 * HOUR);
    await harness().deliverRaw(old.raw, old.date);
    const recent = report(since, 'exchange');
    await harness().deliverRaw(Buffer.from(delayReport(recent.input), 'utf8'), recent.date);
    await harness().deliverReply({ from: 'lee@corp.example', inReplyTo: recent.input.messageId, subject: 'Re: Confirming our call', date: recent.date });
    expect(await harness().mailbox.deliveryReportsSince(since)).toEqual([]);
  });
}
