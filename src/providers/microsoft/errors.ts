/**
 * Turns what the Graph client and msal-node throw into the typed provider errors the queue decides
 * on.
 *
 * Graph (`GraphError`, the REST API's `{ error: { code, message } }`):
 * - the account's sending limit (ErrorSubmissionQuotaExceeded, ErrorExceededMessageLimit) or its
 *   sending blocked (ErrorMessageSubmissionBlocked), whatever the status → a sends-only
 *   {@link LimitReachedError};
 * - 429, and 503 with a Retry-After → {@link RateLimitError} with the server's delay;
 * - 401 (still refused after a forced token refresh), 403 for a missing permission → {@link AuthError};
 * - a mailbox full or without Exchange Online (ErrorQuotaExceeded, 507, MailboxNotEnabledForRESTAPI,
 *   MailboxNotSupportedForRESTAPI) → {@link AccountUnusableError}, with the fix for each;
 * - 408, other 5xx, timeouts and dropped connections, and a write that met a concurrent change of
 *   the item (412 ErrorIrresolvableConflict) → {@link TransientError};
 * - a send refused for its recipients (400 ErrorInvalidRecipients) → {@link PermanentError} with
 *   plain words and the step for the draft;
 * - any other 4xx → {@link PermanentError}.
 *
 * msal-node (the token endpoint): `InteractionRequiredAuthError`, `invalid_grant` and the other
 * refusals of the saved sign-in → {@link AuthError} ("sign in again"); its network failures →
 * {@link TransientError}; 429 and AADSTS50196 (the sign-in server's throttling) →
 * {@link RateLimitError} for its Retry-After; 5xx → {@link TransientError}.
 *
 * Messages carry the status, Graph's code and Graph's message, never a request: its headers hold
 * the access token. For the same reason the SDK's error is not kept as `cause`.
 */
