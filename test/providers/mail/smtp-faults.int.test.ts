/**
 * The SMTP relay (nodemailer) against servers that refuse or go away, and what each failure means
 * for an action: worth another try (transient), the account to fix (parked, the account "needs
 * attention"), or the email's own fault (failed for good). Reply codes, RFC 5321 §4.2.2–4.2.3
 * (https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3; the table at
 * https://www.chiark.greenend.org.uk/greenend.org.uk/rjk/tech/smtpreplies.html): 4yz is transient
 * (421 service not available, closing the channel; 450 mailbox unavailable; 451 local error; 452
 * insufficient system storage); 5yz is permanent. Which command a 5yz answers says whose fault it
 * is: a refused recipient (550 at RCPT) or message (552 exceeded storage allocation, 554
 * transaction failed, at DATA) is the email's; a refused sender (550/553 at MAIL FROM: the
 * account's own address is not allowed to send there) or a server that will not serve this
 * client at all (554 as its greeting, RFC 5321 §3.1 and §4.3.2) is the account's, and every email
 * would fail the same way until the user changes something.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountTrouble } from '../../../src/engine/outage.js';
import { AccountUnusableError, AuthError, LimitReachedError, PermanentError, TransientError } from '../../../src/providers/errors.js';
import { createSmtpRelay } from '../../../src/providers/mail/smtp.js';
import { startRecordingSmtpServer, type RecordingSmtpServer, type SmtpStage } from '../../support/smtp-server.js';

const raw = Buffer.from('From: ada@example.org\r\nTo: lee@corp.example\r\nSubject: Confirming our call\r\nMessage-ID: <x@example.org>\r\n\r\nTalk on Tuesday.\r\n');
const envelope = { from: 'ada@example.org', to: ['lee@corp.example'] };

describe('SMTP relay: refusals by reply code and command', () => {
  let server: RecordingSmtpServer;
  beforeEach(async () => {
    server = await startRecordingSmtpServer();
  });
  afterEach(async () => {
    await server.stop();
  });

  const failureAt = async (stage: SmtpStage, code: number, message: string): Promise<unknown> => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false });
    server.failNext({ stage, code, message });
    try {
      return await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
    } finally {
      relay.close();
    }
  };

  it.each([
    ['mail', 421, 'Service shutting down'],
    ['mail', 451, 'Local error in processing'],
    ['rcpt', 450, 'Mailbox busy'],
    ['rcpt', 452, 'Insufficient system storage'],
    ['data', 451, 'Try again later'],
  ] as const)('takes %s answered %i as transient: tried again, nothing lost', async (stage, code, message) => {
    const failure = await failureAt(stage, code, message);
    expect(failure).toBeInstanceOf(TransientError);
    expect((failure as Error).message).toContain(String(code));
    expect(accountTrouble(failure)).toBe('unreachable');
  });

  it.each([
    ['rcpt', 550, 'No such user here'],
    ['data', 552, 'Message exceeds fixed maximum message size'],
    ['data', 554, 'Transaction failed: message refused'],
  ] as const)('takes %s answered %i as the email\'s own fault', async (stage, code, message) => {
    const failure = await failureAt(stage, code, message);
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure).not.toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBeNull();
  });

  it.each([
    [550, 'Sender address rejected: not owned by user'],
    [553, 'Sender address not allowed'],
  ])('takes the sender refused (%i at MAIL FROM) as the account to fix, naming the address', async (code, message) => {
    const failure = await failureAt('mail', code, message);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBe('unusable');
    expect((failure as Error).message).toContain(`refused the sender ${envelope.from}`);
  });

  /**
   * RFC 4954 §6: "454 4.7.0 Temporary authentication failure: This response to the AUTH command
   * indicates that the authentication failed due to a temporary server failure" (Postfix's words
   * while its SASL backend is down, chatmail/relay#441); Gmail answers "454 4.7.0 Too many login
   * attempts, please try again later." (nodemailer/nodemailer#1388). nodemailer gives every
   * refused AUTH the code EAUTH: read as such, the account "needs sign-in" with a password that
   * is right.
   */
  it.each([
    [454, '4.7.0 Temporary authentication failure: Connection lost to authentication server'],
    [454, '4.7.0 Too many login attempts, please try again later.'],
  ])('takes AUTH answered %i (%s) as transient, not as a wrong password', async (code, message) => {
    const secret = 'app-password-9';
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: 'ada', password: secret });
    server.failNext({ stage: 'auth', code, message });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect(failure).not.toBeInstanceOf(AuthError);
      expect((failure as Error).message).toContain(`${code} ${message}`);
      expect((failure as Error).message).not.toContain(secret);
      expect(accountTrouble(failure)).toBe('unreachable');
      // The server can check passwords again: the same login goes through.
      await relay.send(raw, envelope);
      expect(server.messages).toHaveLength(1);
    } finally {
      relay.close();
    }
  });

  /**
   * Exchange Online answers a password login it does not allow at all "535 5.7.139 Authentication
   * unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit
   * https://aka.ms/smtp_auth_disabled for more information." (nodemailer/nodemailer#1484,
   * simonrob/email-oauth2-proxy#193) or "535 5.7.139 Authentication unsuccessful, basic
   * authentication is disabled." (nodemailer/nodemailer#1714): no password fixes it, app passwords
   * included (lukevella/rallly#3154); an administrator has to allow SMTP AUTH for the mailbox.
   */
  it.each([
    '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.',
    '5.7.139 Authentication unsuccessful, basic authentication is disabled.',
  ])('takes AUTH answered 535 "%s" as the account to fix, not as a wrong password', async (message) => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: 'ada', password: 'right' });
    server.failNext({ stage: 'auth', code: 535, message });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(AccountUnusableError);
      expect(accountTrouble(failure)).toBe('unusable');
      expect((failure as Error).message).toContain(message);
      expect((failure as Error).message).toMatch(/does not allow signing in to SMTP with a password/);
    } finally {
      relay.close();
    }
  });

  it('still takes AUTH answered 535 as a refused login', async () => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: 'ada', password: 'wrong' });
    server.failNext({ stage: 'auth', code: 535, message: '5.7.8 Error: authentication failed: authentication failure' });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthError);
      expect(accountTrouble(failure)).toBe('needs-reauth');
    } finally {
      relay.close();
    }
  });

  /**
   * A submission server that will not relay for this client refuses every outside recipient:
   * Postfix's "554 5.7.1 <lee@corp.example>: Relay access denied" (docker-mailserver/docker-mailserver
   * #19, #385: SMTP login not set up in the client), Sendmail's "550 5.7.1 <…>... Relaying denied"
   * (nodemailer/nodemailer#190, #1480), Exchange's "550 5.7.1 Unable to relay" (nodemailer#386).
   * Every email fails the same way until the account's SMTP settings change: failed one by one "for
   * good", the confirmations of every interview were lost to a setting.
   */
  it.each([
    [554, '5.7.1 <lee@corp.example>: Relay access denied'],
    [550, '5.7.1 <lee@corp.example>... Relaying denied. Proper authentication required.'],
    [550, '5.7.1 Unable to relay for lee@corp.example'],
  ])('takes a recipient refused %i "%s" as the account to fix', async (code, message) => {
    const failure = await failureAt('rcpt', code, message);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBe('unusable');
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).toMatch(/does not relay/);
  });

  /**
   * An account past its provider's sending limit has every email refused, with a 5yz, until the
   * limit lifts by itself (a rolling day): Gmail's "550 5.4.5 Daily user sending quota exceeded."
   * (gen-smtp/gen_smtp#140; at DATA in iiuni/projektzapisy#960) and "550-5.4.5 Daily user sending
   * limit exceeded. For more information on Gmail sending limits go to …"
   * (woowacourse-teams/2025-ah-madda#635); Exchange Online's "550 5.1.90 Your message can't be sent
   * because you've reached your daily limit for message recipients"
   * (MicrosoftDocs/OfficeDocs-Exchange#2729). Failed for good, each confirmation was lost; at MAIL
   * FROM it was read as the sender address refused, a wrong fix.
   */
  it.each([
    ['mail', 550, '5.4.5 Daily user sending quota exceeded. o65sm25351206pga.71 - gsmtp'],
    ['data', 550, '5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852'],
    ['rcpt', 550, "5.1.90 Your message can't be sent because you've reached your daily limit for message recipients"],
  ] as const)('takes %s answered %i "%s" as the account\'s sending limit: the send waits', async (stage, code, message) => {
    const failure = await failureAt(stage, code, message);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBe('unusable');
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).toMatch(/sending limit/);
    expect((failure as Error).message).not.toMatch(/refused the sender/);
  });

  /**
   * Exchange Online's block of a user it took for a spam source: "Your message couldn't be
   * delivered because you weren't recognized as a valid sender. The most common reason for this is
   * that your email address is suspected of sending spam and it's no longer allowed to send email.
   * ... Remote Server returned '550 5.1.8 Access denied, bad outbound sender.'" (quoted at
   * systemengineerpro.wordpress.com 2021/12/11 and support.uidaho.edu KB 2233, with "AS(42004)").
   * Lifted by an administrator on the Restricted entities page, not by time. At MAIL FROM it was
   * read as the sender address refused (a wrong fix), at DATA as the email's own fault: each
   * confirmation failed for good.
   */
  it.each([
    ['mail', 550, '5.1.8 Access denied, bad outbound sender.'],
    ['data', 550, '5.1.8 Access denied, bad outbound sender AS(42004)'],
  ] as const)('takes %s answered %i "%s" as the account blocked from sending: the sends wait, with the fix', async (stage, code, message) => {
    const failure = await failureAt(stage, code, message);
    expect(failure).toBeInstanceOf(LimitReachedError);
    expect((failure as LimitReachedError).sendsOnly).toBe(true);
    expect((failure as LimitReachedError).fix).toMatch(/Restricted entities/);
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).not.toMatch(/refused the sender/);
  });

  /**
   * A server that refuses this computer's address because it is on a block list, at RCPT as
   * Postfix does: "554 5.7.1 Service unavailable; Client host [104.47.21.166] blocked using
   * sbl.spamhaus.org" (spamhaus/spamassassin-dqs#53, MailScanner/v5#634: "(in reply to RCPT TO
   * command)"), Outlook's "550 5.7.1 Service unavailable, Client host [xx.xx.xx.xx] blocked using
   * Spamhaus." (devmehq/email-validator-js#100). Whoever the recipient, every email is refused the
   * same way until the user sends through another server: read as the recipient refused, each
   * confirmation failed for good.
   */
  it.each([
    ['rcpt', 554, '5.7.1 Service unavailable; Client host [203.0.113.7] blocked using sbl.spamhaus.org'],
    ['rcpt', 550, '5.7.1 Service unavailable, Client host [203.0.113.7] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.7 AS(1450)'],
  ] as const)('takes %s answered %i "%s" as this computer refused, the account to fix', async (stage, code, message) => {
    const failure = await failureAt(stage, code, message);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBe('unusable');
    expect((failure as Error).message).toMatch(/block list/);
  });

  /**
   * Guards, already right: Gmail's "421 4.7.0 Try again later, closing connection. (EHLO)"
   * (calcom/cal.diy#5254, dawidd6/action-send-mail#196) and "421 4.3.0 Temporary System Problem.
   * Try again later (10)." at DATA (nodemailer/nodemailer#1133); greylisting, "450 4.2.0
   * <…>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/…"
   * (schweikert/postgrey#84) and rmilter's "4.7.1 Try again later" (vstakhov/rmilter#88): tried
   * again with backoff, nothing lost.
   */
  it.each([
    ['mail', 421, '4.7.0 Try again later, closing connection. (EHLO) v6-20020a50c406000000b00461d375b0a5sm78344edf.43 - gsmtp'],
    ['data', 421, '4.3.0 Temporary System Problem.  Try again later (10). c124sm10820896qke.13 - gsmtp'],
    ['rcpt', 450, '4.2.0 <lee@corp.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/corp.example.html'],
    ['data', 451, '4.7.1 Try again later'],
  ] as const)('takes %s answered %i "%s" as transient', async (stage, code, message) => {
    const failure = await failureAt(stage, code, message);
    expect(failure).toBeInstanceOf(TransientError);
    expect(accountTrouble(failure)).toBe('unreachable');
  });

  /**
   * A message the server's filter takes for spam, refused after its DATA: "550 5.7.1 Message
   * rejected as spam by Content Filtering." (swiftmailer/swiftmailer#1244), rspamd's milter "554
   * 5.7.1 Spam message rejected" (rspamd/rspamd#5343), "550 This message was classified as SPAM and
   * may not be delivered" ("DATA END command failed", PHPMailer/PHPMailer#1370), and Yahoo's "554
   * 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes"
   * (sisimai/go-sisimai rhost/for-yahooinc.go, citing senders.yahooinc.com/smtp-error-codes; "did
   * not like our final DATA" in sisimai's own test mail). The same text is refused the same way:
   * never tried again as it stands, and the user is told in plain words that it was not sent, why,
   * and that the draft is still there to edit or send by hand.
   */
  it.each([
    [550, '5.7.1 Message rejected as spam by Content Filtering.'],
    [554, '5.7.1 Spam message rejected'],
    [550, 'This message was classified as SPAM and may not be delivered'],
    [554, '5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes'],
  ])('takes DATA answered %i "%s" as this email refused as spam: not tried again, and said in plain words', async (code, message) => {
    const failure = await failureAt('data', code, message);
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure).not.toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBeNull();
    expect((failure as Error).message).toContain(message);
    expect((failure as Error).message).toMatch(/took this email for spam/);
    expect((failure as Error).message).toMatch(/not sent/);
    expect((failure as Error).message).toMatch(/still in Drafts/);
  });

  /**
   * Gmail's refusal of a message as spam spans several reply lines, and the words that say so are
   * not on the first: "550-5.7.1 [2001:8b0:10b:1236::1 12] Gmail has detected that this message is
   * / 550-5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail, / 550-5.7.1
   * this message has been blocked. For more information, go to / 550 5.7.1
   * https://support.google.com/mail/?p=UnsolicitedMessageError … - gsmtp" ("SMTP error from remote
   * mail server after pipelined end of data", a bounce quoted in sisimai/go-sisimai and elsewhere;
   * the address changed to a documentation one). nodemailer joins the lines of a reply into one,
   * so the words on the later lines count. Guard.
   */
  it('takes a spam refusal said over several lines, its words after the first, as this email refused as spam', async () => {
    const lines = [
      '5.7.1 [2001:db8::1 12] Gmail has detected that this message is',
      '5.7.1 likely unsolicited mail. To reduce the amount of spam sent to Gmail,',
      '5.7.1 this message has been blocked. For more information, go to',
      '5.7.1  https://support.google.com/mail/?p=UnsolicitedMessageError ffacd0b85a97d-42583ab9ab6si2621680f8f.237 - gsmtp',
    ];
    const failure = await failureAt('data', 550, lines.join('\n'));
    expect(failure).toBeInstanceOf(PermanentError);
    expect(accountTrouble(failure)).toBeNull();
    expect((failure as Error).message).toContain('Gmail has detected that this message is');
    expect((failure as Error).message).toMatch(/took this email for spam/);
  });

  /**
   * A recipient refused at RCPT as having no mailbox, in the words real servers use: Postfix's "550
   * 5.1.1 <…>: Recipient address rejected: User unknown in virtual mailbox table"
   * (mailcow/mailcow-dockerized#893) and "… in local recipient table" (jeboehm/docker-mailserver#221),
   * Gmail's "550-5.1.1 The email account that you tried to reach does not exist.", Exchange
   * Online's "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup";
   * addresses ours. Still the email's own fault, not tried again; but its plain words said only "the
   * mail server refused it", and the note in Drafts then said to send the same draft yourself, to the
   * same address. Failed before: no `fix`, and "refused it" as the plain words.
   */
  it.each([
    '5.1.1 <lee@corp.example>: Recipient address rejected: User unknown in virtual mailbox table',
    '5.1.1 <lee@corp.example>: Recipient address rejected: User unknown in local recipient table',
    '5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient\'s email address for typos or unnecessary spaces.',
    '5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
  ])('takes RCPT answered 550 "%s" as an address with no mailbox: the step is to check the address, not to send it again', async (message) => {
    const failure = await failureAt('rcpt', 550, message);
    expect(failure).toBeInstanceOf(PermanentError);
    expect(failure).not.toBeInstanceOf(AccountUnusableError);
    expect(accountTrouble(failure)).toBeNull();
    const refused = failure as PermanentError;
    expect(refused.message).toContain(message.split(' ').slice(0, 3).join(' '));
    expect(refused.message).toMatch(/no mailbox at the address this email was written to: it was not sent/);
    expect(refused.plain).toBe('the mail server says there is no mailbox at the address it was written to');
    expect(refused.fix).toBe('check the address in its To line against the invitation and correct it before you send it');
    // The plain words and the fix quote nothing of the reply: no code, no address.
    expect(`${refused.plain} ${refused.fix}`).not.toMatch(/5\.1|@|RESOLVER|550/);
  });

  /**
   * One recipient refused and another accepted: nodemailer sends to the accepted one and resolves
   * (smtp-connection `_actionRCPT`: a refused RCPT is kept in `rejected`, and only all of them
   * refused fails the send). The interviewer's address unknown and a Cc the user added accepted,
   * the confirmation counted as sent to the interviewer, and no bounce ever reports a refusal made
   * at RCPT. Failed before: the send resolved with nothing.
   */
  it('resolves a send that went to some recipients with the ones the server refused, and why', async () => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false });
    server.failNext({ stage: 'rcpt', code: 550, message: '5.1.1 <lee@corp.example>: Recipient address rejected: User unknown in virtual mailbox table' });
    try {
      const refused = await relay.send(raw, { from: envelope.from, to: ['lee@corp.example', 'rita@corp.example'] });
      expect(refused).toEqual([{ recipient: 'lee@corp.example', status: '5.1.1', reason: '550 5.1.1 <lee@corp.example>: Recipient address rejected: User unknown in virtual mailbox table' }]);
      // Sent once, to the recipient accepted.
      expect(server.messages.map((m) => m.envelope.to)).toEqual([['rita@corp.example']]);
      // All taken: nothing refused.
      expect(await relay.send(raw, envelope)).toEqual([]);
    } finally {
      relay.close();
    }
  });

  // Guard: a recipient refused for another reason keeps the server's reply as its only why.
  it('keeps RCPT answered 550 for another reason ("5.7.1 … Access denied") as the email refused, without the address fix', async () => {
    const failure = await failureAt('rcpt', 550, '5.7.1 <lee@corp.example>: Recipient address rejected: Access denied');
    expect(failure).toBeInstanceOf(PermanentError);
    expect((failure as PermanentError).plain).toBe('the mail server refused it');
    expect((failure as PermanentError).fix).toBeUndefined();
  });

  /**
   * "452 4.3.1 Insufficient system storage" (RFC 3463 4.3.1, "Mail system full"): Postfix's answer
   * to MAIL FROM while its queue's disk has too little free (mailcow/mailcow-dockerized#1450,
   * wader/postfix-relay#7). A wait, as any 4yz; but the account said "check that the mail server is
   * up and reachable", and it is. Failed before: no `fix`.
   */
  it('takes MAIL FROM answered 452 "4.3.1 Insufficient system storage" as a wait that names the server\'s disk, and the next try goes through', async () => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false });
    server.failNext({ stage: 'mail', code: 452, message: '4.3.1 Insufficient system storage' });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect(accountTrouble(failure)).toBe('unreachable');
      expect((failure as TransientError).fix).toMatch(/short of disk space/);
      expect((failure as TransientError).fix).not.toMatch(/is up and reachable/);
      await relay.send(raw, envelope);
      expect(server.messages).toHaveLength(1);
    } finally {
      relay.close();
    }
  });

  /**
   * Yahoo deferring mail from a sending server for its volume or for complaints, at MAIL FROM:
   * "421 4.7.0 [TSS04] Messages from 185.205.69.214 temporarily deferred due to unexpected volume
   * or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to
   * MAIL FROM command)" (tutao/tutanota#7113; the wording since 2023, ActiveCampaign/smtp-field-manual
   * #88), and its "[IPTS04]" form without the enhanced code (KumoCorp/kumomta#376); addresses
   * changed to documentation ones. Every email is deferred the same way for hours, whatever it
   * says: tried again at 2 s and 4 s and then taken for a server that does not answer, the account
   * said "check that the mail server is up", a wrong fix, and drafts waited too.
   */
  it.each([
    '4.7.0 [TSS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    '[IPTS04] Messages from 203.0.113.7 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
  ])('takes MAIL FROM answered 421 "%s" as a deferral of the sends, with what it means', async (message) => {
    const failure = await failureAt('mail', 421, message);
    expect(failure).toBeInstanceOf(LimitReachedError);
    expect((failure as LimitReachedError).sendsOnly).toBe(true);
    expect((failure as LimitReachedError).recheckAfterMs).toBe(15 * 60_000);
    expect((failure as Error).message).toContain(message);
    expect((failure as LimitReachedError).fix).toMatch(/Yahoo is deferring/);
    expect((failure as LimitReachedError).fix).not.toMatch(/is up and reachable/);
  });

  /**
   * Gmail refusing the account's own password where it takes only an app password: "534-5.7.9
   * Application-specific password required. Learn more at / 534 5.7.9
   * https://support.google.com/mail/?p=InvalidSecondFactor … - gsmtp" (quoted whole in several
   * setup notes, e.g. "Invalid login: 534-5.7.9 Application-specific password required"). A new
   * sign-in with the same password fails the same way: the fix names the app password and where
   * to make it.
   */
  it('takes AUTH answered 534 "Application-specific password required" as a login that needs an app password', async () => {
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: 'ada', password: 'account-password' });
    server.failNext({ stage: 'auth', code: 534, message: '5.7.9 Application-specific password required. Learn more at https://support.google.com/mail/?p=InvalidSecondFactor t123sm644947oie.40 - gsmtp' });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthError);
      expect(accountTrouble(failure)).toBe('needs-reauth');
      expect((failure as AuthError).fix).toMatch(/app password/);
      expect((failure as AuthError).fix).toContain('myaccount.google.com/apppasswords');
      expect((failure as Error).message).not.toContain('account-password');
    } finally {
      relay.close();
    }
  });

  it('takes a message too large for the server (552 at MAIL FROM, RFC 1870 §6.1) as the email\'s own fault', async () => {
    const failure = await failureAt('mail', 552, 'Message size exceeds fixed maximum message size');
    expect(failure).toBeInstanceOf(PermanentError);
    expect(accountTrouble(failure)).toBeNull();
  });
});

