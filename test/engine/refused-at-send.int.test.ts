/**
 * A confirmation the SMTP relay takes for some of its recipients and refuses for the interviewer,
 * through the daemon: the user added the recruiter in Cc to the draft, and the relay answers the
 * interviewer's RCPT with Postfix's "550 5.1.1 <…>: Recipient address rejected: User unknown in
 * virtual mailbox table" (mailcow/mailcow-dockerized#893; the address is the test interviewer's).
 * nodemailer sends to the accepted recipient and resolves, so the confirmation left; before, it was
 * recorded as sent and nothing said that the interviewer did not get it: no report of a refusal
 * made at RCPT ever comes back. It is now recorded and told as a bounce is: "NOT delivered to …",
 * at once. It is not sent again: the recruiter has it.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { renderInterview } from '../../src/http/pages/interview.js';
import { interviewViews } from '../../src/read/interviews.js';
import { getEmail } from '../../src/store/drafts.js';
import { listInterviews } from '../../src/store/interviews.js';
import { getUndelivered } from '../../src/store/undelivered.js';
import { MINUTE, interviewEvent } from '../support/engine-harness.js';
import { startRelayedHarness, type RelayedHarness } from '../support/relayed-harness.js';

let relayed: RelayedHarness | null = null;
afterEach(async () => {
  await relayed?.stop();
  relayed = null;
});

/** Adds a Cc line under the To line of the one draft in the Maildir's Drafts, as a mail client saves an edit. */
async function addCc(folder: string, cc: string): Promise<void> {
  for (const sub of ['new', 'cur']) {
    const dir = join(folder, '.Drafts', sub);
    for (const name of await readdir(dir).catch(() => [])) {
      const path = join(dir, name);
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.replace(/^(To: .*\r?\n)/m, `$1Cc: ${cc}\r\n`));
      return;
    }
  }
  throw new Error('no draft in Drafts');
}

/**
 * A confirmation drafted, a Cc added to it by the user, and sent when due while the relay answers
 * the interviewer's RCPT (the envelope's first recipient, the To line's) with `code` `message`:
 * the audit's line about it.
 */
async function refusedAtRcpt(name: string, code: number, message: string) {
  relayed = await startRelayedHarness(name, { timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 } });
  const { harness, relay, folder } = relayed;
  const start = Math.floor(harness.now() / 1000) * 1000 + 40 * MINUTE;
  await harness.setEvents([interviewEvent({ uid: `${name}1`, start })]);
  await harness.start({ probeEveryMs: 200 });
  await harness.waitForAudit((r) => r.type === 'drafted');
  await addCc(folder, 'Rita Recruiter <rita@acme.example>');
  relay.failNext({ stage: 'rcpt', code, message });
  await harness.advance(26 * MINUTE);
  const told = await harness.waitForAudit((r) => r.type === 'undelivered', 40_000);
  return { harness, relay, told };
}

describe('a confirmation the relay refuses for the interviewer and takes for a Cc', () => {
  it('is told as not delivered to the interviewer, at once, and not sent again', async () => {
    const { harness, relay, told } = await refusedAtRcpt('refused-rcpt', 550, '5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table');
    expect(told.message).toContain('was NOT delivered to dana@acme.example: 550 5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table (5.1.1)');
    expect(told.message).toContain('reach them another way before the call');

    const [call] = await listInterviews(harness.runtime.store);
    expect(await getUndelivered(harness.runtime.store, call!.id)).toEqual([
      expect.objectContaining({ kind: 'confirmation', recipient: 'dana@acme.example', status: '5.1.1' }),
    ]);
    // It left once, to the recruiter, and is not sent again.
    expect((await getEmail(harness.runtime.store, call!.id, 'confirmation'))?.state).toBe('sent');
    await harness.advance(2 * MINUTE);
    expect(relay.messages.map((m) => m.envelope.to)).toEqual([['rita@acme.example']]);
    expect((await harness.audit()).filter((r) => r.type === 'undelivered')).toHaveLength(1);
  }, 120_000);

  /**
   * A 4yz to the interviewer's RCPT is no refusal of the address: greylisting, Postfix with postgrey,
   * "450 4.2.0 <…>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/…"
   * (https://github.com/schweikert/postgrey/issues/84), asks the sender to come back in a few
   * minutes (RFC 5321 §4.2.5, §4.5.4.1: the recipient is to be tried again later). Told "Check
   * the address in the invitation", the user went looking for a typo that was not there. Now it says
   * their server asked to try again later and what the user can do; ringback does not send it again
   * by itself (the recruiter in Cc has it: a second send would reach them twice).
   */
  it('a 4yz to the interviewer (greylisting) is told as a deferral to send again later, not an address to check', async () => {
    const { harness, relay, told } = await refusedAtRcpt('deferred-rcpt', 450, '4.2.0 <dana@acme.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/acme.example.html');
    expect(told.message).toContain('was not delivered to dana@acme.example yet');
    expect(told.message).toContain('asked to try again later');
    expect(told.message).toContain('450 4.2.0 <dana@acme.example>: Recipient address rejected: Greylisted');
    expect(told.message).toMatch(/send it to them again yourself/);
    expect(told.message).not.toContain('Check the address');
    const [call] = await listInterviews(harness.runtime.store);
    expect((await getEmail(harness.runtime.store, call!.id, 'confirmation'))?.state).toBe('sent');
    // The interview's page says the same as the audit, not "Check the address".
    const page = (await renderInterview(harness.engine, call!, 'csrf-token')).value;
    expect(page).toContain('Not delivered yet');
    expect(page).toContain('asked to try again later');
    expect(page).not.toContain('Check the address');
    // `ringback interviews --json` keeps the deferral apart from a refusal.
    expect((await interviewViews(harness.runtime.store))[0]?.undelivered).toEqual([expect.objectContaining({ recipient: 'dana@acme.example', temporary: true })]);
    expect(relay.messages.map((m) => m.envelope.to)).toEqual([['rita@acme.example']]);
  }, 120_000);
});