import { AuthError as MsalAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { signInRetryAfter } from './sign-in-network.js';
import { AccountUnusableError, AuthError, PermanentError, ProviderError, RateLimitError, TransientError, parseRetryAfter, sendingLimitReached, sendsBlockedByMicrosoft } from '../errors.js';

export const REAUTH_MESSAGE = 'Microsoft needs you to sign in again: run ringback connect microsoft';

/** Graph error codes that mean "this delta token is no longer any good: start over". */
const RESYNC_CODES = new Set(['syncstatenotfound', 'resyncrequired', 'syncstateinvalid']);
/**
 * Graph error codes of a mailbox that is full, whatever the request: 403 ErrorQuotaExceeded
 * "Mailbox has exceeded maximum mailbox size.", 507 QuotaExceededException "Target mailbox quota
 * exceeded." (microsoftgraph/microsoft-graph-docs-contrib#6596, #6177). Reads go on; every write,
 * a draft included, is refused until the user frees space.
 */
const MAILBOX_FULL_CODES = new Set(['errorquotaexceeded', 'quotaexceededexception']);
/**
 * Graph error codes of an account with no mailbox Graph can reach, whatever the request. Microsoft
 * answers 404 with either of two codes and "REST API is not yet supported for this mailbox."
 * (learn.microsoft.com/exchange/troubleshoot/user-and-shared-mailboxes/rest-api-is-not-yet-supported-for-this-mailbox-error,
 * KB 4462988: "Error code: MailboxNotEnabledForRESTAPI or MailboxNotSupportedForRESTAPI"; a mailbox
 * on an Exchange server of the organisation's own rather than in Microsoft 365), or "The mailbox is
 * either inactive, soft-deleted, or is hosted on-premise." (OfficeDev/outlook-dev-docs#1031; a user
 * without an Exchange Online licence, microsoftgraph/msgraph-sdk-javascript#1756). A 404 with
 * MailboxNotSupportedForRESTAPI was read as the one draft or event asked for being gone: a draft
 * the user deleted (the confirmation vetoed), an event removed.
 */
const NO_MAILBOX_CODES = new Set(['mailboxnotenabledforrestapi', 'mailboxnotsupportedforrestapi', 'mailboxnotfound']);
const MAILBOX_FULL_FIX =
  'the Outlook mailbox is full, and Microsoft refuses every new draft and message until there is room: delete mail you do not need and empty Deleted Items (outlook.com or Outlook), or ask your administrator for a larger mailbox';
const NO_MAILBOX_FIX =
  'Microsoft Graph cannot reach a mailbox for this account (no Exchange Online licence, a mailbox switched off or removed, or one kept on an Exchange server of your organisation\'s own): ask your administrator to give the account an Exchange Online mailbox, or connect this mailbox over IMAP and SMTP instead (ringback connect imap)';
/**
 * Exchange's refusal of a write to an item that changed meanwhile: 412 ErrorIrresolvableConflict
 * "The send or update operation could not be performed because the change key passed in the
 * request does not match the current change key for the item." (mguessan/davmail#491), whether a
 * change key was sent or not (microsoft-graph-docs-contrib#7934): the user's edit of the draft,
 * saved by Outlook as ringback writes or sends it. Tried again, the step reads the draft anew.
 */
const CONFLICT_CODE = 'errorirresolvableconflict';
/**
 * Exchange's codes for a send past the account's sending limit, which Graph passes on
 * (microsoftgraph/microsoft-graph-docs-contrib#7483): ErrorSubmissionQuotaExceeded, "The message
 * couldn't be sent because the sender's submission quota was exceeded. Please try again later.";
 * for an Outlook.com mailbox, ErrorExceededMessageLimit (and its ...ShowTierUpgrade form), "number
 * of submitted messages exceeded the limit and message submission is blocked" (EWS's ServiceError,
 * gautamsi/ews-javascript-api src/js/Enumerations/ServiceError.ts). No source gives their status,
 * so the code decides: as a 429 a wait of seconds tried again all day, holding the drafts too.
 * ErrorMessageSubmissionBlocked, the account blocked from sending, holds the sends the same way,
 * with the fix the block needs (src/providers/errors.ts `sendsBlockedByMicrosoft`).
 */
const SENDING_LIMIT_CODES = new Set(['errorsubmissionquotaexceeded', 'errorexceededmessagelimit', 'errorexceededmessagelimitshowtierupgrade']);
/**
 * Exchange refusing a send for its recipients: 400 ErrorInvalidRecipients, "At least one recipient
 * isn't valid., Recipient "bad" isn't resolved. All recipients must be resolved before a message
 * can be submitted." (microsoftgraph/ruby-connect-rest-sample#15; with two addresses typed into one,
 * "Recipient 'a@x; b@x;' is not resolved.", Azure/Microsoft365R#110), or "…, A message can't be
 * sent because it contains no recipients." (microsoftgraph/php-connect-sample#13). ringback writes
 * one valid address, so this is an edit of the draft's To or Cc lines: a fault of this email, not
 * tried again, and the step for it is those lines, not to send it as it stands.
 */
const INVALID_RECIPIENTS_CODE = 'errorinvalidrecipients';
const INVALID_RECIPIENTS_PLAIN = 'Outlook says an address it is written to is not a valid one, or that it has none';
const INVALID_RECIPIENTS_FIX = 'check the addresses in its To and Cc lines, one address to each, and correct them before you send it';
/** Graph error codes of a 403 that a new consent would fix. */
const PERMISSION_CODES = new Set(['erroraccessdenied', 'accessdenied', 'authorization_requestdenied']);
/** Refusals of the app registration itself: a new sign-in alone does not fix them. */
const APP_REFUSALS = new Set(['invalid_client', 'unauthorized_client']);
/**
 * The wait after a sign-in server's throttling that names none: msal's own
 * (DEFAULT_THROTTLE_TIME_SECONDS in msal-common), what Entra sends as Retry-After
 * (https://learn.microsoft.com/entra/msal/dotnet/advanced/client-and-server-throttling).
 */
const SIGN_IN_WAIT_MS = 60_000;
/**
 * AADSTS50196, "The server terminated an operation because it encountered a loop": how Entra
 * throttles a user's token requests (an `invalid_grant` to msal, which is not a refused sign-in:
 * https://learn.microsoft.com/entra/msal/dotnet/advanced/client-and-server-throttling).
 */
const LOOP_DETECTED = 50196;
/**
 * Entra's Conditional Access refusals: AADSTS53000 (device not compliant), 53001 (not domain
 * joined), 53002 (app not approved), 53003 ("Access has been blocked by Conditional Access
 * policies. The access policy does not allow token issuance."; "If this is unexpected, see the
 * conditional access policy that applied to this request in the Azure Portal or contact your
 * administrator", learn.microsoft.com/entra/identity-platform/reference-error-codes, quoted in
 * AzureAD/microsoft-authentication-library-for-java#597). A new sign-in meets the same policy: the
 * administrator has to allow ringback first.
 */
const CONDITIONAL_ACCESS = new Set([53000, 53001, 53002, 53003]);
/** Token endpoint refusals that only a new sign-in fixes. */
const SIGN_IN_REFUSALS = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
  'no_tokens_found',
  'refresh_token_expired',
  'authorization_declined',
  'expired_token',
  'bad_verification_code',
  'access_denied',
]);
/** msal client errors that say the cache holds no usable sign-in. */
const NOT_SIGNED_IN = new Set(['no_account_in_silent_request', 'no_account_found', 'no_tokens_found', 'token_refresh_required']);

