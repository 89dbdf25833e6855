/**
 * The bytes of a message of the shape ringback composes (a text and an HTML version of one email,
 * from one person to plain addresses), written straight from the {@link ComposedEmail}: the very
 * bytes nodemailer's MailComposer tree gives (mime-bytes.ts), without building the tree.
 *
 * Compiling the tree and asking it for its headers was still about a tenth of the CPU a
 * confirmation draft cost the daemon in the fire benchmark after the message was written without
 * streams (bench/README.md). Here each header is what the node would write, made by nodemailer's
 * own functions (`encodeWords`, `encodeWord`, `quoteString`, `foldLines`, `buildHeaderValue`, the
 * quoted-printable and base64 encoders) in the node's order, following its rules for choosing an
 * encoding (mime-node: `_getTextEncoding`, `getTransferEncoding`, `_encodeAddressName`,
 * `_encodeHeaderText`). Whatever would take another of its paths (an address it would rewrite:
 * punycode, quoting, brackets; an empty body; a date it cannot write) gives null, and the tree is
 * built as before. test/providers/mail/mime.test.ts compares both byte for byte, the boundary
 * aside, on random messages and on every email of docs/emails.
 */
import { randomBytes } from 'node:crypto';
import * as base64 from 'nodemailer/lib/base64';
import { buildHeaderValue, encodeWord, encodeWords, foldLines, hasLongerLines, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';
import type { ComposedEmail, Person } from '../../domain/types.js';
import { finishMessage, quotedPrintable } from './mime-bytes.js';

/**
 * An address nodemailer writes as it is given: an ASCII dot-atom, '@', a lower-case ASCII host
 * name. Anything else it may rewrite (punycode, a quoted local part, brackets).
 */
const SIMPLE_ADDRESS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?:\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;

/** Control characters an unstructured header cannot carry as they are (mime-node `_encodeHeaderText`). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/** 'Q' when Latin letters outnumber the other characters, else 'B' (mime-node `_getTextEncoding`). */
function textEncoding(value: string): 'Q' | 'B' {
  let other = 0;
  let latin = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x08 || code === 0x0b || code === 0x0c || (code >= 0x0e && code <= 0x1f) || code >= 0x80) other++;
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) latin++;
  }
  return other < latin ? 'Q' : 'B';
}

/** A person as an address header lists them (mime-node `_convertAddresses`), or null for an address it would rewrite. */
function addressOf(person: Person): string | null {
  if (!SIMPLE_ADDRESS.test(person.email)) return null;
  const name = person.name;
  if (!name) return person.email;
  if (/^[\w ]*$/.test(name)) return `${name} <${person.email}>`;
  if (/^[\x20-\x7e]*$/.test(name)) return `${quoteString(name)} <${person.email}>`;
  return `${encodeWord(name, textEncoding(name), 52)} <${person.email}>`;
}

/** An unstructured header's value (mime-node `_encodeHeaderText`). */
function headerText(value: string): string {
  return HEADER_CONTROLS.test(value) ? encodeWord(value, textEncoding(value), 52) : encodeWords(value, textEncoding(value), 52, true);
}

/** A message id as written in Message-ID and In-Reply-To, or null for one nodemailer would change. */
function messageIdValue(id: string): string | null {
  // eslint-disable-next-line no-control-regex -- an id with a control character is left to nodemailer
  return /^<[^<>\s\x00-\x1f\x7f]+>$/.test(id) ? id : null;
}

/**
 * The lines of a header block: each `Key: value` folded at 76, none for a blank value (as
 * `buildHeaders` leaves those out).
 */
function headerLines(headers: readonly (readonly [string, string])[]): string {
  return headers
    .filter(([, value]) => value.trim() !== '')
    .map(([key, value]) => foldLines(`${key}: ${value}`, 76))
    .join('\r\n');
}

/** A text part: its headers, then its body in the encoding the node would choose (`getTransferEncoding`). */
function textPart(type: 'text/plain' | 'text/html', content: string): string {
  const plain = isPlainText(content) && !hasLongerLines(content, 76);
  const encoding = plain ? '7bit' : textEncoding(content) === 'Q' ? 'quoted-printable' : 'base64';
  const body = encoding === '7bit' ? content : encoding === 'base64' ? base64.wrap(base64.encode(content), 76) : quotedPrintable(Buffer.from(content, 'utf8'));
  if (body === null) return '';
  const head = headerLines([
    ['Content-Type', buildHeaderValue({ value: type, params: { charset: 'utf-8' } })],
    ['Content-Transfer-Encoding', encoding],
  ]);
  return `${head}\r\n\r\n${body}`;
}

/**
 * The message as buildRawMessage stores it, or null for a message of another shape (then the
 * MailComposer tree is built). `baseBoundary`: the random part of the boundary (tests fix it).
 */
export function directMessage(email: ComposedEmail, baseBoundary: string = randomBytes(8).toString('hex')): Buffer | null {
  if (!email.text || !email.html || !Number.isFinite(email.date)) return null;
  const from = addressOf(email.from);
  const to = email.to.map(addressOf);
  const messageId = messageIdValue(email.messageId);
  const inReplyTo = email.inReplyTo ? messageIdValue(email.inReplyTo) : '';
  const references = (email.references ?? []).map(messageIdValue);
  if (from === null || messageId === null || inReplyTo === null || to.some((a) => a === null) || references.some((id) => id === null)) return null;
  const text = textPart('text/plain', email.text);
  const html = textPart('text/html', email.html);
  if (text === '' || html === '') return null;

  // The root node's boundary: its prefix, the random part, and the root's node id (1).
  const boundary = `--_NmP-${baseBoundary}-Part_1`;
  const head = headerLines([
    ['X-Ringback-Ref', headerText(email.messageId)],
    ['From', from],
    ['To', to.join(', ')],
    ['In-Reply-To', inReplyTo],
    ['References', references.join(' ')],
    ['Subject', headerText(email.subject)],
    ['Message-ID', messageId],
    ['Date', new Date(email.date).toUTCString().replace(/GMT/, '+0000')],
    ['MIME-Version', '1.0'],
    ['Content-Type', buildHeaderValue({ value: 'multipart/alternative', params: { boundary } })],
  ]);
  return finishMessage(`${head}\r\n\r\n--${boundary}\r\n${text}\r\n--${boundary}\r\n${html}\r\n--${boundary}--\r\n`);
}
