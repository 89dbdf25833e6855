/**
 * The company: the key under which interviewer no-shows are remembered.
 *
 * It is the counterpart's email domain, lower-cased, exactly as written after the `@`: no attempt
 * is made to find the registrable part (`eu.acme.com` stays `eu.acme.com`), because a wrong merge
 * of two companies would be worse than a missed one. Free-mail domains name no company: two
 * recruiters on gmail.com are not one employer.
 */

/** Letters (any script, for internationalised domains), digits, hyphens, dot-separated labels. */
const DOMAIN_SHAPE = /^(?=.{1,253}$)[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}))+$/u;

/** The lower-cased domain of an address, or null when the address has none that looks valid. */
export function domainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at <= 0) return null;
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  return DOMAIN_SHAPE.test(domain) ? domain : null;
}

/** The company key for a counterpart's address: its domain, or null for free mail or no domain. */
export function companyOf(email: string, freeMailDomains: readonly string[]): string | null {
  const domain = domainOf(email);
  if (domain === null) return null;
  const free = freeMailDomains.some((d) => d.trim().toLowerCase() === domain);
  return free ? null : domain;
}

/**
 * Addresses that are not a person to write to: calendar ids that Google reports as the organizer
 * of events on secondary or resource calendars, and no-reply senders of scheduling tools.
 */
const CALENDAR_ID = /@(?:group|resource|import)\.calendar\.google\.com$/;
const NO_REPLY = /^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon)(?:[+.@])/;
const NOT_A_PERSON = [CALENDAR_ID, NO_REPLY];

/**
 * One plain address: no display name, no second `@`, nothing a header or an envelope could read
 * as more than one recipient. The mailbox adapters write only to such addresses, so an address
 * that is not one must not become a counterpart, or its every email fails for good.
 */
const PLAIN_ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/u;

export function isPlainAddress(address: string): boolean {
  return PLAIN_ADDRESS.test(address);
}

/** True when the address could receive an email from the candidate as a counterpart. */
export function isReachablePerson(email: string): boolean {
  const address = email.trim().toLowerCase();
  if (address.length > 320 || !isPlainAddress(address)) return false;
  if (domainOf(address) === null) return false;
  return !NOT_A_PERSON.some((pattern) => pattern.test(address));
}

/**
 * True for a sender nobody reads ("no-reply@…"): a tool that sent the invitation on someone's
 * behalf. Never a recipient; its domain may still name the company.
 */
export function isNoReplyAddress(email: string): boolean {
  return NO_REPLY.test(email.trim().toLowerCase());
}
