/**
 * Bounces end to end on the embedded default (real Redis, real workers, Maildir): a confirmation
 * is sent, a report of non-delivery for it arrives in the Inbox, and the reconcile job records it
 * once: audit, `interviews --json`, the dashboard's week view. A report about someone else's mail
 * changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileProcessor } from '../../workers/reconcile.js';
import { interviewViews } from '../../src/read/interviews.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { checkDeliveryReports } from '../../src/engine/undelivered.js';
import { deliveryReport } from '../support/delivery-reports.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function sentConfirmation(uid: string): Promise<{ harness: EngineHarness; id: string; messageId: string }> {
  const harness = await startEngineHarness();
  h = harness;
  await harness.setEvents([interviewEvent({ uid, start: harness.now() + 15 * MINUTE + 3_000 })]);
  await harness.start();
  await harness.sync();
  const id = interviewIdFor('cal', uid);
  await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
  return { harness, id, messageId: `<ringback.${id}.confirmation.1@example.org>` };
}

const report = (messageId: string, now: number, shape: 'exchange' | 'gmail' = 'exchange') =>
  deliveryReport(shape, { messageId, recipient: 'dana@acme.example', sender: CANDIDATE.email, subject: 'Confirming our call', date: now });

describe('a sent email that bounces', () => {
  it('is shown as not delivered, with the reason, and told once', async () => {
    const { harness, id, messageId } = await sentConfirmation('bounce1');
    // Sent, nothing came back yet: the mailbox is read, nothing is recorded.
    expect(await checkDeliveryReports(harness.engine)).toEqual({ watched: 1, undelivered: 0 });

    await harness.deliverToInbox(report(messageId, harness.now()));
    expect(await reconcileProcessor(harness.engine)()).toContain('1 of 1 sent emails reported not delivered');

    const told = (await harness.audit(id)).filter((r) => r.type === 'undelivered');
    expect(told).toHaveLength(1);
    expect(told[0]?.message).toContain('confirmation for "Phone screen with Dana (Acme)" was NOT delivered to dana@acme.example');
    expect(told[0]?.message).toContain('RESOLVER.ADR.RecipientNotFound');
    const view = (await interviewViews(harness.runtime.store)).find((v) => v.id === id);
    expect(view?.undelivered).toEqual([
      {
        kind: 'confirmation',
        recipient: 'dana@acme.example',
        status: '5.1.10',
        reason: '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        reportedAt: expect.any(String) as string,
      },
    ]);

    // A second report of the same bounce (Gmail's copy), a second look: still said once.
    await harness.deliverToInbox(report(messageId, harness.now(), 'gmail'));
    expect(await checkDeliveryReports(harness.engine)).toEqual({ watched: 1, undelivered: 0 });
    expect((await harness.audit(id)).filter((r) => r.type === 'undelivered')).toHaveLength(1);
  });

  it('ignores a report about a message ringback did not send', async () => {
    const { harness, id } = await sentConfirmation('bounce2');
    await harness.deliverToInbox(report('<someone-else.1@example.org>', harness.now()));
    expect(await checkDeliveryReports(harness.engine)).toEqual({ watched: 1, undelivered: 0 });
    expect((await interviewViews(harness.runtime.store)).find((v) => v.id === id)?.undelivered).toEqual([]);
  });
});
