/**
 * What an SMTP server's refusals mean, as the typed provider errors the queue decides on, and
 * which recipients it refused of a message it took for others (smtp.ts sends the message).
 *
 * Failures become the typed provider errors: a refused login (535, or no credentials) is an
 * {@link AuthError}; a 4xx reply (to AUTH as well), a timeout or a dropped connection is a {@link TransientError};
 * the account's sending limit or block holds the sends; a refusal of this client or account
 * whatever the email (a block list, the sender, relaying) is the account to fix; any other 5xx
 * reply is a {@link PermanentError}. The password never appears in a message.
 */
import { AccountUnusableError, AuthError, PermanentError, ProviderError, TransientError, sendingLimitReached, sendsBlockedByMicrosoft, sendsDeferredByYahoo, tlsCertificateRefused } from '../errors.js';
import { appPasswordFixFromReply } from './app-passwords.js';
import type { DeliveryFailure } from './types.js';

/** Network-level failure codes from nodemailer and Node: worth another try later. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * The recipients a server refused at RCPT while it accepted others, from what nodemailer resolves
 * with (`rejected`, `rejectedErrors`: each refusal's reply and recipient, smtp-connection
 * `_actionRCPT`). nodemailer fails a send only when every recipient is refused; with one refused
 * and one accepted (the interviewer's address unknown, a Cc the user added accepted) it sends to
 * the accepted one and resolves, and the refusal, which no bounce reports later, was dropped: the
 * confirmation counted as sent to the interviewer.
 */
export function refusedRecipients(info: unknown, secrets: readonly string[]): DeliveryFailure[] {
  const fields = typeof info === 'object' && info !== null ? (info as { rejected?: unknown; rejectedErrors?: unknown }) : {};
  const errors = Array.isArray(fields.rejectedErrors) ? (fields.rejectedErrors as unknown[]) : [];
  const rejected = Array.isArray(fields.rejected) ? (fields.rejected as unknown[]) : [];
  const refused: DeliveryFailure[] = [];
  for (const [index, address] of rejected.entries()) {
    const recipient = typeof address === 'string' ? address : typeof address === 'object' && address !== null && typeof (address as { address?: unknown }).address === 'string' ? (address as { address: string }).address : null;
    const error = errors.find((e) => typeof e === 'object' && e !== null && (e as { recipient?: unknown }).recipient === recipient) ?? errors[index];
    const { response, responseCode } = typeof error === 'object' && error !== null ? (error as { response?: unknown; responseCode?: unknown }) : {};
    const reply = withoutSecrets(oneReplyLine(typeof response === 'string' ? response : ''), secrets);
    // A 4yz (greylisting's "450 4.2.0 … Greylisted") defers the recipient; it does not refuse it.
    const temporary = typeof responseCode === 'number' ? responseCode >= 400 && responseCode < 500 : /^4\d\d\b/.test(reply);
    refused.push({
      recipient: recipient === null ? null : recipient.toLowerCase(),
      status: /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(reply)?.[0] ?? null,
      reason: reply || 'the mail server refused this recipient',
      ...(temporary ? { temporary } : {}),
    });
  }
  return refused;
}

