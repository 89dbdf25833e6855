/**
 * Exchange Online's and Outlook.com's refusals of a message after its DATA, under "554 5.2.0
 * STOREDRV.Submission.Exception:…", through the real SMTP client (nodemailer) against a real SMTP
 * server (smtp-server) answering in Microsoft's words. A 554 after DATA is otherwise the email's own
 * fault, failed for good; these two are the account's, and every confirmation was lost to them:
 *
 * - SubmissionQuotaExceededException: the account's recipients per day reached. "Exceeding the
 *   recipients per day limit causes the following error: 554 5.2.0
 *   STOREDRV.Submission.Exception:SubmissionQuotaExceededException" (Exchange Online's "SMTP
 *   submission improvements", quoted in MicrosoftDocs/OfficeDocs-Support#1150 and its fix
 *   MicrosoftDocs/OfficeDocs-Support#1488); "Senders will have to wait 24 hours to send mail if they
 *   hit their sending limit" (MicrosoftDocs/OfficeDocs-Exchange#2431).
 * - OutboundSpamException: Outlook.com holding the account's sending as a spam source until it is
 *   verified, the same WASCL verdict Graph gives as ErrorMessageSubmissionBlocked: "554 5.2.0
 *   STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message due to a
 *   permanent exception with message WASCL UserAction verdict is not None. Actual verdict is
 *   RefuseQuota, ShowTierUpgrade. …" (Youans/nodejs-nodemailer-outlook#11: "My outlook account was
 *   not verified."; nodemailer/nodemailer#1486: "I got an email in outlook asking me to re-login in
 *   order to unblock the account"). Its "Spam" is no word of its own, so it was not even taken for
 *   this email refused as spam.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountTrouble } from '../../../src/engine/outage.js';
import { LimitReachedError, TransientError } from '../../../src/providers/errors.js';
import { createSmtpRelay } from '../../../src/providers/mail/smtp.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../../support/smtp-server.js';

const raw = Buffer.from('From: ada@example.org\r\nTo: lee@corp.example\r\nSubject: Confirming our call\r\nMessage-ID: <x@example.org>\r\n\r\nTalk on Tuesday.\r\n');
const envelope = { from: 'ada@example.org', to: ['lee@corp.example'] };

describe("SMTP relay: Exchange Online's refusals of the account after DATA", () => {
  let server: RecordingSmtpServer;
  beforeEach(async () => {
    server = await startRecordingSmtpServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  const refusedAfterData = async (message: string): Promise<unknown> => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false });
    server.failNext({ stage: 'data', code: 554, message });
    try {
      return await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
    } finally {
      relay.close();
    }
  };

  it('takes SubmissionQuotaExceededException as the sending limit: the sends wait, drafts go on, a send tried every quarter of an hour', async () => {
    const failure = await refusedAfterData('5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException');
    expect(failure).toBeInstanceOf(LimitReachedError);
    expect((failure as LimitReachedError).sendsOnly).toBe(true);
    expect((failure as LimitReachedError).recheckAfterMs).toBe(15 * 60_000);
    expect(accountTrouble(failure)).toBe('unusable');
    expect((failure as LimitReachedError).fix).toMatch(/sending limit for this account is reached: it lifts by itself, within 24 hours/);
    expect((failure as Error).message).toContain('SubmissionQuotaExceededException');
  });

  it("takes OutboundSpamException as Microsoft's block of the account's sending, with its fix, not as this email refused", async () => {
    const failure = await refusedAfterData(
      '5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; Failed to process message due to a permanent exception with message WASCL UserAction verdict is not None. Actual verdict is RefuseQuota, ShowTierUpgrade. OutboundSpamException: WASCL UserAction verdict is not None. Actual verdict is RefuseQuota, ShowTierUpgrade. [Hostname=VI1PR05MB5405.eurprd05.prod.outlook.com]',
    );
    expect(failure).toBeInstanceOf(LimitReachedError);
    expect((failure as LimitReachedError).sendsOnly).toBe(true);
    expect(accountTrouble(failure)).toBe('unusable');
    expect((failure as LimitReachedError).fix).toMatch(/Microsoft blocked this account from sending/);
    expect((failure as Error).message).toContain('OutboundSpamException');
  });

  /**
   * Exchange Online refusing a message while the account already sends over too many connections
   * at once: "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded
   * [Hostname=DM5SPR00MB2471.namprd08.prod.outlook.com]" ("Message failed", after the message:
   * timeoff-management/timeoff-management-application#308). A wait, as any 4yz; but the account
   * said "check that the mail server is up", and the server is up: other apps or devices sending
   * through the account at that moment are what hold it.
   */
  it('takes "sender thread limit exceeded" as a wait that names what holds it, not a server down', async () => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false });
    server.failNext({ stage: 'data', code: 432, message: '4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=DM5SPR00MB2471.namprd08.prod.outlook.com]' });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect(accountTrouble(failure)).toBe('unreachable');
      expect((failure as TransientError).fix).toMatch(/sending through this account at the same moment/);
      // Nothing lost: the next try goes through.
      await relay.send(raw, envelope);
      expect(server.messages).toHaveLength(1);
    } finally {
      relay.close();
    }
  });
});
