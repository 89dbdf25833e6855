/**
 * Retry behaviour is a type. Adapters translate their SDK's failures into one of these; the queue
 * decides what to do from the type alone:
 * - {@link AuthError}: credentials refused (invalid_grant, wrong password). Not retried; the account
 *   is marked as needing attention and the other accounts go on.
 * - {@link RateLimitError}: 429 or a quota error. Retried after `retryAfterMs`.
 * - {@link TransientError}: 5xx, timeouts, dropped connections. Retried with backoff.
 * - {@link AccountUnusableError}: the account cannot be used until something outside ringback
 *   changes (a Maildir folder missing, no permission on it, an IMAP folder missing, a mailbox that
 *   cannot be opened). Like AuthError, the action is parked until the account works again.
 * - {@link PermanentError}: any other hard 4xx: a fault of the request or the email itself (a
 *   recipient or header the server refuses). Not retried; the action fails for good.
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
 * A permanent failure of the account rather than of the email: it lasts until the user acts
 * (creates the folder, fixes a permission), and then the same action succeeds. A subclass of
 * PermanentError because nothing is gained by retrying it at once; the queue parks it instead.
 */
export class AccountUnusableError extends PermanentError {}

/**
 * A status the caller said it handles itself (410 for a stale sync or delta token, 404 for a draft
 * that is gone), thrown by an adapter's HTTP call instead of a provider error. Not a
 * {@link ProviderError}: it never leaves the adapter that asked for it, and the queue never sees one.
 */
export class ExpectedStatus extends Error {
  constructor(
    readonly status: number,
    /** The provider's own name for the failure (Google's reason, Graph's error code), when it gave one. */
    readonly code: string | null,
  ) {
    super(`HTTP ${status}${code ? ` ${code}` : ''}`);
    this.name = 'ExpectedStatus';
  }
}

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
