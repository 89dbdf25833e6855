/**
 * A small, total MIME reader for what delivery reports need: a message's headers (unfolded,
 * encoded words decoded) and its parts as a flat list, each with its media type and its body
 * decoded to text. Never throws on malformed input: what cannot be read is left out. Bounded: at
 * most {@link MAX_PARTS} parts, {@link MAX_DEPTH} levels of nesting.
 */

export interface MimePart {
  /** Lower-cased `type/subtype`; `text/plain` when absent. */
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
  /** The decoded body as text. */
  readonly text: string;
}

export interface MimeMessage {
  /** Lower-cased header name → every value, unfolded and decoded, in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** Every leaf part, depth first; a `message/*` part is a leaf too (its text is the embedded message). */
  readonly parts: readonly MimePart[];
}

const MAX_PARTS = 50;
const MAX_DEPTH = 5;

export function readMime(raw: Buffer | string): MimeMessage {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const { headers, body } = splitMessage(text);
  const parts: MimePart[] = [];
  walk(headers, body, 0, parts);
  return { headers, parts };
}

/** The headers of a message (or of an embedded one, given as text). */
export function readHeaderBlock(text: string): ReadonlyMap<string, readonly string[]> {
  return splitMessage(text).headers;
}

export function first(headers: ReadonlyMap<string, readonly string[]>, name: string): string | null {
  return headers.get(name)?.[0] ?? null;
}

function splitMessage(text: string): { headers: Map<string, string[]>; body: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const body = match ? text.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string[]>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = decodeWords(line.slice(colon + 1).trim());
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { headers, body };
}

function walk(headers: ReadonlyMap<string, readonly string[]>, body: string, depth: number, parts: MimePart[]): void {
  if (parts.length >= MAX_PARTS) return;
  const { type, params } = contentType(first(headers, 'content-type'));
  const boundary = params.boundary;
  if (type.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    for (const piece of splitMultipart(body, boundary)) {
      const inner = splitMessage(piece);
      walk(inner.headers, inner.body, depth + 1, parts);
    }
    return;
  }
  const bytes = transferDecoded(body, (first(headers, 'content-transfer-encoding') ?? '').toLowerCase());
  parts.push({ type, params, text: charsetDecoded(bytes, params.charset) });
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const pieces: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) break;
    if (trimmed === delimiter) {
      if (current) pieces.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) pieces.push(current.join('\n'));
  return pieces;
}

/** `multipart/report; report-type=delivery-status; boundary="x"` → type and lower-cased parameter names. */
export function contentType(value: string | null): { type: string; params: Record<string, string> } {
  if (value === null) return { type: 'text/plain', params: {} };
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq <= 0) continue;
    params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: (head ?? '').trim().toLowerCase() || 'text/plain', params };
}

function transferDecoded(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (encoding === 'quoted-printable') return quotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

function quotedPrintable(body: string): Buffer {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i += 1) {
    const hex = soft[i] === '=' ? /^[0-9A-Fa-f]{2}$/.exec(soft.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function charsetDecoded(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch (error) {
    // An unknown charset label: read it as UTF-8, replacing what does not decode.
    if (error instanceof RangeError) return new TextDecoder('utf-8').decode(bytes);
    throw error;
  }
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) in a header value. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=(\s+(?==\?))?/g, (_, charset: string, encoding: string, data: string) => {
    const bytes = encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : quotedPrintable(data.replace(/_/g, ' '));
    return charsetDecoded(bytes, charset.replace(/\*.*$/, ''));
  });
}