interface GraphFailure {
  /** HTTP status, or -1 when no response arrived. */
  readonly status: number;
  /** Graph's error code, or the JavaScript error name when no response arrived. */
  readonly code: string | null;
  readonly message: string;
  readonly retryAfter: string | null;
}

function graphFailure(error: unknown): GraphFailure | null {
  if (!(error instanceof GraphError)) return null;
  return {
    status: error.statusCode,
    code: error.code,
    message: oneLine(error.message),
    retryAfter: error.headers?.get('retry-after') ?? null,
  };
}

/** The HTTP status of a Graph error (-1 without a response), or null for anything else. */
export function graphStatus(error: unknown): number | null {
  return graphFailure(error)?.status ?? null;
}

/** Graph's error code (`ErrorItemNotFound`, `syncStateNotFound`…), or null. */
export function graphCode(error: unknown): string | null {
  return graphFailure(error)?.code ?? null;
}

/** True when Graph says that a delta token cannot be used any more (410, or a resync code). */
export function isResyncRequired(status: number, code: string | null): boolean {
  return status === 410 || (code !== null && RESYNC_CODES.has(code.toLowerCase()));
}

/**
 * True when the answer is about the mailbox as a whole, not the item asked for: never read as
 * "this draft is gone" by a caller that expects a 404 for one.
 */
export function isAccountWide(status: number, code: string | null): boolean {
  return status === 507 || (code !== null && (MAILBOX_FULL_CODES.has(code.toLowerCase()) || NO_MAILBOX_CODES.has(code.toLowerCase())));
}

/** What the user can do about a mailbox {@link isAccountWide} names: free space, or get a mailbox Graph reaches. */
function accountWideFix(code: string | null): string {
  return code !== null && NO_MAILBOX_CODES.has(code.toLowerCase()) ? NO_MAILBOX_FIX : MAILBOX_FULL_FIX;
}

/**
 * How long Graph asks to be left alone with an answer of this status, Retry-After and error code
 * (ms from `now`): a 429, or a 503 that came with a Retry-After; null for any other answer, and
 * for the account's sending limit, which holds the sends only, not every call.
 */
export function rateLimitDelay(status: number, retryAfter: string | null, now: number, code: string | null): number | null {
  if (isSendingLimit(code)) return null;
  return status === 429 || (status === 503 && retryAfter !== null) ? parseRetryAfter(retryAfter, now) : null;
}

const SENDS_BLOCKED_CODE = 'errormessagesubmissionblocked';

function isSendingLimit(code: string | null): boolean {
  return code !== null && (SENDING_LIMIT_CODES.has(code.toLowerCase()) || code.toLowerCase() === SENDS_BLOCKED_CODE);
}

/**
 * The typed error for a failure of `what` (a few words naming the call: "reading calendar
 * changes"). Errors that are neither Graph nor msal failures (programming errors) are returned
 * unchanged so that they surface as they are.
 */
export function toProviderError(error: unknown, what: string, now: number): unknown {
  if (error instanceof ProviderError) return error;
  if (error instanceof MsalAuthError) return fromMsal(error, what, now);
  const failure = graphFailure(error);
  if (!failure) return error;
  const { status, code } = failure;
  if (status === -1) {
    // No response: a dropped connection or the request's own deadline. (The caller's abort is
    // told apart, and rethrown as it is, before this is asked.)
    return new TransientError(`could not reach Microsoft Graph while ${what} (${code ?? 'network error'}: ${failure.message})`);
  }
  const detail = `${status}${code ? ` ${code}` : ''}: ${failure.message}`;
  if (code?.toLowerCase() === SENDS_BLOCKED_CODE) return sendsBlockedByMicrosoft(`Microsoft Graph refused ${what} (${detail})`);
  if (isSendingLimit(code)) return sendingLimitReached(`Microsoft Graph refused ${what} (${detail})`);
  const delay = rateLimitDelay(status, failure.retryAfter, now, code);
  if (delay !== null) return new RateLimitError(`Microsoft Graph asked to slow down while ${what} (${detail})`, delay);
  if (status === 401) return new AuthError(`Microsoft Graph refused the access token while ${what} (${detail}). ${REAUTH_MESSAGE}`);
  if (isAccountWide(status, code)) {
    return new AccountUnusableError(`Microsoft Graph cannot use this mailbox for ${what} (${detail})`, { fix: accountWideFix(code) });
  }
  if (status === 403 && code !== null && PERMISSION_CODES.has(code.toLowerCase())) {
    return new AuthError(`Microsoft Graph says ringback lacks a permission for ${what} (${detail}). ${REAUTH_MESSAGE} and allow every requested permission`);
  }
  if (status === 408 || status >= 500) return new TransientError(`Microsoft Graph failed while ${what} (${detail})`);
  if (code?.toLowerCase() === CONFLICT_CODE) return new TransientError(`the item changed in Outlook while ${what} (${detail}): tried again`);
  if (code?.toLowerCase() === INVALID_RECIPIENTS_CODE) {
    return new PermanentError(`Microsoft Graph refused ${what} (${detail}): it was not sent, and is not tried again as it stands; its draft is still in Drafts: ${INVALID_RECIPIENTS_FIX}`, { plain: INVALID_RECIPIENTS_PLAIN, fix: INVALID_RECIPIENTS_FIX });
  }
  return new PermanentError(`Microsoft Graph refused ${what} (${detail})`);
}

