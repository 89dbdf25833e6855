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
 * A status the caller said it handles itself (404 for a draft that is gone, 410 for a stale sync
 * token or delta link): thrown by the Google and Graph request helpers instead of a provider
 * error, and caught by the adapter that asked for it, so it never reaches the queue. `code` is the
 * provider's own word for the failure (Google's reason, Graph's error code) when it gave one.
 */
export class ExpectedStatus extends Error {
  constructor(
    readonly status: number,
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

/**
 * The waits before a mailbox read (a GET: a draft, a search of Sent or Drafts, a thread, a reply)
 * that failed transiently (a 5xx, a timeout, a dropped connection) is tried again within the same
 * step, by the Gmail and the Microsoft 365 mailboxes. Sending a confirmation reads up to eight
 * times around its one write; with only the queue's retry, each new attempt made every read
 * again, and one failure among them lost the whole attempt: with one request in five failing
 * (`npm run chaos provider-faults`), an attempt went through about one time in eight, and
 * confirmations were still unsent after five minutes; with these waits all went out exactly once
 * in 50 s. A read changes nothing, so trying it again is safe; writes and the send are left to
 * the queue's policy, and so is a rate limit, whose Retry-After the rate gate keeps.
 */
export const READ_RETRY_MS: readonly number[] = [250, 1_000];
