/**
 * Retry behaviour is a type. Adapters translate their SDK's failures into one of these; the queue
 * decides what to do from the type alone:
 * - {@link AuthError}: credentials refused (invalid_grant, wrong password). Not retried; the account
 *   is marked as needing attention and the other accounts go on.
 * - {@link RateLimitError}: 429 or a quota error. Retried after `retryAfterMs`.
 * - {@link TransientError}: 5xx, timeouts, dropped connections. Retried with backoff.
 * - {@link PermanentError}: any other hard 4xx. Not retried.
 */
export class ProviderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class AuthError extends ProviderError {}

export class RateLimitError extends ProviderError {
  constructor(
    message: string,
    /** How long the provider asked us to wait. */
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class TransientError extends ProviderError {}

export class PermanentError extends ProviderError {}

/**
 * Parses an HTTP Retry-After value (seconds or an HTTP date) into milliseconds from `now`.
 * Falls back to `fallbackMs` when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number, fallbackMs = 30_000): number {
  if (!value) return fallbackMs;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  if (Number.isFinite(at)) return Math.max(0, at - now);
  return fallbackMs;
}
