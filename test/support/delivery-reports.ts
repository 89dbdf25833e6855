/**
 * Reports of non-delivery as mail servers write them, for the parser's tests and for every
 * mailbox stand-in (Maildir, Dovecot, the Gmail and Graph servers) to put in the Inbox. Each
 * shape follows a public description of it (cited beside it); wording is our own where the
 * original is long. `messageId` is the Message-ID of the email that bounced.
 */

export interface ReportInput {
  /** The email that bounced. */
  readonly messageId: string;
  readonly recipient: string;
  /** The sender of that email (the report goes back to it). */
  readonly sender: string;
  readonly subject: string;
  /** When the report was written. @defaultValue now */
  readonly date?: number;
}

export type ReportShape = 'postfix' | 'gmail' | 'exchange' | 'exim' | 'qmail';

export const REPORT_SHAPES: readonly ReportShape[] = ['postfix', 'gmail', 'exchange', 'exim', 'qmail'];

const rfcDate = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000');

/** The report as raw RFC 5322 text (CRLF line ends). */
export function deliveryReport(shape: ReportShape, input: ReportInput): string {
  const lines = BUILDERS[shape]({ ...input, when: rfcDate(input.date ?? Date.now()) });
  return `${lines.join('\r\n')}\r\n`;
}

type Builder = (input: ReportInput & { readonly when: string }) => string[];

/** The headers of the email that bounced, as a report quotes or attaches them. */
function originalHeaders(input: Pick<ReportInput, 'messageId' | 'recipient' | 'sender' | 'subject'>): string[] {
  return [`From: ${input.sender}`, `To: ${input.recipient}`, `Subject: ${input.subject}`, `Message-ID: ${input.messageId}`];
}

