/**
 * msal's HTTP client for the sign-in server, on the same {@link FetchLike} the Graph adapters
 * use, so that one setting (a proxy's CA, a test server's certificate) covers both.
 */
import { ServerError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { FetchLike } from './graph-transport.js';

/**
 * msal's HTTP client on {@link FetchLike}. Like msal's own, it answers with the status and the
 * parsed body rather than throwing on an error status; unlike it, it puts the status into an
 * error body (as msal's confidential client does) so that msal's `ServerError` carries it and a
 * 429 or a 5xx is told apart from a refused sign-in, and it turns a body that is not JSON (a
 * proxy's error page, or an error body of another shape) into an OAuth error instead of a parse
 * failure.
 */
export function fetchNetworkModule(fetchLike: FetchLike, timeoutMs: number): INetworkModule {
  const send = async <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    const response = await fetchLike(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      signal: AbortSignal.timeout(timeout ?? timeoutMs),
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = bodyOf(text, response.status);
    // msal reads the device authorization answer without looking for an error (a registration
    // that does not allow public client flows gets `unauthorized_client` there): say it as msal
    // says token endpoint errors.
    if (method === 'POST' && !response.ok && /\/devicecode$/.test(new URL(url).pathname)) throw serverError(body, response.status);
    // A 429 of the token endpoint comes with the wait it asks for (`Retry-After: 60`,
    // https://learn.microsoft.com/entra/msal/dotnet/advanced/client-and-server-throttling), and
    // msal's ServerError carries no header: the error is made here, with the Retry-After kept beside
    // it (signInRetryAfter). msal passes an error of its own kind on as it is, and keeps no
    // throttling entry of its own for it (msal-common ThrottlingUtils), whose refusals come without
    // a status. (For a 5xx it does keep one, 60 s without Retry-After, but msal-node clears it
    // before every silent token request because the token cache has a plugin: TokenCache
    // overwriteCache. auth.int.test.ts pins that a retry within the minute reaches the server.)
    if (method === 'POST' && response.status === 429) {
      const error = serverError(body, response.status);
      const retryAfter = response.headers.get('retry-after');
      if (retryAfter !== null) retryAfters.set(error, retryAfter);
      throw error;
    }
    return { headers, body: body as T, status: response.status };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

const retryAfters = new WeakMap<ServerError, string>();

/** The Retry-After the token endpoint sent with this error (its 429), as sent; null when none. */
export function signInRetryAfter(error: ServerError): string | null {
  return retryAfters.get(error) ?? null;
}

function serverError(body: unknown, status: number): ServerError {
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  return new ServerError(String(error), '', typeof description === 'string' ? description : undefined, undefined, undefined, status);
}

function bodyOf(text: string, status: number): unknown {
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    parsed = null;
  }
  const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  if (status >= 200 && status < 300) return body;
  // An `error` or `error_description` that is not a string (a gateway's `{ error: { code,
  // message } }`) would reach the messages as "[object Object]": the status names it instead.
  return {
    ...body,
    error: typeof body.error === 'string' ? body.error : status >= 500 || status === 429 ? 'temporarily_unavailable' : 'invalid_request',
    error_description: typeof body.error_description === 'string' ? body.error_description : `HTTP ${status}`,
    status: typeof body.status === 'number' ? body.status : status,
  };
}
