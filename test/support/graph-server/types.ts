/** What the parts of the local Graph server share: one parsed request, one answer. */

export interface Call {
  readonly method: string;
  /** The URL as received (path and query exactly as the client wrote them). */
  readonly raw: string;
  readonly url: URL;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** Preferences of the Prefer header(s), by lower-cased name: `odata.maxpagesize` → `5`. */
  readonly prefer: ReadonlyMap<string, string>;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-encoded unless a string or bytes, which are sent as they are. */
  readonly body?: unknown;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

/** Graph's error shape: `{ error: { code, message } }`. */
export function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: { error: { code, message, innerError: { date: new Date().toISOString() } } } };
}

export function parseJson(call: Call): Record<string, unknown> {
  if (call.text.trim() === '') return {};
  const parsed: unknown = JSON.parse(call.text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('body is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** `2031-03-04T15:00:00.0000000`: Graph's dateTime, in UTC, without an offset. */
export function graphDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000');
}

export function randomId(bytes = 12): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < bytes; i += 1) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}
