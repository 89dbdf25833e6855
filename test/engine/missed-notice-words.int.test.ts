/**
 * The note left in Drafts when a confirmation's send failed for good says why in the plain words
 * the failure carries apart from the server's reply (ProviderError's `plain` and `fix`, kept in
 * the send's record), never by taking apart the sentence of the module that failed: that sentence
 * worded otherwise, the note says the same. The reply stays in the record's note, for the audit and
 * `ringback interviews`. The engine with its Redis and the harness's Maildir; the failure goes
 * through the queue's policy and the actions worker's `failed` listener as a real one does.
 */
import type { Job } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { afterActionFailed } from '../../src/engine/failed-actions.js';
import { PermanentError } from '../../src/providers/errors.js';
import { smtpError } from '../../src/providers/mail/smtp.js';
import { actionJobId } from '../../src/queue/jobs.js';
import { interviewViews } from '../../src/read/interviews.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { actionFailedListener } from '../../workers/actions.js';
import { underPolicy } from '../../workers/policy.js';
import { MINUTE, draftedAhead, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/**
 * A refusal after DATA as spam, as nodemailer reports it: "550 5.7.1 Message rejected as spam by
 * Content Filtering." (swiftmailer/swiftmailer#1244), through smtp-replies.ts's translation.
 */
const REFUSED = smtpError({ code: 'EMESSAGE', command: 'DATA', responseCode: 550, response: '550 5.7.1 Message rejected as spam by Content Filtering.' }, 'SMTP smtp.example.org:587');

/** The note in Drafts (its Message-ID names it a notice), on one line. */
async function noteText(harness: EngineHarness): Promise<string> {
  const notes = (await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes('.notice.'));
  expect(notes).toHaveLength(1);
  return (notes[0]?.mail.text ?? '').replace(/\s+/g, ' ');
}

describe("the note that a confirmation's send failed for good", () => {
  it("says why in the failure's plain words, whatever the sentence of the module that failed, and never its reply", async () => {
    h = await startEngineHarness();
    const { id } = await draftedAhead(h, 'words-1', 3 * 60 * MINUTE);
    // smtp-replies.ts's sentence, worded otherwise: the same refusal and plain words, another message.
    const reworded = new PermanentError(`Junk filter said no; nothing went out (the server answered: ${REFUSED.message})`, { plain: REFUSED.plain, fix: REFUSED.fix });
    // As the queue's policy hands it to BullMQ, and BullMQ to the worker's listener.
    const thrown = await underPolicy({} as Job, undefined, () => Promise.reject(reworded)).then(
      () => null,
      (error: unknown) => error as Error,
    );
    if (!thrown) throw new Error('the policy did not throw');
    const job = { id: actionJobId(id, 'confirmation-send', 1), data: {}, stalledCounter: 0, attemptsMade: 1, opts: { attempts: 3 } } as unknown as Job;
    actionFailedListener(h.engine, { onError: (error) => expect.fail(String(error)) })(job, thrown);
    await h.waitForAudit((r) => r.interviewId === id && r.message.includes('not sent is in your Drafts'));

    const text = await noteText(h);
    expect(text).toContain('What happened: the mail server took it for spam and refused it.');
    expect(text).toContain("the confirmation's draft is in your Drafts. Read it over and change what may look like spam (links, a long signature, wording) before you send it, or write them a short note of your own.");
    expect(text).not.toMatch(/Junk filter|server answered|550|5\.7\.1|SMTP|smtp\.example\.org/);
    expect(text.match(/send it yourself/g) ?? []).toHaveLength(0);

    // The reply is kept, for the audit and `ringback interviews`, apart from the plain words.
    const send = (await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send');
    expect(send).toMatchObject({ state: 'failed', plain: 'the mail server took it for spam and refused it' });
    expect(send?.note).toContain('550 5.7.1 Message rejected as spam by Content Filtering.');
    const [view] = await interviewViews(h.runtime.store);
    expect(view?.actions.find((a) => a.kind === 'confirmation-send')).toMatchObject({ plain: 'the mail server took it for spam and refused it', fix: REFUSED.fix, note: expect.stringContaining('550 5.7.1') });
  });

  it('with no plain words (a failure found by the reconciler, the queue keeping only its message), says so without the reply', async () => {
    h = await startEngineHarness();
    const { id } = await draftedAhead(h, 'words-2', 3 * 60 * MINUTE);
    // Postfix's refusal of an unknown recipient (mailcow/mailcow-dockerized#893, address ours).
    const reason = 'SMTP smtp.example.org:587: EENVELOPE during RCPT 550 5.1.1 <dana@acme.example>: Recipient address rejected: User unknown in virtual mailbox table';
    await afterActionFailed(h.engine, { interviewId: id, kind: 'confirmation-send', revision: 1 }, { id: actionJobId(id, 'confirmation-send', 1), reason, stalls: 0, putBack: () => Promise.resolve(false) });

    const text = await noteText(h);
    expect(text).toContain('What happened: sending it failed, and ringback does not try again ("ringback interviews" shows what the mail server said).');
    expect(text).toContain('Send it yourself if it still reads right, or write them a short note of your own.');
    expect(text).not.toMatch(/550|5\.1\.1|Recipient address rejected|EENVELOPE|SMTP/);
    const send = (await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send');
    expect(send?.note).toBe(reason);
  });
});
