/**
 * Is this message a report that an email was not delivered, and about which email? The one
 * decision every mailbox adapter uses (Maildir, IMAP, Gmail, Outlook): they only find candidate
 * messages in the Inbox and hand their raw bytes here. Pure: no I/O, no clock.
 *
 * Read, in this order:
 * 1. RFC 3464 delivery status notifications: a `message/delivery-status` part (or RFC 6533's
 *    `message/global-delivery-status`), usually inside `multipart/report;
 *    report-type=delivery-status` (RFC 6522), with one field block per recipient (`Final-Recipient`,
 *    `Action`, `Status`, `Diagnostic-Code`) and the original message or its headers beside it
 *    (https://www.rfc-editor.org/rfc/rfc3464, https://github.com/rgl/MailBounceDetector). Postfix,
 *    Gmail ("Delivery Status Notification (Failure)", from mailer-daemon@googlemail.com, with
 *    In-Reply-To and References naming the original) and Exchange Online ("Undeliverable: …",
 *    `550 5.1.10 RESOLVER.ADR.RecipientNotFound`,
 *    https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online)
 *    all write this shape.
 * 2. Plain-text bounces without a status part, from a mailer daemon or postmaster, or carrying
 *    `X-Failed-Recipients`: Exim's "Mail delivery failed: returning message to sender"
 *    (https://www.exim.org/exim-html-current/doc/html/spec_html/ch-customizing_bounce_and_warning_messages.html)
 *    and qmail's "failure notice" (`<address>:` then the reason; https://cr.yp.to/proto/qsbmf.txt).
 *    These quote the original's headers in the body, so its `Message-ID:` line is found there.
 *
 * Only failures count: `Action: delayed` (a warning that delivery is still being tried) and
 * `delivered`/`relayed`/`expanded` are not reports of non-delivery.
 */
import { RINGBACK_REF_HEADER } from './mime.js';
import { contentType, first, readHeaderBlock, readMime, type MimeMessage } from './mime-parts.js';
import type { DeliveryFailure, DeliveryReport } from './types.js';

// The adapters that scan their Inbox read the report's type where they read the parser.

/** What the receiving side said is cut to this many characters, in one line. */
export const REASON_LIMIT = 200;

/** Senders whose mail is a report: `mailer-daemon@…`, `postmaster@…`, and Exchange's system mailbox. */
const REPORT_SENDER = /^(mailer-daemon|postmaster|microsoftexchange[0-9a-f]*|mail-daemon|mailer_daemon)@/i;
/** Subjects bounces are given by the mail servers named above (any case). */
const REPORT_SUBJECT = /\b(undeliver(ed|able)|delivery status notification \((failure|delay)\)|mail delivery (failed|failure|subsystem)|failure notice|returned mail|non[- ]?delivery|delivery (has )?failed)\b/i;
const MESSAGE_ID = /<[^<>\s@]+@[^<>\s]+>/g;
const ADDRESS = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[^\s<>"'(),;:]+/;

/**
 * Cheap test on what a listing gives (sender and subject), before the message is downloaded:
 * false means it cannot be a report {@link parseDeliveryReport} accepts, except a well-formed
 * `multipart/report` from an unusual sender with an unusual subject, which adapters that can see
 * the content type check for themselves.
 */
export function mayBeDeliveryReport(meta: { readonly from: string | null; readonly subject: string | null; readonly contentType?: string | null }): boolean {
  if (meta.contentType && contentType(meta.contentType).type === 'multipart/report') return true;
  const from = addressIn(meta.from ?? '');
  return (from !== null && REPORT_SENDER.test(from)) || REPORT_SUBJECT.test(meta.subject ?? '');
}

/** The report in this message, or null when it is not a report of non-delivery. */
export function parseDeliveryReport(raw: Buffer | string): DeliveryReport | null {
  const message = readMime(raw);
  const status = message.parts.find((part) => part.type === 'message/delivery-status' || part.type === 'message/global-delivery-status');
  if (status) {
    const failures = statusFailures(status.text);
    return failures.length === 0 ? null : { originalMessageIds: originalIds(message), failures, format: 'delivery-status' };
  }
  if (!looksLikeBounce(message)) return null;
  const failures = plainTextFailures(message);
  return failures.length === 0 ? null : { originalMessageIds: originalIds(message), failures, format: 'plain-text' };
}

/** Per-recipient blocks of a delivery-status part (the first block is about the message). */
function statusFailures(text: string): DeliveryFailure[] {
  const failures: DeliveryFailure[] = [];
  for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields = readHeaderBlock(`${block.trim()}\n\n`);
    const recipientField = first(fields, 'final-recipient') ?? first(fields, 'original-recipient');
    if (recipientField === null) continue;
    const action = (first(fields, 'action') ?? '').trim().toLowerCase();
    const code = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(first(fields, 'status') ?? '');
    const failed = action === 'failed' || (action === '' && code?.[1] === '5');
    if (!failed) continue;
    const diagnostic = first(fields, 'diagnostic-code') ?? first(fields, 'x-supplementary-info') ?? '';
    failures.push({
      recipient: addressIn(recipientField.replace(/^[^;]*;/, '')),
      status: code?.[0] ?? null,
      reason: oneLine(diagnostic.replace(/^[a-z-]+;\s*/i, '')) || describeStatus(code?.[0] ?? null),
    });
  }
  return failures;
}