const BUILDERS: Record<ReportShape, Builder> = {
  // Postfix's bounce: multipart/report; report-type=delivery-status with the human part, the
  // message/delivery-status fields of RFC 3464 (https://www.rfc-editor.org/rfc/rfc3464#section-2)
  // and the original's headers as text/rfc822-headers (RFC 6522).
  postfix: ({ messageId, recipient, sender, subject, when: date }) => [
    'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)',
    `To: ${sender}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${date}`,
    'Message-ID: <20310304150101.4F1A2C0123@mx.example.net>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="4F1A2C0123.1709564461/mx.example.net"',
    '',
    'This is a MIME-encapsulated message.',
    '',
    '--4F1A2C0123.1709564461/mx.example.net',
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.example.net.',
    '',
    "I'm sorry to have to inform you that your message could not",
    'be delivered to one or more recipients.',
    '',
    `<${recipient}>: host mx.corp.example said: 550 5.1.1 <${recipient}>:`,
    '    Recipient address rejected: User unknown in virtual mailbox table',
    '',
    '--4F1A2C0123.1709564461/mx.example.net',
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example.net',
    'X-Postfix-Queue-ID: 4F1A2C0123',
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.corp.example',
    `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected:`,
    '    User unknown in virtual mailbox table',
    '',
    '--4F1A2C0123.1709564461/mx.example.net',
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    '',
    ...originalHeaders({ messageId, recipient, sender, subject }),
    '',
    '--4F1A2C0123.1709564461/mx.example.net--',
  ],

  // Gmail's: from mailer-daemon@googlemail.com, "Delivery Status Notification (Failure)",
  // X-Failed-Recipients, In-Reply-To and References naming the original, a delivery-status part
  // and the original attached (https://github.com/rgl/MailBounceDetector; the Google rules of
  // https://github.com/yaslama/bouncehammer/blob/master/src/lib/Kanadzuchi/MTA/US/Google.pm).
  gmail: ({ messageId, recipient, sender, subject, when: date }) => [
    'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    `To: ${sender}`,
    `X-Failed-Recipients: ${recipient}`,
    'Subject: Delivery Status Notification (Failure)',
    `Date: ${date}`,
    'Message-ID: <65e5f1b2.050a0220.bounce.7a1bSMTPIN_ADDED_MISSING@mx.google.com>',
    `References: ${messageId}`,
    `In-Reply-To: ${messageId}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; boundary="000000000000a1b2c3"; report-type=delivery-status',
    '',
    '--000000000000a1b2c3',
    'Content-Type: text/plain; charset="UTF-8"',
    '',
    '',
    '** Address not found **',
    '',
    `Your message wasn’t delivered to ${recipient} because the address couldn’t be found, or is unable to receive mail.`,
    '',
    'The response from the remote server was:',
    `550 5.1.1 The email account that you tried to reach does not exist.`,
    '',
    '--000000000000a1b2c3',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; googlemail.com',
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.corp.example. (192.0.2.25, the server for the domain corp.example.)',
    'Diagnostic-Code: smtp; 550 5.1.1 The email account that you tried to reach does not exist.',
    `Last-Attempt-Date: ${date}`,
    '',
    '--000000000000a1b2c3',
    'Content-Type: message/rfc822',
    '',
    ...originalHeaders({ messageId, recipient, sender, subject }),
    'Content-Type: text/plain; charset="UTF-8"',
    '',
    'Hello, confirming our call.',
    '',
    '--000000000000a1b2c3--',
  ],

  // Exchange Online's NDR: "Undeliverable: <subject>" from the postmaster, an HTML human part,
  // message/delivery-status with the RESOLVER.ADR.RecipientNotFound diagnostic and the original as
  // message/rfc822 (https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online).
  exchange: ({ messageId, recipient, sender, subject, when: date }) => [
    'From: Microsoft Outlook <postmaster@contoso.onmicrosoft.com>',
    `To: ${sender}`,
    `Subject: Undeliverable: ${subject}`,
    `Date: ${date}`,
    'Message-ID: <a1b2c3d4-0000-4000-8000-ndr@PH0PR11MB0000.namprd11.prod.outlook.com>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status;',
    '\tboundary="b1_ndr_exchange"',
    'Content-Language: en-US',
    '',
    '--b1_ndr_exchange',
    'Content-Type: multipart/alternative; boundary="b2_ndr_exchange"',
    '',
    '--b2_ndr_exchange',
    'Content-Type: text/plain; charset="us-ascii"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    "Your message to " + recipient + " couldn't be delivered.",
    'The address wasn=E2=80=99t found at the destination domain. It might be misspelled or it might not exi=',
    'st.',
    '',
    '--b2_ndr_exchange',
    'Content-Type: text/html; charset="us-ascii"',
    '',
    `<html><body><p>Your message to <b>${recipient}</b> couldn't be delivered.</p></body></html>`,
    '',
    '--b2_ndr_exchange--',
    '',
    '--b1_ndr_exchange',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns;PH0PR11MB0000.namprd11.prod.outlook.com',
    'Received-From-MTA: dns;PH0PR11MB0000.namprd11.prod.outlook.com',
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822;${recipient}`,
    'Action: failed',
    'Status: 5.1.10',
    'Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    '',
    '--b1_ndr_exchange',
    'Content-Type: message/rfc822',
    '',
    ...originalHeaders({ messageId, recipient, sender, subject }),
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    'Hello, confirming our call.',
    '',
    '--b1_ndr_exchange--',
  ],

  // Exim's default bounce: plain text, X-Failed-Recipients, the recipient indented with the
  // remote error, then a copy of the message with all its headers
  // (https://www.exim.org/exim-html-current/doc/html/spec_html/ch-customizing_bounce_and_warning_messages.html).
  exim: ({ messageId, recipient, sender, subject, when: date }) => [
    'From: Mail Delivery System <Mailer-Daemon@smtp.example.com>',
    `To: ${sender}`,
    'Subject: Mail delivery failed: returning message to sender',
    `Date: ${date}`,
    'Message-Id: <E1rhAbC-0001Xy-9Q@smtp.example.com>',
    `X-Failed-Recipients: ${recipient}`,
    'Auto-Submitted: auto-replied',
    '',
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    `  ${recipient}`,
    '    host mx.corp.example [192.0.2.25]',
    '    SMTP error from remote mail server after RCPT TO:<' + recipient + '>:',
    '    550 5.1.1 No such user here',
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
    ...originalHeaders({ messageId, recipient, sender, subject }),
    '',
    'Hello, confirming our call.',
  ],

  // qmail-send's "failure notice" in QSBMF: `<address>:` then the reason, a blank line, then
  // "--- Below this line is a copy of the message." (https://cr.yp.to/proto/qsbmf.txt).
  qmail: ({ messageId, recipient, sender, subject, when: date }) => [
    'From: MAILER-DAEMON@mail.example.org',
    `To: ${sender}`,
    'Subject: failure notice',
    `Date: ${date}`,
    '',
    'Hi. This is the qmail-send program at mail.example.org.',
    "I'm afraid I wasn't able to deliver your message to the following addresses.",
    'This is a permanent error; I\'ve given up. Sorry it didn\'t work out.',
    '',
    `<${recipient}>:`,
    'Sorry, no mailbox here by that name. (#5.1.1)',
    '',
    '--- Below this line is a copy of the message.',
    '',
    ...originalHeaders({ messageId, recipient, sender, subject }),
    '',
    'Hello, confirming our call.',
  ],
};

/** A report that delivery is only delayed (RFC 3464 `Action: delayed`): not a failure. */
export function delayReport(input: ReportInput): string {
  return deliveryReport('postfix', input)
    .replace('Action: failed', 'Action: delayed')
    .replace('Status: 5.1.1', 'Status: 4.4.1')
    .replace(/Diagnostic-Code: [^]*?\r\n\r\n/, 'Diagnostic-Code: smtp; 421 4.4.1 Connection timed out\r\n\r\n');
}
