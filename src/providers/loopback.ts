/**
 * This computer's own loopback address, where nothing crosses a network: the only place a password
 * may go over a connection that is not encrypted (an http: calendar feed with a user name, an IMAP
 * or SMTP login without TLS to a local bridge or relay).
 */

/** The loopback as a local service is reached; 127.0.0.2 and the like stand for other hosts in the tests. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Whether `host` (a host name as configured, or a URL's hostname, IPv6 in brackets or not) is this
 * computer's loopback: `localhost`, 127.0.0.1 or ::1. A name is taken as written, never resolved: a
 * name that resolves to 127.0.0.1 today may resolve elsewhere tomorrow.
 */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
}

/**
 * Whether a login must go only over an encrypted connection (STARTTLS required of a server without
 * implicit TLS): always, unless the connection is implicit TLS already, or the account's
 * `plaintextLogin` allows it, which by default it does only to this computer's loopback (a local
 * relay or bridge). The one rule for IMAP and SMTP alike.
 */
export function loginNeedsStartTls(login: { readonly host: string; readonly secure: boolean; readonly plaintextLogin?: boolean | undefined }): boolean {
  return !login.secure && !(login.plaintextLogin ?? isLoopbackHost(login.host));
}
