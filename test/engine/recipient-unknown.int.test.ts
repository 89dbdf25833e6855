/**
 * A confirmation whose recipient the SMTP server refuses at RCPT as having no mailbox, through the
 * daemon: Postfix's "550 5.1.1 <…>: Recipient address rejected: User unknown in virtual mailbox
 * table" (mailcow/mailcow-dockerized#893; the address is the test interviewer's). The same address
 * would be refused again, so it is not tried again; the account is not in trouble; the draft stays;
 * and the audit and the note in Drafts say that the server knows no mailbox at that address and to
 * check the address, not "send it yourself if it still reads right", which the note said before:
 * the user would have sent the same draft to the same address.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getAccountStatus } from '../../src/store/accounts.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent } from '../support/engine-harness.js';
import { startRelayedHarness, type RelayedHarness } from '../support/relayed-harness.js';

let relayed: RelayedHarness | null = null;
afterEach(async () => {
  await relayed?.stop();
  relayed = null;
});

/** The messages of a Maildir folder (its new/ and cur/). */
async function filesIn(dir: string): Promise<string[]> {
  const names = await Promise.all(['new', 'cur'].map(async (sub) => (await readdir(join(dir, sub)).catch(() => [])).map((name) => join(sub, name))));
  return names.flat();
}

describe("a confirmation whose recipient's address has no mailbox", () => {
  it('is not tried again, keeps its draft, leaves the account alone, and says to check the address', async () => {
    relayed = await startRelayedHarness('unknown', { timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 } });
    const { harness, relay, folder } = relayed;
    const start = Math.floor(harness.now() / 1000) * 1000 + 40 * MINUTE;
    await harness.setEvents([interviewEvent({ uid: 'unknown1', start })]);
    await harness.start({ probeEveryMs: 200 });
    await harness.waitForAudit((r) => r.type === 'drafted');

    // Refused once only: a retry would go through, and be seen.
    relay.failNext({ stage: 'rcpt', code: 550, message: '5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table' });
    await harness.advance(26 * MINUTE);
    const failed = await harness.waitForAudit((r) => r.type === 'error' && r.message.includes('failed for good'), 40_000);
    expect(failed.message).toContain('550 5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table');
    expect(failed.message).toMatch(/no mailbox at the address this email was written to/);
    expect(failed.message).toMatch(/check the address in its To line against the invitation/);
    const [call] = await listInterviews(harness.runtime.store);
    const send = (await getActionRecords(harness.runtime.store, call!.id)).find((r) => r.kind === 'confirmation-send');
    expect(send).toMatchObject({ state: 'failed', plain: 'the mail server says there is no mailbox at the address it was written to' });

    // Nothing is tried again, nothing is taken out of Drafts, and the account is not in trouble.
    await harness.advance(2 * MINUTE);
    expect(relay.messages).toHaveLength(0);
    // The note is written right after the failure is recorded: waited for, not raced.
    await harness.waitForAudit((r) => r.type === 'drafted' && r.message.includes('not sent is in your Drafts'));
    const drafts = await Promise.all((await filesIn(join(folder, '.Drafts'))).map((f) => readFile(join(folder, '.Drafts', f), 'utf8')));
    expect(drafts).toHaveLength(2);
    const note = drafts.find((d) => /^Message-ID:.*\.notice\./im.test(d));
    const noteText = (note ?? '').replace(/=\r?\n/g, '').replace(/\s+/g, ' ');
    expect(noteText).toContain('was not sent. What happened: the mail server says there is no mailbox at the address it was written to.');
    expect(noteText).toContain("the confirmation's draft is in your Drafts. Check the address in its To line against the invitation and correct it before you send it, or write them a short note of your own.");
    // Not the old step, nor the server's reply or the address it quotes.
    expect(noteText).not.toMatch(/send it yourself|5\.1\.1|User unknown|its reply/);
    expect(await filesIn(join(folder, '.Sent'))).toHaveLength(0);
    expect((await getAccountStatus(harness.runtime.store, 'mail')).attention).toBeNull();
    expect((await harness.audit()).filter((r) => r.type === 'account')).toHaveLength(0);
  }, 120_000);
});
