/**
 * A `fetch` for clients of the local Graph server: node:https with the server's self-signed
 * certificate as the only trusted CA, answering with a WHATWG Response as the global fetch does.
 * The adapters and msal take it through their `fetch` option; nothing global is changed.
 */
import { request } from 'node:https';
import { Agent } from 'node:https';
import type { FetchLike } from '../../../src/providers/microsoft/graph-transport.js';

const NULL_BODY = new Set([101, 204, 205, 304]);

export function trustingFetch(ca: string): FetchLike {
  const agent = new Agent({ ca, keepAlive: true });
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, key) => {
        headers[key] = value;
      });
      const body = bodyOf(init.body);
      if (body !== null) headers['content-length'] = String(body.length);
      const outgoing = request(url, { method: init.method ?? 'GET', headers, agent }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const status = incoming.statusCode ?? 500;
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
            responseHeaders.append(incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!);
          }
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: incoming.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        });
      });
      // As the global fetch does: an aborted request rejects with the signal's reason
      // (a TimeoutError for AbortSignal.timeout), not with a generic AbortError.
      const onAbort = (): void => {
        outgoing.destroy();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('close', () => signal?.removeEventListener('abort', onAbort));
      outgoing.on('error', (error) => reject(signal?.aborted ? signal.reason : error));
      if (body !== null) outgoing.write(body);
      outgoing.end();
    });
}

function bodyOf(body: RequestInit['body']): Buffer | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  throw new Error(`test fetch: unsupported body type ${Object.prototype.toString.call(body)}`);
}
