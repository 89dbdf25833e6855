/**
 * Did a person write this message, or did a mail system answer on its own? The one decision every
 * mailbox adapter (Maildir, IMAP, Gmail, Outlook) applies before it calls a message a reply: an
 * out-of-office notice, a vacation responder or a report of non-delivery arriving in the thread is
 * not the counterpart replying (DESIGN.md: "counterpart replies in the thread → pending follow-ups
 * for that interview stop"), and must not stop the follow-ups. Pure: header fields in, the reason
 * out.
 *
 * What is read, in this order:
 * 1. `Auto-Submitted` (RFC 3834 section 5, https://www.rfc-editor.org/rfc/rfc3834#section-5): any
 *    value but `no` is automatic (`auto-replied`, `auto-generated`, `auto-notified`, with or without
 *    a comment or parameters: Sieve vacation writes `auto-replied (vacation)`); `no` says a person
 *    wrote it and nothing below overrides that. A bounce that also carries it (Gmail's does) is
 *    named a delivery report, which tells the user more. Gmail's vacation responder writes
 *    `auto-replied`; Exchange/Microsoft 365 out-of-office writes `auto-generated`, beside
 *    `X-Auto-Response-Suppress: All`, `X-MS-Exchange-Inbox-Rules-Loop` and
 *    `X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent`
 *    (https://github.com/seanthegeek/mailsuite/pull/47; an Exchange 2013 out-of-office kept as test
 *    data in camilord/utilus, tests/EmailUtilusTest.php).
 * 2. A report of non-delivery: `Content-Type: multipart/report`, a mailer-daemon or postmaster
 *    sender, a bounce subject, or `X-Failed-Recipients`, as delivery-report.ts already knows them
 *    (Gmail's bounce names our message in In-Reply-To and References, so it looks like a reply).
 * 3. `X-Autoreply` / `X-Autorespond` (Postfix vacation scripts, CommuniGate, older Exchange rules:
 *    https://github.com/postfixadmin/postfixadmin/pull/148), unless they say `no`.
 * 4. `Precedence: auto_reply | junk`, which responders write to keep other responders quiet
 *    (RFC 3834 section 3.1.8; https://github.com/modoboa/modoboa/issues/544).
 * 5. Only when none of the above is there: a subject that starts with what out-of-office systems
 *    put before the subject they answer ("Automatic reply:", "Abwesenheitsnotiz:", …; the list is
 *    data, src/domain/mail/auto-reply-subjects.json). Conservative on purpose: the prefix must open
 *    the subject and be followed by its colon, so "Out of office next week, can we move the call?"
 *    from the counterpart is still a reply. A person's answer wrongly taken for automatic would
 *    put a no-show draft beside an answer that contradicts it; a responder missed for want of
 *    headers is only taken for a reply, as every answer was before this check.
 *
 * Not read, on purpose:
 * - `X-Auto-Response-Suppress` is what a *sender* writes to ask others not to auto-reply to it
 *   (MS-OXCMAIL 2.1.3.2.20); Outlook may set it on mail a person wrote.
 * - `X-MS-Exchange-Inbox-Rules-Loop` and `X-MS-Exchange-Generated-Message-Source` are also written
 *   on mail an inbox rule forwarded or redirected, which may be a person's answer passed on; every
 *   Exchange out-of-office carries `Auto-Submitted` anyway.
 * - `Precedence: list` and `bulk`: list servers write them on every post, a person's included
 *   (Google Groups `Precedence: list` beside `Mailing-list: list …@googlegroups.com`, groups.io
 *   `Precedence: Bulk`), and a recruiting team may well answer from a group address. Sieve vacation
 *   writes `bulk` only beside `Auto-Submitted`, which is read first.
 */
import subjects from '../../domain/mail/auto-reply-subjects.json' with { type: 'json' };
import { mayBeDeliveryReport } from './delivery-report.js';
import { decodeWords } from './mime.js';

/** One header field as the provider gives it: its name in any case, its value unfolded. */
export type HeaderField = readonly [name: string, value: string];

/** The header names {@link automaticReason} reads, for adapters that must ask for them by name (Gmail, Graph). */
export const AUTO_REPLY_HEADERS = ['Auto-Submitted', 'X-Autoreply', 'X-Autorespond', 'Precedence', 'Content-Type', 'X-Failed-Recipients', 'From', 'Subject'] as const;

const AUTOMATIC_PRECEDENCE = new Set(['auto_reply', 'junk']);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Longest first, so that "Out of Office AutoReply:" is not cut at "Out of Office". */
const PREFIXES = Object.values(subjects.prefixes)
  .flat()
  .sort((a, b) => b.length - a.length)
  .map((prefix) => escape(prefix).replace(/[ -]/g, '[\\s-]?'));
// A space or no-break space may stand before the colon (French typography); CJK uses a full-width one.
const SUBJECT_PREFIX = new RegExp(`^\\s*(${PREFIXES.join('|')})[\\s\\u00a0]*[:：]`, 'iu');

/**
 * Why this message was sent by a machine rather than a person ("Auto-Submitted: auto-replied",
 * "a delivery report", …), or null when a person wrote it as far as its headers tell.
 */
export function automaticReason(fields: Iterable<HeaderField>): string | null {
  const values = new Map<string, string>();
  for (const [name, value] of fields) {
    const key = name.trim().toLowerCase();
    if (!values.has(key)) values.set(key, value.trim());
  }
  const field = (name: string): string | null => values.get(name) ?? null;

  // The keyword before any comment or parameter: `auto-replied (vacation); owner-email=…`.
  const submitted = /^[^\s;(]*/.exec(field('auto-submitted') ?? '')?.[0]?.toLowerCase() ?? '';
  if (submitted === 'no') return null;
  // Before Auto-Submitted, which Gmail's bounce also carries: "a delivery report" tells the user more.
  if (field('x-failed-recipients') !== null || mayBeDeliveryReport({ from: field('from'), subject: decodeWords(field('subject') ?? ''), contentType: field('content-type') })) {
    return 'a delivery report';
  }
  if (submitted !== '') return `Auto-Submitted: ${submitted}`;
  for (const name of ['x-autoreply', 'x-autorespond']) {
    const value = field(name);
    if (value !== null && !/^(no|false|0)$/i.test(value)) return `${name === 'x-autoreply' ? 'X-Autoreply' : 'X-Autorespond'}: ${value.slice(0, 40)}`;
  }
  const precedence = field('precedence')?.toLowerCase() ?? null;
  if (precedence !== null && AUTOMATIC_PRECEDENCE.has(precedence)) return `Precedence: ${precedence}`;
  const prefix = SUBJECT_PREFIX.exec(decodeWords(field('subject') ?? ''))?.[1];
  return prefix === undefined ? null : `its subject starts with "${prefix}:"`;
}
