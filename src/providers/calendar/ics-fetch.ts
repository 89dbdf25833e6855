/**
 * Reading an `ics` calendar: a file on disk, or a feed URL fetched conditionally (ETag,
 * Last-Modified) so that an unchanged feed answers 304. Either gives a {@link Snapshot}: the bytes
 * with what the cursor keeps about them, or "unchanged".
 *
 * The URL is a secret: errors name its host only.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Millis } from '../../domain/types.js';
import { parseRetryAfter, PermanentError, RateLimitError, TransientError } from '../errors.js';
import { isLoopbackHost } from '../loopback.js';

/** What the cursor keeps about the content, to tell a later read whether it changed. */
export interface SnapshotMeta {
  readonly mtimeMs?: number;
  readonly size?: number;
  readonly etag?: string;
  readonly lastModified?: string;
}

/** What was read: the content with what the cursor keeps about it, or "not modified" (HTTP 304). */
export type Snapshot = { readonly kind: 'content'; readonly bytes: Uint8Array; readonly meta: SnapshotMeta } | { readonly kind: 'unchanged' };

// ---------------------------------------------------------------------------------------------
// File

export async function readSnapshot(path: string, maxBytes: number, signal: AbortSignal): Promise<Snapshot> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new PermanentError(`the calendar file ${path} is not a file`);
    if (info.size > maxBytes) throw new PermanentError(`the calendar file ${path} is larger than ${maxBytes} bytes`);
    const bytes = await readFile(path, { signal });
    if (bytes.length > maxBytes) throw new PermanentError(`the calendar file ${path} is larger than ${maxBytes} bytes`);
    return { kind: 'content', bytes, meta: { mtimeMs: info.mtimeMs, size: bytes.length } };
  } catch (error) {
    if (error instanceof PermanentError || signal.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new PermanentError(`the calendar file ${path} does not exist`, { cause: error });
    if (code === 'EACCES' || code === 'EPERM') throw new PermanentError(`the calendar file ${path} cannot be read (permission denied)`, { cause: error });
    if (code === 'EISDIR') throw new PermanentError(`the calendar file ${path} is a folder`, { cause: error });
    throw new TransientError(`the calendar file ${path} could not be read (${code ?? 'unknown error'})`, { cause: error });
  }
}

// ---------------------------------------------------------------------------------------------
// URL

interface FetchRequest {
  readonly url: string;
  /** The validators of the content listed for the same window: they make the request conditional. */
  readonly previous: Pick<SnapshotMeta, 'etag' | 'lastModified'> | null;
  readonly maxBytes: number;
  readonly fetchFn: typeof fetch;
  readonly now: () => Millis;
  readonly signal: AbortSignal;
}

/** The host of a URL, the only part of it that messages may show. */
export function hostOf(url: string): string {
  try {
    return new URL(url.replace(/^webcal:/i, 'https:')).host || 'an unnamed host';
  } catch {
    return 'an invalid address';
  }
}

/**
 * Why a feed address must not be fetched as written, or null: a user name and password in an
 * http: address would cross the network in the clear (Basic auth is only base64). Allowed on this
 * computer's own loopback, where nothing crosses a network. A webcal: address is fetched over https.
 */
export function plainHttpCredentials(url: string): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' || (!target.username && !target.password) || isLoopbackHost(target.hostname)) return null;
  return `the calendar URL on ${target.host} has a user name and password but starts with http:, which would send them unencrypted: use its https: address`;
}
export async function fetchSnapshot(request: FetchRequest): Promise<Snapshot> {
  const { previous, maxBytes, signal } = request;
  let target: URL;
  try {
    target = new URL(request.url.replace(/^webcal:/i, 'https:'));
  } catch {
    throw new PermanentError('the calendar URL is not a valid address');
  }
  const host = target.host;
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new PermanentError(`the calendar URL on ${host} must start with https:, http: or webcal:`);
  }
  const unsafe = plainHttpCredentials(target.href);
  if (unsafe) throw new PermanentError(unsafe);
  const headers = new Headers({ accept: 'text/calendar, */*;q=0.5' });
  if (target.username || target.password) {
    // fetch refuses URLs with credentials in them; send them as Basic auth instead.
    const user = `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(user).toString('base64')}`);
    target.username = '';
    target.password = '';
  }
  if (previous?.etag) headers.set('if-none-match', previous.etag);
  if (previous?.lastModified) headers.set('if-modified-since', previous.lastModified);

  let response: Response;
  try {
    response = await request.fetchFn(target, { headers, signal, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    // The error's own text may quote the address; keep only its code.
    throw new TransientError(`the calendar host ${host} could not be reached (${networkCode(error)})`);
  }
  const { status } = response;
  if (status === 304) return { kind: 'unchanged' };
  if (status < 200 || status >= 300) {
    await response.body?.cancel();
    // A 503 may say when to come back too (RFC 9110 §15.6.4); without it, it is a 5xx like any other.
    const retryAfter = response.headers.get('retry-after');
    if (status === 429 || (status === 503 && retryAfter !== null)) {
      const waitMs = parseRetryAfter(retryAfter, request.now());
      throw new RateLimitError(`the calendar host ${host} asks to slow down (${status})`, waitMs);
    }
    if (status === 401 || status === 403 || status === 404 || status === 410) {
      throw new PermanentError(`the calendar URL answered ${status}: check the secret address (host ${host})`);
    }
    if (status === 408 || status >= 500) throw new TransientError(`the calendar host ${host} answered ${status}`);
    throw new PermanentError(`the calendar URL answered ${status} (host ${host})`);
  }
  const bytes = await readBody(response, maxBytes, host, signal);
  const meta: { etag?: string; lastModified?: string } = {};
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  if (etag) meta.etag = etag;
  if (lastModified) meta.lastModified = lastModified;
  return { kind: 'content', bytes, meta };
}

async function readBody(response: Response, maxBytes: number, host: string, signal: AbortSignal): Promise<Uint8Array> {
  const tooLarge = (): PermanentError => new PermanentError(`the calendar at ${host} is larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.length;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    if (error instanceof PermanentError) throw error;
    if (signal.aborted) throw signal.reason;
    throw new TransientError(`the answer from the calendar host ${host} broke off (${networkCode(error)})`);
  }
  return Buffer.concat(chunks, total);
}

function networkCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause?.code ?? (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'network error';
}