/** A server that speaks only the first lines of SMTP, scripted, for what smtp-server cannot do. */
async function scriptedServer(onConnection: (socket: Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('SMTP relay: servers that turn the client away', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  const sendTo = async (onConnection: (socket: Socket) => void): Promise<unknown> => {
    const server = await scriptedServer(onConnection);
    closers.push(() => server.close());
    const relay = createSmtpRelay({ host: '127.0.0.1', port: server.port, secure: false, connectionTimeoutMs: 2_000, socketTimeoutMs: 2_000 });
    try {
      return await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
    } finally {
      relay.close();
    }
  };

  it('takes a server that closes the connection right after EHLO as transient', async () => {
    const failure = await sendTo((socket) => {
      socket.write('220 mail.example.org ESMTP\r\n');
      socket.once('data', () => socket.end());
    });
    expect(failure).toBeInstanceOf(TransientError);
  });

  it('takes a 421 greeting (busy, come back later) as transient', async () => {
    const failure = await sendTo((socket) => socket.end('421 4.3.2 mail.example.org Service not available, closing transmission channel\r\n'));
    expect(failure).toBeInstanceOf(TransientError);
  });

  // A host name that does not resolve (".invalid" never does, RFC 2606 §2): nodemailer's EDNS over
  // Node's ENOTFOUND, or EAI_AGAIN where the resolver itself is unreachable. Guard: tried again,
  // then parked as a server not reachable, with the host named in the fix.
  it('takes a host name that does not resolve as the server not reachable', async () => {
    const relay = createSmtpRelay({ host: 'mail.ringback-test.invalid', port: 587, secure: false, connectionTimeoutMs: 5_000 });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect(accountTrouble(failure)).toBe('unreachable');
      expect((failure as Error).message).toMatch(/EDNS|ENOTFOUND|EAI_AGAIN|ECONNECTION/);
    } finally {
      relay.close();
    }
  });

  // A connection reset while the message is being written ("read ECONNRESET", Node's code for a
  // peer's RST): the server may not have it. Guard: transient, tried again; the send's claim and
  // the look in Sent before a retry keep it from going twice (DESIGN.md, Sending exactly once).
  it('takes a connection reset in the middle of the message as transient', async () => {
    const failure = await sendTo((socket) => {
      socket.write('220 mail.example.org ESMTP\r\n');
      socket.on('data', (chunk) => {
        const text = chunk.toString();
        if (/^(EHLO|HELO)/i.test(text)) socket.write('250 mail.example.org\r\n');
        else if (/^MAIL FROM/i.test(text)) socket.write('250 2.1.0 Ok\r\n');
        else if (/^RCPT TO/i.test(text)) socket.write('250 2.1.5 Ok\r\n');
        else if (/^DATA/i.test(text)) socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        else socket.resetAndDestroy();
      });
    });
    expect(failure).toBeInstanceOf(TransientError);
    expect(accountTrouble(failure)).toBe('unreachable');
  });

  it('takes a 554 greeting (no service for this client) as the account to fix', async () => {
    const failure = await sendTo((socket) => socket.end('554 5.7.1 mail.example.org: client host rejected\r\n'));
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect((failure as Error).message).toContain('554');
  });
});
