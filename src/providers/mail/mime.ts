/**
 * The RFC 5322 side of the mailbox adapters: turning a {@link ComposedEmail} into the bytes of a
 * message, and reading back the few headers the adapters need (Message-ID, threading, addresses,
 * subject, date) without parsing bodies.
 *
 * Every message ringback writes carries `X-Ringback-Ref: <its original Message-ID>`. Mail clients
 * that rewrite a draft when the user edits it sometimes give it a new Message-ID but keep unknown
 * headers; this header lets the adapters recognise the edited draft as ours.
 */
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import { isPlainAddress } from '../../domain/company.js';
import type { ComposedEmail, Millis, Person } from '../../domain/types.js';
import { PermanentError } from '../errors.js';
import { messageBytes } from './mime-bytes.js';
import { directMessage } from './mime-direct.js';
import type { DraftRef } from './types.js';

/** The header that keeps ringback's Message-ID when a mail client replaces the real one. */
export const RINGBACK_REF_HEADER = 'X-Ringback-Ref';

/** How far into a message its header block is looked for. */
export const HEADER_READ_LIMIT = 64 * 1024;

const LINE_BREAK = /[\r\n]/;
const MESSAGE_ID = /^<[^<>\s"]+@[^<>\s"]+>$/;

/**
 * Builds the message, byte for byte as it is stored and relayed (LF line ends; the SMTP client
 * turns them into CRLF on the wire). The Message-ID is kept exactly as given.
 *
 * @throws PermanentError when a header value holds CR or LF, a Message-ID is malformed, or an
 * address is missing. The composer already refuses these; this is the last line of defence
 * against header injection.
 */
export async function buildRawMessage(email: ComposedEmail): Promise<Buffer> {
  checkEmail(email);
  // The shape ringback composes, written straight from the email (mime-direct.ts); any other is
  // compiled by nodemailer and written in one pass (mime-bytes.ts), or streamed by it.
  const direct = directMessage(email);
  if (direct) return direct;
  const root = compileMessage(email);
  return messageBytes(root) ?? (await root.build());
}

/**
 * The MIME tree of the message (nodemailer's MailComposer); {@link buildRawMessage} writes it.
 * `baseBoundary`: the random part of the boundaries, drawn by nodemailer when absent (tests fix it).
 */