function looksLikeBounce(message: MimeMessage): boolean {
  if (message.headers.has('x-failed-recipients')) return true;
  return mayBeDeliveryReport({ from: first(message.headers, 'from'), subject: first(message.headers, 'subject') });
}

/** Exim names the failed recipients in a header and indents them in the body; qmail writes `<address>:` and the reason. */
function plainTextFailures(message: MimeMessage): DeliveryFailure[] {
  const body = message.parts.filter((part) => part.type === 'text/plain').map((part) => part.text).join('\n');
  // The human part ends where the copy of the original begins.
  const human = body.split(/^-{2,}.*(copy of|original message|below this line).*$/im)[0] ?? body;
  const named = (message.headers.get('x-failed-recipients') ?? []).flatMap((value) => value.split(',')).map(addressIn).filter((a): a is string => a !== null);
  const qmail = [...human.matchAll(/^<([^<>\s]+@[^<>\s]+)>:\s*\r?\n([\s\S]*?)(?=\r?\n\s*\r?\n|$)/gm)];
  const recipients = [...new Set([...named, ...qmail.map((m) => m[1]!.toLowerCase())])];
  if (recipients.length === 0) {
    const smtp = smtpError(human);
    return smtp === null ? [] : [{ recipient: null, status: statusIn(smtp), reason: smtp }];
  }
  return recipients.map((recipient) => {
    const own = qmail.find((m) => m[1]!.toLowerCase() === recipient)?.[2];
    const after = human.slice(Math.max(0, human.toLowerCase().indexOf(recipient)) + recipient.length);
    const reason = oneLine(own ?? smtpError(after) ?? '') || 'the receiving mail server refused it';
    return { recipient, status: statusIn(reason), reason };
  });
}

/** The first line that reads like an SMTP refusal (`550 5.1.1 …`, `554 …`). */
function smtpError(text: string): string | null {
  const line = text.split(/\r?\n/).find((l) => /\b5\d\d[ -](\d\.\d{1,3}\.\d{1,3}\b)?/.test(l));
  return line === undefined ? null : oneLine(line);
}

function statusIn(text: string): string | null {
  return /\b5\.\d{1,3}\.\d{1,3}\b/.exec(text)?.[0] ?? null;
}

/**
 * The original's Message-IDs: from the embedded message or its headers (its Message-ID, and our
 * X-Ringback-Ref, which names ours when the sending server wrote a Message-ID of its own), then
 * from the report's own In-Reply-To and References (Gmail sets them), then any `Message-ID:` line
 * a plain-text bounce quotes. The report's own Message-ID is never one of them.
 */
function originalIds(message: MimeMessage): string[] {
  const own = first(message.headers, 'message-id')?.trim() ?? null;
  const found: string[] = [];
  for (const part of message.parts) {
    if (part.type === 'message/rfc822' || part.type === 'text/rfc822-headers' || part.type === 'message/global' || part.type === 'message/global-headers') {
      const headers = readHeaderBlock(part.text);
      for (const name of ['message-id', RINGBACK_REF_HEADER.toLowerCase()]) found.push(...(first(headers, name)?.match(MESSAGE_ID) ?? []));
    }
  }
  for (const name of ['in-reply-to', 'references']) for (const value of message.headers.get(name) ?? []) found.push(...(value.match(MESSAGE_ID) ?? []));
  for (const part of message.parts) {
    if (!part.type.startsWith('text/')) continue;
    for (const line of part.text.matchAll(/^\s*Message-ID:\s*(<[^<>\s]+>)/gim)) found.push(line[1]!);
  }
  return [...new Set(found)].filter((id) => id !== own);
}

function addressIn(value: string): string | null {
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(value)?.[1];
  const address = bracketed ?? ADDRESS.exec(value)?.[0] ?? null;
  return address === null ? null : address.toLowerCase().replace(/[.>]+$/, '');
}

/** One printable line, control characters out, cut to {@link REASON_LIMIT}. */
function oneLine(text: string): string {
  // Control characters (an escape sequence would reach the terminal of `ringback interviews`).
  const flat = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > REASON_LIMIT ? `${flat.slice(0, REASON_LIMIT - 1)}…` : flat;
}

/** Words for the enhanced status codes a user meets most (RFC 3463), when the report gives no text. */
function describeStatus(status: string | null): string {
  if (status === null) return 'the receiving mail server refused it';
  const [, subject, detail] = status.split('.');
  if (subject === '1') return detail === '1' ? 'no such mailbox at the receiving server' : 'the address was refused';
  if (subject === '2') return 'the mailbox is full or disabled';
  if (subject === '7') return 'refused by the receiving server’s policy';
  return `refused with status ${status}`;
}
