/**
 * A confirmation whose recipient the SMTP server refuses at RCPT as having no mailbox, through the
 * daemon: Postfix's "550 5.1.1 <…>: Recipient address rejected: User unknown in virtual mailbox
 * table" (mailcow/mailcow-dockerized#893; the address is the test interviewer's). The same address
 * would be refused again, so it is not tried again; the account is not in trouble; the draft stays;
 * and the audit and the note in Drafts say that the server knows no mailbox at that address and to
 * check the address, not "send it yourself if it still reads right", which the note said before:
 * the user would have sent the same draft to the same address.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getAccountStatus } from '../../src/store/accounts.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { confirmationRefusedOnce, filesIn, startRelayedHarness, type RelayedHarness } from '../support/relayed-harness.js';

let relayed: RelayedHarness | null = null;
afterEach(async () => {
  await relayed?.stop();
  relayed = null;
});

describe("a confirmation whose recipient's address has no mailbox", () => {
  it('is not tried again, keeps its draft, leaves the account alone, and says to check the address', async () => {
    relayed = await startRelayedHarness('unknown', { timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 } });
    const { harness, relay, folder } = relayed;
    const refusal = '5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table';
    const { failed, drafts, note } = await confirmationRefusedOnce(relayed, 'unknown1', { stage: 'rcpt', code: 550, message: refusal });
    expect(failed.message).toContain(`550 ${refusal}`);
    expect(failed.message).toMatch(/no mailbox at the address this email was written to/);
    expect(failed.message).toMatch(/check the address in its To line against the invitation/);
    const [call] = await listInterviews(harness.runtime.store);
    const send = (await getActionRecords(harness.runtime.store, call!.id)).find((r) => r.kind === 'confirmation-send');
    expect(send).toMatchObject({ state: 'failed', plain: 'the mail server says there is no mailbox at the address it was written to' });

    // Nothing is tried again, nothing is taken out of Drafts, and the account is not in trouble.
    expect(relay.messages).toHaveLength(0);
    expect(drafts).toHaveLength(2);
    expect(note).toContain('was not sent. What happened: the mail server says there is no mailbox at the address it was written to.');
    expect(note).toContain("the confirmation's draft is in your Drafts. Check the address in its To line against the invitation and correct it before you send it, or write them a short note of your own.");
    // Not the old step, nor the server's reply or the address it quotes.
    expect(note).not.toMatch(/send it yourself|5\.1\.1|User unknown|its reply/);
    expect(await filesIn(join(folder, '.Sent'))).toHaveLength(0);
    expect((await getAccountStatus(harness.runtime.store, 'mail')).attention).toBeNull();
    expect((await harness.audit()).filter((r) => r.type === 'account')).toHaveLength(0);
  }, 120_000);
});