/** A server's reply as one printable line of at most 200 characters. */
function oneReplyLine(reply: string): string {
  return reply.replace(/\p{Cc}+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

interface SmtpFailure {
  code?: unknown;
  /** Node's code under nodemailer's own (ESOCKET): CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID… */
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

/**
 * The commands whose 5yz refuses this client, not an email: the greeting ("554 No SMTP service
 * here", a host on a block list) and EHLO/HELO (RFC 5321 §3.1, §4.3.2). Every email would fail the
 * same way until the user changes something, and the health check (a login) sees it too.
 */
const SESSION_COMMANDS = new Set(['CONN', 'EHLO', 'HELO']);

/**
 * The account's sending limit reached, at whichever command the provider says it: Gmail's "550
 * 5.4.5 Daily user sending quota exceeded." / "… sending limit exceeded." (5.4.5), Exchange
 * Online's "550 5.1.90 … you've reached your daily limit for message recipients" and, after DATA,
 * "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException" (its recipients per
 * day, MicrosoftDocs/OfficeDocs-Support#1150; "Senders will have to wait 24 hours",
 * MicrosoftDocs/OfficeDocs-Exchange#2431). Every email is refused until the limit lifts by itself.
 * (5.4.5 is RFC 3463's "mail system congestion", which Gmail gives its limit: a wait as well, in any
 * case not a fault of the email.)
 */
const SENDING_LIMIT = /\b5\.4\.5\b|\b5\.1\.90\b|sending (?:limit|quota) exceeded|daily limit for message recipients|SubmissionQuotaExceededException/i;

/**
 * A recipient refused because the server does not relay for this client, whoever the recipient:
 * Postfix's "554 5.7.1 <…>: Relay access denied", Sendmail's "550 5.7.1 <…>... Relaying denied",
 * Exchange's "550 5.7.1 Unable to relay", Postal's "550 relay not permitted". A login missing or
 * not honoured, or the wrong server: every email would be refused the same way.
 */
const RELAY_REFUSED = /relay(?:ing)? (?:access )?denied|unable to relay|relay(?:ing)? not permitted/i;

/**
 * Exchange Online's block of a user it took for a spam source: "550 5.1.8 Access denied, bad
 * outbound sender" (its NDR: "your email address is suspected of sending spam and it's no longer
 * allowed to send email"), at MAIL FROM or after the message; and Outlook.com's, after DATA, "554
 * 5.2.0 STOREDRV.Submission.Exception:OutboundSpamException; … WASCL UserAction verdict is not
 * None. Actual verdict is RefuseQuota, ShowTierUpgrade." (Youans/nodejs-nodemailer-outlook#11, an
 * account not verified; the WASCL block Graph calls ErrorMessageSubmissionBlocked). Lifted by
 * verifying the account or by an administrator, not by time: src/providers/errors.ts
 * `sendsBlockedByMicrosoft`.
 */
const BAD_OUTBOUND_SENDER = /\b5\.1\.8\b.*bad outbound sender|OutboundSpamException/i;

/**
 * This computer's address on a block list the server consults, at whichever command it says so:
 * Postfix's "554 5.7.1 Service unavailable; Client host [a.b.c.d] blocked using sbl.spamhaus.org"
 * (at RCPT: spamhaus/spamassassin-dqs#53), Outlook's "550 5.7.1 Service unavailable, Client host
 * [a.b.c.d] blocked using Spamhaus." (devmehq/email-validator-js#100). Every email is refused the
 * same way, whoever its recipient.
 */
const CLIENT_BLOCKLISTED = /client host \[[^\]]*\] blocked using/i;

/**
 * A message the server's filter refused as spam, or against its content policy, after its DATA:
 * "550 5.7.1 Message rejected as spam by Content Filtering." (swiftmailer/swiftmailer#1244),
 * rspamd's "554 5.7.1 Spam message rejected" (rspamd/rspamd#5343), "550 This message was
 * classified as SPAM and may not be delivered" (PHPMailer/PHPMailer#1370), Yahoo's "554 5.7.9
 * Message not accepted for policy reasons" (sisimai/go-sisimai rhost/for-yahooinc.go). A fault of
 * this email, as any refusal after DATA: the same text is refused again, so it is not tried again;
 * but the reply alone does not tell the user that nothing went and that the draft is theirs to fix.
 * The audit's sentence names both, with the reply; the same in plain words alone, apart, for the
 * note that the confirmation did not leave (ProviderError's `plain` and `fix`), which never quotes
 * the reply nor this sentence.
 */
const REFUSED_AS_SPAM = /\bspam\b|unsolicited|not accepted for policy reasons/i;
const REFUSED_AS_SPAM_PLAIN = 'the mail server took it for spam and refused it';
const REFUSED_AS_SPAM_FIX = 'read it over and change what may look like spam (links, a long signature, wording) before you send it';
/** The audit's sentence: the same step as the note's, standing alone ("this email", where the note says "it"). */
const REFUSED_AS_SPAM_WHAT_NOW = `the mail server took this email for spam and refused it: it was not sent, and is not tried again as it stands; its draft is still in Drafts: ${REFUSED_AS_SPAM_FIX}`;

/**
 * The recipient's address refused at RCPT as having no mailbox: RFC 3463's X.1.1 ("Bad destination
 * mailbox address: The mailbox specified in the address does not exist") and Exchange Online's
 * 5.1.10, in the words servers give them: Postfix's "550 5.1.1 <…>: Recipient address rejected:
 * User unknown in virtual mailbox table" (mailcow/mailcow-dockerized#893) or "… in local recipient
 * table" (jeboehm/docker-mailserver#221, mlandauer/cuttlefish#191), Exim's "550 5.1.1 No such
 * user here", Gmail's "550-5.1.1 The email account that you tried to reach does not exist.",
 * Exchange Online's "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP
 * address lookup". A fault of this email, not tried again; but the plain "the mail server refused
 * it" sent the user to send the same draft themselves, to the same address. The step is to check
 * the address: one letter off in the invitation, or a recruiter who has left.
 */
const RECIPIENT_UNKNOWN = /\b5\.1\.(?:1|10)\b|user unknown|no such user|does not exist|recipient ?not ?found/i;
const RECIPIENT_UNKNOWN_PLAIN = "the mail server says there is no mailbox at the address it was written to";
const RECIPIENT_UNKNOWN_FIX = 'check the address in its To line against the invitation and correct it before you send it';
/** The audit's sentence: the same step as the note's, standing alone. */
const RECIPIENT_UNKNOWN_WHAT_NOW = `the mail server says there is no mailbox at the address this email was written to: it was not sent, and is not tried again as it stands; its draft is still in Drafts: ${RECIPIENT_UNKNOWN_FIX}`;

/**
 * Yahoo deferring everything from the sending server, for its volume or complaints about it:
 * "421 4.7.0 [TSS04] Messages from a.b.c.d temporarily deferred due to unexpected volume or user
 * complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes" (tutao/tutanota#7113, at
 * MAIL FROM), and the "[TSS05]", "[IPTS04]", "[IPTS05]" forms (KumoCorp/kumomta#376: "Yahoo
 * confirmed these four should all be treated similarly").
 */
const YAHOO_DEFERRAL = /\[(?:TSS|IPTS)0\d\].*temporarily deferred/i;

/**
 * Exchange Online refusing a message while the account already sends over too many connections at
 * once: "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=…]"
 * (timeoff-management/timeoff-management-application#308). A wait like any 4yz, but the server is
 * up: what holds it is other apps or devices sending through the account at that moment.
 */
const SENDER_THREAD_LIMIT = /sender thread limit exceeded/i;
const SENDER_THREAD_LIMIT_FIX =
  'the mail server refuses more messages from this account for a moment: too many apps or devices are sending through this account at the same moment (a printer or scanner, a script, another mail client); ringback tries again by itself, and if it lasts, let one of them send less often';

/**
 * The server short of disk space for mail: "452 4.3.1 Insufficient system storage" (RFC 5321's 452,
 * RFC 3463's 4.3.1 "Mail system full"), Postfix's answer to MAIL FROM while its queue's file system
 * has less free than 1.5 times its largest message ("warning: not enough free space in mail
 * queue", mailcow/mailcow-dockerized#1450; wader/postfix-relay#7). A wait like any 4yz, but the
 * server is up and answering: "check that it is up" sent the user to look at the wrong thing.
 */
const SERVER_STORAGE_FULL = /\b4\.3\.1\b|insufficient system storage/i;
const SERVER_STORAGE_FULL_FIX =
  "the mail server is short of disk space for now and takes no mail (its own trouble: not your email's, nor your password's); ringback tries again by itself, and if it lasts, tell the server's administrator or your provider";

/**
 * STARTTLS that did not happen, with a login to make: the server does not offer it (Postal's "502
 * TLS not available" after an EHLO that lists AUTH but not STARTTLS, postalserver/postal#745,
 * https://github.com/postalserver/postal/issues/745; or an attacker on the path removed it), or
 * offers it and cannot start it (Postfix's "454 4.7.0 TLS not available due to local problem", its
 * certificate or key missing or unreadable: hardware/mailserver#236,
 * https://github.com/hardware/mailserver/issues/236, through nodemailer). nodemailer names both
 * ETLS during STARTTLS, without the session going on (`requireTLS`, smtp.ts). No retry in seconds
 * helps and the password is not at fault: the account says what to change, and the check every
 * 15 s notices a server whose TLS works again.
 */
function startTlsFailed(message: string, status: number | undefined): AccountUnusableError {
  const serverTrouble = status !== undefined && status >= 400 && status < 500;
  const fix = serverTrouble
    ? "the mail server offers encryption (STARTTLS) but cannot start it (its own TLS set-up is broken), and ringback sends your password only over an encrypted connection: tell the server's administrator or your provider, or connect the account again on the server's TLS port (usually 465)"
    : "the mail server offers no encryption (STARTTLS) on this port, and ringback sends your password only over an encrypted connection: connect the account again on the server's TLS port (usually 465), or a port where it offers STARTTLS (usually 587); if it does offer STARTTLS elsewhere, something on this network may be removing it";
  return new AccountUnusableError(`${message} (no encrypted connection: the password was not sent)`, { fix });
}

/**
 * `text` with every secret taken out: as it is, and in any base64 word that decodes to something
 * holding it. A server may repeat the client's command in its refusal, Sendmail's "500 5.5.1
 * Command unrecognized: "AUTH PLAIN …"" (Foundry376/Mailspring#811), and AUTH PLAIN sends the
 * username and the password together in one base64 string (RFC 4616), which is neither the
 * password nor the password's own base64.
 */
function withoutSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***').split(Buffer.from(secret).toString('base64')).join('***');
  return out.replace(/[A-Za-z0-9+/]{8,}={0,2}/g, (word) => {
    const decoded = Buffer.from(word, 'base64').toString('utf8');
    return secrets.some((secret) => decoded.includes(secret)) ? '***' : word;
  });
}

/**
 * Translates a nodemailer failure into a provider error whose message is safe to log. `sender`:
 * the envelope's sender, named when the server refuses it.
 */
export function smtpError(error: unknown, where: string, secrets: readonly string[] = [], sender?: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? error : {};
  const code = typeof failure.code === 'string' ? failure.code : undefined;
  const status = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const command = typeof failure.command === 'string' ? failure.command.split(' ')[0] : undefined;
  const reply = typeof failure.response === 'string' ? (failure.response.split(/\r?\n/)[0] ?? '').slice(0, 200) : '';
  const parts = [code, command && `during ${command}`, reply || (status !== undefined ? String(status) : undefined)];
  let detail = parts.filter((part): part is string => Boolean(part)).join(' ');
  if (!detail) detail = error instanceof Error ? error.message.split('\n')[0] ?? 'failed' : 'failed';
  detail = withoutSecrets(detail, secrets);
  const message = `${where}: ${detail}`;
  const certificate = typeof failure.originalCode === 'string' ? tlsCertificateRefused(where, failure.originalCode) : null;
  if (certificate) return certificate;

  // Before the 4yz rule: Postfix's 454 to STARTTLS is its TLS set-up broken, not a busy moment.
  if (code === 'ETLS' && command === 'STARTTLS' && reply !== '') return startTlsFailed(message, status);
  // Before the 4yz rule: a deferral of hours, not of seconds, and the server answers meanwhile.
  if (status !== undefined && status >= 400 && status < 500 && YAHOO_DEFERRAL.test(reply)) return sendsDeferredByYahoo(message);
  // A 4yz reply is temporary, to AUTH too: nodemailer names every refused AUTH EAUTH, Gmail's "454
  // 4.7.0 Too many login attempts" and a server's "454 4.7.0 Temporary authentication failure"
  // (RFC 4954 §6) included, and no new password fixes those.
  if (status !== undefined && status >= 400 && status < 500) {
    const fix = SENDER_THREAD_LIMIT.test(reply) ? SENDER_THREAD_LIMIT_FIX : SERVER_STORAGE_FULL.test(reply) ? SERVER_STORAGE_FULL_FIX : undefined;
    return new TransientError(message, fix !== undefined ? { fix } : undefined);
  }
  // Exchange Online's 535 5.7.139: a password login is not allowed for the account at all
  // ("SmtpClientAuthentication is disabled for the Tenant", "basic authentication is disabled").
  // No new password or app password gets past it.
  if (status === 535 && /\b5\.7\.139\b/.test(reply)) {
    return new AccountUnusableError(`${message} (the server does not allow signing in to SMTP with a password for this account: an administrator has to turn on SMTP AUTH for the mailbox, or connect it as a Microsoft 365 account with ringback connect microsoft)`);
  }
  if (code === 'EAUTH' || code === 'ENOAUTH' || status === 535 || status === 534 || status === 530) {
    const fix = appPasswordFixFromReply(reply);
    return new AuthError(`${message} (login refused; check the username and password)`, fix !== undefined ? { fix } : undefined);
  }
  if (status !== undefined) {
    // 503 is a command out of sequence: the session's fault, not the message's (RFC 5321 4.2.4).
    if (status === 503) return new TransientError(message);
    if (status >= 500 && SENDING_LIMIT.test(reply)) {
      return sendingLimitReached(message);
    }
    if (status >= 500 && BAD_OUTBOUND_SENDER.test(reply)) return sendsBlockedByMicrosoft(message);
    if (status >= 500 && CLIENT_BLOCKLISTED.test(reply)) {
      return new AccountUnusableError(`${message} (the server refuses mail from this computer's address, which is on a block list: send through your provider's own submission server with a login, usually port 587, or ask the server's owner)`);
    }
    if (status >= 500 && command !== undefined && SESSION_COMMANDS.has(command)) {
      return new AccountUnusableError(`${message} (the server does not accept mail from this computer or account; check the SMTP host, port and that this machine may send through it)`);
    }
    // A refused sender is the account's address, not a fault of the recipient or the text: every
    // email would be refused the same way. Said so, since the reply alone ("550 5.7.1 not owned by
    // user") does not name it. (552 to MAIL is a message too large for the server, RFC 1870 §6.1,
    // and 555 a parameter it does not take: faults of this email.)
    if (status >= 500 && command === 'MAIL' && status !== 552 && status !== 555) {
      return new AccountUnusableError(`${message} (the server refused the sender${sender ? ` ${sender}` : ''}: check that this account may send as that address)`);
    }
    if (status >= 500 && command === 'RCPT' && RELAY_REFUSED.test(reply)) {
      return new AccountUnusableError(`${message} (the server does not relay mail for this account: check the SMTP username and password, and that this is the account's own outgoing server)`);
    }
    if (status >= 500 && command === 'RCPT' && RECIPIENT_UNKNOWN.test(reply)) {
      return new PermanentError(`${RECIPIENT_UNKNOWN_WHAT_NOW} (its reply: ${message})`, { plain: RECIPIENT_UNKNOWN_PLAIN, fix: RECIPIENT_UNKNOWN_FIX });
    }
    if (status >= 500 && command === 'DATA' && REFUSED_AS_SPAM.test(reply)) {
      return new PermanentError(`${REFUSED_AS_SPAM_WHAT_NOW} (its reply: ${message})`, { plain: REFUSED_AS_SPAM_PLAIN, fix: REFUSED_AS_SPAM_FIX });
    }
    // Any other refusal: the reply says why, in the server's words (kept in the message).
    if (status >= 500) return new PermanentError(message, { plain: 'the mail server refused it' });
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) return new TransientError(message);
  return new PermanentError(message);
}
