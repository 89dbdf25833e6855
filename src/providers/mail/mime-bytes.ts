/**
 * The bytes of a message compiled by nodemailer's MailComposer, written without streams.
 *
 * nodemailer's own `build()` streams every part through Node streams and `stream.pipeline`
 * (an AbortController and a DOMException per part, a `setImmediate` per step): about a tenth of
 * the CPU a confirmation draft cost the daemon in the fire benchmark (bench/README.md, "A message
 * built without streams"). The parts ringback writes are short texts held in memory, so the same
 * bytes are written here in one pass, with nodemailer's own pieces: the headers from
 * `buildHeaders()` (RFC 2047 encoded words, folding at 76), the bodies from its quoted-printable
 * and base64 encoders' `encode` and `wrap`, the boundaries it drew. What its `build()` adds on
 * the way is done the same: a final line break (LastNewline), then every CR removed (LeUnix, for
 * `newline: 'linux'`). test/providers/mail/mime.test.ts checks the result against `build()` byte for
 * byte.
 */
import * as base64 from 'nodemailer/lib/base64';
import type MimeNode from 'nodemailer/lib/mime-node';
import * as qp from 'nodemailer/lib/qp';

/**
 * The message as nodemailer's `build()` gives it with `newline: 'linux'`, or null for a tree
 * this does not write (content that is not a string or a Buffer held in memory, a non-text part
 * to encode, raw nodes): the caller then lets nodemailer stream it.
 */
export function messageBytes(root: MimeNode): Buffer | null {
  const parts: string[] = [];
  if (!writeNode(root, parts)) return null;
  return finishMessage(parts.join(''));
}

/** What `build()` does to the text of the whole message on the way out, with `newline: 'linux'`. */
export function finishMessage(message: string): Buffer {
  let text = message;
  // LastNewline: the message ends with a line break.
  if (!text.endsWith('\n')) text += text.endsWith('\r') ? '\n' : '\r\n';
  // LeUnix: every CR goes, as nodemailer's newline transform removes them.
  return Buffer.from(text.replace(/\r/g, ''), 'utf8');
}

interface NodeInternals {
  readonly _raw?: unknown;
  readonly _transforms?: readonly unknown[];
  readonly _processFuncs?: readonly unknown[];
}

function writeNode(node: MimeNode, out: string[]): boolean {
  const internals = node as unknown as NodeInternals;
  if (internals._raw) return false;
  if ((internals._transforms?.length ?? 0) > 0 || (internals._processFuncs?.length ?? 0) > 0) return false;
  const content = node.content;
  if (content !== undefined && typeof content !== 'string') return false;
  // In the order MimeNode.stream asks them: the encoding, then the headers (which set the
  // content type, the multipart subtype and the boundary).
  const transferEncoding = node.getTransferEncoding();
  out.push(node.buildHeaders() + '\r\n\r\n');
  if (content) {
    if (transferEncoding === 'base64') out.push(base64.wrap(base64.encode(content), 76));
    else if (transferEncoding === 'quoted-printable') {
      // nodemailer encodes a non-text part as binary (a lone CR or LF is data): not written here.
      if (!/^text\//i.test(node.contentType ?? '')) return false;
      const body = quotedPrintable(Buffer.from(content, 'utf8'));
      if (body === null) return false;
      out.push(body);
    } else out.push(content);
  }
  if (!node.multipart) return true;
  for (const [i, child] of node.childNodes.entries()) {
    out.push(`${i > 0 ? '\r\n' : ''}--${String(node.boundary)}\r\n`);
    if (!writeNode(child, out)) return false;
  }
  out.push(`\r\n--${String(node.boundary)}--\r\n`);
  return true;
}

/** What nodemailer's quoted-printable encoder takes in one slice (ENCODE_SLICE_SIZE in nodemailer/lib/qp). */
const QP_SLICE = 64 * 1024;

/**
 * A text body as nodemailer's quoted-printable encoder stream writes it when the text comes in
 * one chunk: the blanks the text ends with are held back and encoded after the rest, and each
 * step is wrapped at 76 with the last unfinished line carried over, so a soft break can fall
 * differently than one `wrap(encode(text))` would put it. Null for a text of more than one
 * slice (never one ringback writes), which is left to the stream.
 */
export function quotedPrintable(bytes: Buffer): string | null {
  if (bytes.length > QP_SLICE) return null;
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  let done = '';
  let line = '';
  for (const piece of [bytes.subarray(0, end), bytes.subarray(end)]) {
    if (piece.length === 0) continue;
    const wrapped = qp.wrap(line + qp.encode(piece), 76);
    const lastBreak = wrapped.lastIndexOf('\n');
    done += wrapped.substring(0, lastBreak + 1);
    line = wrapped.substring(lastBreak + 1);
  }
  return done + line;
}
