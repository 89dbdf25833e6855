/**
 * A confirmation the SMTP server refuses as spam after its DATA, through the daemon: "550 5.7.1
 * Message rejected as spam by Content Filtering." (swiftmailer/swiftmailer#1244). The same text
 * would be refused again, so it is not tried again; the account is not in trouble (the next email
 * may go); the draft stays where the user can read it over and send it; and the interview's
 * record says, in plain words, that it was not sent and why. Before, the record held only the
 * server's reply ("SMTP …: EMESSAGE during DATA 550 5.7.1 …").
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

describe('a confirmation refused as spam', () => {
  it('is sent neither now nor later, keeps its draft, leaves the account alone, and says why in plain words', async () => {
    relayed = await startRelayedHarness('spam', { timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 } });
    const { harness, relay, folder } = relayed;
    const { failed, drafts, note } = await confirmationRefusedOnce(relayed, 'spam1', { stage: 'data', code: 550, message: '5.7.1 Message rejected as spam by Content Filtering.' });
    expect(failed.message).toContain('550 5.7.1 Message rejected as spam by Content Filtering.');
    expect(failed.message).toMatch(/took this email for spam/);
    expect(failed.message).toMatch(/still in Drafts/);
    const [call] = await listInterviews(harness.runtime.store);
    const send = (await getActionRecords(harness.runtime.store, call!.id)).find((r) => r.kind === 'confirmation-send');
    expect(send?.state).toBe('failed');
    expect(send?.note).toMatch(/it was not sent/);

    // Nothing is tried again, nothing is taken out of Drafts, and the account is not in trouble.
    expect(relay.messages).toHaveLength(0);
    // The confirmation's own draft, and beside it the note to the user that it was not sent.
    expect(drafts).toHaveLength(2);
    // In plain words, once: not the server's reply (kept in the audit above), nor "this email" (which
    // in the note reads as the note), nor a second "it was not sent" and "still in Drafts".
    expect(note).toContain('was not sent. What happened: the mail server took it for spam and refused it.');
    expect(note).toContain("the confirmation's draft is in your Drafts. Read it over and change what may look like spam (links, a long signature, wording) before you send it, or write them a short note of your own.");
    expect(note).not.toMatch(/its reply|EMESSAGE|5\.7\.1|this email|still in Drafts/);
    expect(await filesIn(join(folder, '.Sent'))).toHaveLength(0);
    expect((await getAccountStatus(harness.runtime.store, 'mail')).attention).toBeNull();
    expect((await harness.audit()).filter((r) => r.type === 'account')).toHaveLength(0);
  }, 120_000);
});
