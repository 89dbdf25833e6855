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
 * - {@link LimitReachedError}: a limit of the provider's reached (Gmail's sending limit, its IMAP
 *   command and bandwidth limit), which lifts by itself, or a block of the account's sending that
 *   only a send can tell lifted (Microsoft's): parked like an unusable account, and the account is
 *   not checked again before the limit can have lifted.
 * - {@link PermanentError}: any other hard 4xx: a fault of the request or the email itself (a
 *   recipient or header the server refuses). Not retried; the action fails for good.
 */
export interface ProviderErrorOptions {
  readonly cause?: unknown;
  /**
   * What the user can do, in one line, where it is not what the error's type says in general
   * (src/engine/account-fix.ts): a login refused until TLS is used, a limit that lifts by itself.
   */
  readonly fix?: string;
  /**
   * What went wrong, in plain words for the user, apart from the message (which keeps the
   * server's raw reply for the log and the audit): no reply, code, host or address, lower-case,
   * no full stop ("the mail server took it for spam and refused it"). Said where the adapter
   * knows them: the note left in Drafts when a confirmation did not leave quotes them
   * (src/engine/missed-notice.ts) and never the message.
   */
  readonly plain?: string;
}

export class ProviderError extends Error {
  readonly fix: string | undefined;
  readonly plain: string | undefined;
  constructor(message: string, options?: ProviderErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.fix = options?.fix;
    this.plain = options?.plain;
  }
}

export class AuthError extends ProviderError {}

export class RateLimitError extends ProviderError {
  constructor(
    message: string,
    /** How long the provider asked us to wait. */
    readonly retryAfterMs: number,
    options?: ProviderErrorOptions,
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
 * How long a limit that lifts by itself is left alone before the account is checked again when the
 * provider says no time: Google's IMAP request limits typically last an hour (support.google.com/a/
 * answer/1359240). Hourly, a lifted limit is noticed within the hour, and the audit says "needs
 * attention" at most once an hour meanwhile. Sending limits are checked sooner:
 * {@link SENDING_LIMIT_RECHECK_MS}.
 */
export const LIMIT_RECHECK_MS = 60 * 60_000;

/**
 * How long a sending limit holds the sends before one is tried again, when the provider names no
 * time. Only confirmations wait on it, and a confirmation is due an hour or two before its call:
 * checked hourly, a limit that lifted just after a check held every confirmation of the next hour
 * until its call came, and each was missed. A quarter of an hour loses at most that. Trying costs
 * one refused send: Gmail counts the messages sent over a rolling 24 hours ("Limits per day are
 * applied over a rolling 24-hour period", support.google.com/a/answer/166852) and says nothing of
 * refused attempts lengthening the wait, nor does Exchange Online of its rolling recipient limit;
 * the cost is an audit line "needs attention" each quarter of an hour while the limit lasts.
 */
export const SENDING_LIMIT_RECHECK_MS = 15 * 60_000;

/**
 * Gmail: "After reaching one of these limits, users can't send new messages for up to 24 hours"
 * (Google Workspace Admin Help, "Gmail sending limits in Google Workspace",
 * support.google.com/a/answer/166852); Exchange Online counts its recipient limit over a rolling 24 hours.
 */
const SENDING_LIMIT_FIX =
  "the provider's sending limit for this account is reached: it lifts by itself, within 24 hours; drafts are still written, the sends wait, and ringback tries a send again every quarter of an hour, or at the time the provider names (a confirmation whose call comes first is recorded as missed)";

/**
 * The account's sending limit reached, whichever way the provider said it (an SMTP reply, Gmail's
 * 429 "(Mail sending)", Graph's ErrorSubmissionQuotaExceeded): only the sends wait, and one is
 * tried again after `recheckAfterMs`.
 */
export function sendingLimitReached(message: string, recheckAfterMs = SENDING_LIMIT_RECHECK_MS): LimitReachedError {
  return new LimitReachedError(`${message} (the provider's sending limit for this account is reached)`, recheckAfterMs, true, { fix: SENDING_LIMIT_FIX });
}

/**
 * Microsoft's block of an account's sending, as a suspected spam source (or a break-in): Graph's
 * ErrorMessageSubmissionBlocked ("message submission blocked by WASCL for a consumer mailboxes",
 * EWS ServiceError, gautamsi/ews-javascript-api src/js/Enumerations/ServiceError.ts) and Exchange
 * Online's SMTP "550 5.1.8 Access denied, bad outbound sender" ("your email address is suspected
 * of sending spam and it's no longer allowed to send email"). An Outlook.com account is unblocked
 * by verifying it ("we temporarily block Windows Live accounts when we detect spam-like activity
 * ... you can unblock it by using your mobile phone number to verify your account",
 * windows.microsoft.com sign-in-account-temporarily-blocked), a Microsoft 365 one by an
 * administrator, on the Restricted entities page (Get-BlockedSenderAddress, MicrosoftDocs/
 * office-docs-powershell). Only sending is blocked: drafts are still written, and the sign-in the
 * account's check makes passes meanwhile, so only a send tells when the block is gone.
 */
const SENDS_BLOCKED_FIX =
  'Microsoft blocked this account from sending (suspected spam): change its password, then sign in at outlook.com and verify it (Outlook.com), or have an administrator unblock it under Restricted entities in Microsoft Defender (work or school). Drafts are still written; a send is tried every 15 minutes';

/** The account blocked from sending by Microsoft (see {@link SENDS_BLOCKED_FIX}): only the sends wait, one is tried again every quarter of an hour. */
export function sendsBlockedByMicrosoft(message: string): LimitReachedError {
  return new LimitReachedError(`${message} (Microsoft has blocked this account from sending)`, SENDING_LIMIT_RECHECK_MS, true, { fix: SENDS_BLOCKED_FIX });
}

/**
 * Yahoo's mail servers deferring all mail from the sending server ("[TSS04] … temporarily
 * deferred due to unexpected volume or user complaints", src/providers/mail/smtp-replies.ts): a matter of
 * the sending server's standing with Yahoo, not of this email, and of hours rather than seconds.
 * Yahoo's reply names no time to wait, so the fix also names what the user can change if it lasts.
 */
const SENDS_DEFERRED_BY_YAHOO_FIX =
  "Yahoo is deferring all mail from the server ringback sends through (too much mail, or complaints about that server's address): nothing is wrong with your email; drafts are still written, the sends wait, and ringback tries a send again every quarter of an hour. If it lasts, send through your own provider's submission server with a login (usually port 587)";

/** Yahoo's deferral of the sending server (see {@link SENDS_DEFERRED_BY_YAHOO_FIX}): only the sends wait, one is tried again every quarter of an hour. */
export function sendsDeferredByYahoo(message: string): LimitReachedError {
  return new LimitReachedError(`${message} (Yahoo is deferring mail from this sending server)`, SENDING_LIMIT_RECHECK_MS, true, { fix: SENDS_DEFERRED_BY_YAHOO_FIX });
}

/**
 * A limit of the provider's reached for the account, that lifts by itself: nothing to fix, and
 * the check of the account (a login, the folders) passes meanwhile, so checked as other outages
 * are, every 15 s, it ended the outage for the next step to be refused again, all day.
 */
export class LimitReachedError extends AccountUnusableError {
  constructor(
    message: string,
    /** How long before the account is worth checking again. */
    readonly recheckAfterMs: number,
    /** Only sending is refused: drafts are still written meanwhile. */
    readonly sendsOnly: boolean,
    options: ProviderErrorOptions & { readonly fix: string },
  ) {
    super(message, options);
  }
}

/**
 * Node's codes for a server's TLS certificate it refuses (tls.checkServerIdentity and OpenSSL's
 * verify errors), however the client library passes them on: imapflow as the error's `code`,
 * nodemailer as `originalCode` under its own ESOCKET.
 */
const TLS_CERTIFICATE_CODE = /^(ERR_TLS_CERT|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/;

/**
 * The server's TLS certificate refused (`code`: Node's), as an account to fix with the
 * certificate's own fix: no retry helps, and neither the password nor the folders are at fault.
 * Null when `code` is no certificate's. The account is checked again every 15 s as any outage, so
 * a certificate renewed meanwhile ends it within a minute.
 */
export function tlsCertificateRefused(where: string, code: string, options?: ProviderErrorOptions): AccountUnusableError | null {
  if (!TLS_CERTIFICATE_CODE.test(code)) return null;
  return new AccountUnusableError(`${where}: the server's TLS certificate was refused (${code})`, { ...options, fix: certificateFix(code) });
}

function certificateFix(code: string): string {
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return "the mail server's TLS certificate has expired (or is not valid yet): its owner has to renew it (your provider, or you for your own server); check this computer's clock too";
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return "the mail server's TLS certificate is for another host name than the one configured: set the host name your provider documents (the one its certificate names) with ringback connect";
  }
  return "the mail server's TLS certificate is not signed by an authority this computer trusts: check the host name, or, for a server with its own authority, give it to Node in NODE_EXTRA_CA_CERTS";
}

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
 * The longest wait a Retry-After is honoured for. A provider's real waits are seconds (Graph) to
 * a quarter of an hour (Gmail's per-user limit); a longer one is a fault of the server or of a
 * proxy in between, and taken whole it would hold every call of the account, confirmations
 * included, for as long as it says (a year for "31536000"). Still limited after this, the
 * provider says so again and the account waits again.
 */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** delay-seconds (RFC 9110 §10.2.3): digits only. */
const DELAY_SECONDS = /^\d+$/;
/**
 * The three forms of an HTTP-date a recipient must read (RFC 9110 §5.6.7): IMF-fixdate ("Sun, 06
 * Nov 1994 08:49:37 GMT"), rfc850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6
 * 08:49:37 1994", in UTC though it does not say so).
 */
const IMF_OR_RFC850 = /^[A-Za-z]{3,9}, \d{2}[ -][A-Za-z]{3}[ -]\d{2}(?:\d{2})? \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * Parses an HTTP Retry-After value (delay-seconds or an HTTP-date, RFC 9110 §10.2.3) into
 * milliseconds from `now`, at most {@link MAX_RETRY_AFTER_MS}. Falls back to `fallbackMs` when
 * the header is absent or is neither form ("1.5", "-5", "0x10": a lenient parse read some of these
 * as dates of 2001, and so as no wait at all).
 */
export function parseRetryAfter(value: string | null | undefined, now: number, fallbackMs = 30_000): number {
  const text = value?.trim() ?? '';
  if (DELAY_SECONDS.test(text)) return boundedWait(Number(text) * 1000, fallbackMs);
  if (IMF_OR_RFC850.test(text)) return boundedWait(Date.parse(text) - now, fallbackMs);
  if (ASCTIME.test(text)) return boundedWait(Date.parse(`${text} GMT`) - now, fallbackMs);
  return fallbackMs;
}

/** A wait a provider asked for, within 0 and {@link MAX_RETRY_AFTER_MS}; `fallbackMs` when it is no number (a date that does not exist). */
export function boundedWait(waitMs: number, fallbackMs = 30_000): number {
  if (!Number.isFinite(waitMs)) return fallbackMs;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(waitMs)));
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