function fromMsal(error: MsalAuthError, what: string, now: number): ProviderError {
  const code = error.errorCode;
  // The device code flow reports the token endpoint's error in the message of a generic code.
  const reason = code === 'post_request_failed' ? oneLine(error.errorMessage) : code;
  const detail = `${reason}${error.subError ? ` / ${error.subError}` : ''}`;
  if (error instanceof ServerError && error.status === 429) {
    return new RateLimitError(`Microsoft's sign-in server is busy (${detail})`, parseRetryAfter(signInRetryAfter(error), now, SIGN_IN_WAIT_MS));
  }
  if (isLoopDetected(error)) {
    return new RateLimitError(`Microsoft's sign-in server asked ringback to slow down while ${what} (${detail}: AADSTS${LOOP_DETECTED}, too many sign-in requests)`, SIGN_IN_WAIT_MS);
  }
  if (APP_REFUSALS.has(reason)) {
    return new AuthError(
      `Microsoft does not accept the app registration while ${what} (${detail}): check its Application (client) ID, the account types it supports, and that "Allow public client flows" is on; then run ringback connect microsoft`,
    );
  }
  if (error instanceof InteractionRequiredAuthError || SIGN_IN_REFUSALS.has(reason) || NOT_SIGNED_IN.has(code)) {
    const number = aadstsNumber(error);
    const named = number === null ? detail : `${detail}, AADSTS${number}`;
    if (number !== null && CONDITIONAL_ACCESS.has(number)) {
      return new AuthError(
        `Microsoft refused the sign-in while ${what} (${named}): an administrator's Conditional Access policy does not allow ringback for this account; ask them to allow ringback for it, then run ringback connect microsoft`,
      );
    }
    return new AuthError(`Microsoft refused the sign-in while ${what} (${named}). ${REAUTH_MESSAGE}`);
  }
  // endpoints_resolution_error: msal could not fetch the authority's metadata, which is what a
  // network outage looks like on the first token request of a new process. Connect has checked
  // the authority, so at run time this is worth retrying, not a reason to drop a due email.
  if (code === 'network_error' || code === 'no_network_connectivity' || code === 'endpoints_resolution_error') {
    return new TransientError(`could not reach Microsoft's sign-in server while ${what} (${detail})`);
  }
  if (error instanceof ServerError && error.status !== undefined) {
    if (error.status >= 500) return new TransientError(`Microsoft's sign-in server failed while ${what} (${detail})`);
  }
  return new PermanentError(`Microsoft sign-in failed while ${what} (${detail})`);
}

function isLoopDetected(error: MsalAuthError): boolean {
  return aadstsNumber(error) === LOOP_DETECTED;
}

/** Entra's AADSTS number of a refusal (msal's `errorNo`, else the one its message names), or null. */
function aadstsNumber(error: MsalAuthError): number | null {
  const number = 'errorNo' in error ? Number((error as { errorNo?: unknown }).errorNo) : NaN;
  if (Number.isInteger(number) && number > 0) return number;
  const named = /AADSTS(\d+)/.exec(error.errorMessage)?.[1];
  return named === undefined ? null : Number(named);
}

function oneLine(message: string | undefined): string {
  // Keep messages to one short line: they end up in the audit log and in `doctor`.
  return (message ?? 'request failed').split('\n')[0]!.slice(0, 300);
}