export function compileMessage(email: ComposedEmail, baseBoundary?: string): MimeNode {
  return new MailComposer({
    ...(baseBoundary === undefined ? {} : { baseBoundary }),
    messageId: email.messageId,
    date: new Date(email.date),
    from: address(email.from),
    to: email.to.map(address),
    subject: email.subject,
    ...(email.inReplyTo ? { inReplyTo: email.inReplyTo } : {}),
    ...(email.references && email.references.length > 0 ? { references: [...email.references] } : {}),
    text: email.text,
    html: email.html,
    headers: { [RINGBACK_REF_HEADER]: email.messageId },
    newline: 'linux',
    xMailer: false,
    // The content is ours: never let a value be read as a file path or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  }).compile();
}

/**
 * Fills In-Reply-To and References from the message a draft answers, unless the composer set
 * them already.
 */
export function withReplyTo(email: ComposedEmail, replyTo: DraftRef | null | undefined): ComposedEmail {
  if (!replyTo) return email;
  const inReplyTo = email.inReplyTo ?? replyTo.messageId;
  const references = [...(email.references ?? [])];
  if (!references.includes(inReplyTo)) references.push(inReplyTo);
  return { ...email, inReplyTo, references };
}

function address(person: Person): { name: string; address: string } {
  return { name: person.name, address: person.email };
}

function checkEmail(email: ComposedEmail): void {
  const values: Array<[string, string]> = [
    ['Message-ID', email.messageId],
    ['Subject', email.subject],
    ['From name', email.from.name],
    ['From address', email.from.email],
    ...email.to.flatMap((person): Array<[string, string]> => [
      ['To name', person.name],
      ['To address', person.email],
    ]),
    ...(email.inReplyTo === undefined ? [] : [['In-Reply-To', email.inReplyTo] as [string, string]]),
    ...(email.references ?? []).map((id): [string, string] => ['References', id]),
  ];
  for (const [field, value] of values) {
    if (LINE_BREAK.test(value)) {
      throw new PermanentError(`refusing to write ${email.messageId.slice(0, 80)}: ${field} contains a line break`);
    }
  }
  for (const [field, id] of [
    ['Message-ID', email.messageId],
    ...(email.inReplyTo === undefined ? [] : [['In-Reply-To', email.inReplyTo]]),
    ...(email.references ?? []).map((id) => ['References', id]),
  ] as Array<[string, string]>) {
    if (!MESSAGE_ID.test(id)) throw new PermanentError(`refusing to write a message: ${field} ${JSON.stringify(id)} is not <local@domain>`);
  }
  if (!isPlainAddress(email.from.email)) throw new PermanentError(`refusing to write ${email.messageId}: the From address is not one address`);
  // No recipient at all is a draft for the user to address (a counterpart without an address, see
  // domain/plan.ts NO_RECIPIENT); ringback never sends one, and smtp.ts refuses a message without.
  if (email.to.some((person) => !isPlainAddress(person.email))) {
    throw new PermanentError(`refusing to write ${email.messageId}: a recipient is not one plain address`);
  }
}

/** The headers the adapters read, decoded. Addresses are lower-cased. */
export interface MessageHeaders {
  readonly messageId: string | null;
  /** ringback's Message-ID kept in {@link RINGBACK_REF_HEADER}, or null. */
  readonly ringbackRef: string | null;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  readonly from: readonly string[];
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** A Bcc line is only ever the user's own edit of a draft. */
  readonly bcc: readonly string[];
  readonly subject: string;
  /** The Date header, or null when absent or unreadable. */
  readonly date: Millis | null;
}

/**
 * Where the body starts: the index just after the blank line that ends the header block, or -1
 * when `raw` holds no complete header block.
 */
export function headerBlockEnd(raw: Buffer): number {
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
    if (raw[i + 1] === 0x0a) return i + 2;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

/**
 * The part of `raw` that {@link headerFields} reads: the header block, or its first
 * {@link HEADER_READ_LIMIT} bytes when it has no end. A view of `raw`, not a copy.
 */
export function headerBlock(raw: Buffer): Buffer {
  const end = headerBlockEnd(raw);
  return raw.subarray(0, end === -1 ? Math.min(raw.length, HEADER_READ_LIMIT) : end);
}

/** Raw header fields in order, unfolded: `[lower-cased name, value]`. */
export function headerFields(raw: Buffer): Array<[string, string]> {
  const block = headerBlock(raw).toString('utf8');
  const fields: Array<[string, string]> = [];
  for (const line of block.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] += ' ' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return fields;
}

/** Parses only the header block of a message (the body is never read). */
export function readHeaders(raw: Buffer): MessageHeaders {
  const fields = headerFields(raw);
  const first = (name: string): string | undefined => fields.find(([key]) => key === name)?.[1];
  const all = (name: string): string => fields.filter(([key]) => key === name).map(([, value]) => value).join(', ');
  const dateText = first('date');
  const date = dateText === undefined ? NaN : Date.parse(dateText);
  return {
    messageId: messageIds(first('message-id'))[0] ?? null,
    ringbackRef: messageIds(first(RINGBACK_REF_HEADER.toLowerCase()))[0] ?? null,
    inReplyTo: messageIds(first('in-reply-to')),
    references: messageIds(all('references')),
    from: addresses(all('from')),
    to: addresses(all('to')),
    cc: addresses(all('cc')),
    bcc: addresses(all('bcc')),
    subject: decodeWords(first('subject') ?? ''),
    date: Number.isFinite(date) ? date : null,
  };
}

/** Removes every occurrence of a header field (with its folded lines) from a message. */
export function stripHeader(raw: Buffer, name: string): Buffer {
  const end = headerBlockEnd(raw);
  if (end === -1) return raw;
  const lines = raw.subarray(0, end).toString('utf8').split(/(?<=\n)/);
  const wanted = name.toLowerCase() + ':';
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line) && dropping) continue;
    dropping = line.toLowerCase().startsWith(wanted);
    if (!dropping) kept.push(line);
  }
  return Buffer.concat([Buffer.from(kept.join(''), 'utf8'), raw.subarray(end)]);
}

/**
 * The message with its Date set to `at` (RFC 5322 3.3, numeric zone): a draft written the day
 * before must not reach the recipient dated yesterday while it says "today". Mail clients stamp
 * Date when they send a draft; a relay of the draft's bytes has to do the same (the complaint of
 * a draft sent with its creation time, https://github.com/djcb/mu/issues/452).
 */
export function datedAt(raw: Buffer, at: Millis): Buffer {
  const end = headerBlockEnd(raw);
  if (end === -1 || !Number.isFinite(at)) return raw;
  const stripped = stripHeader(raw, 'date');
  const eol = raw.subarray(0, end).includes('\r\n') ? '\r\n' : '\n';
  const date = new Date(at).toUTCString().replace(/GMT$/, '+0000');
  return Buffer.concat([Buffer.from(`Date: ${date}${eol}`, 'utf8'), stripped]);
}

function messageIds(value: string | undefined): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

function addresses(value: string): string[] {
  if (!value) return [];
  return addressparser(value, { flatten: true })
    .map((entry) => entry.address.trim().toLowerCase())
    .filter((entry) => entry.length > 0);
}

/** Decodes RFC 2047 encoded words (`=?charset?B|Q?text?=`) in an unstructured header value. */
export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)/g, '$1')
    .replace(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g, (word, charset: string, encoding: string, text: string) => {
      const bytes =
        encoding.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
              'latin1',
            );
      const label = charset.split('*')[0] ?? charset;
      // An unknown charset leaves the word as written: still readable, and nothing is lost.
      return isKnownCharset(label) ? new TextDecoder(label).decode(bytes) : word;
    });
}

function isKnownCharset(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
