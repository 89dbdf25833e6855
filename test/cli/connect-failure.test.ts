/**
 * The one line `connect imap` and `connect caldav` print when a login is refused, for the errors
 * the mail clients really raise (src/providers/mail/smtp-replies.ts, imap-login.ts). At a provider that
 * takes only an app password, a refused login is most often the account's own password typed where
 * an app password belongs (iCloud: "iCloud Mail rejects the normal Apple ID password over
 * IMAP/SMTP", kellylford/QuickMail#32; Fastmail: "IMAP access to FastMail now requires an app
 * password", elementary/settings-onlineaccounts#40): the line said only "wrong password", and a user
 * who connected without a preset was sent back to type the same password again.
 */
import { describe, expect, it } from 'vitest';
import { describeConnectFailure } from '../../src/cli/connect/imap.js';
import { AuthError, TransientError } from '../../src/providers/errors.js';

describe('connect: the line for a refused login', () => {
  // The refusal is Postfix's "535 5.7.8 Error: authentication failed: authentication failure"
  // (RainLoop/rainloop-webmail#1629), shortened, standing in for the provider's (adapted): what
  // decides the fix is the host, since the provider's own words for it were not found.
  it.each([
    ['smtp.mail.me.com', 'iCloud takes only an app password', 'account.apple.com → Sign-In and Security → App-Specific Passwords'],
    ['imap.mail.me.com', 'iCloud takes only an app password', 'App-Specific Passwords'],
    ['smtp.fastmail.com', 'Fastmail takes only an app password', 'Settings → Privacy & Security → App passwords'],
    ['caldav.fastmail.com', 'Fastmail takes only an app password', 'App passwords'],
  ])('at %s says to make an app password, and where', (host, says, where) => {
    const refused = new AuthError(`SMTP ${host}:587: EAUTH during AUTH 535 5.7.8 Error: authentication failed (login refused; check the username and password)`);
    const line = describeConnectFailure(refused, `SMTP ${host}:587`, host);
    expect(line).toMatch(/wrong password: the server refused the username or app password/);
    expect(line).toContain(says);
    expect(line).toContain(where);
    expect(line.split('\n')).toHaveLength(1);
  });

  it("gives the fix the refusal itself names (Gmail's \"Application-specific password required\"), whatever the host", () => {
    const refused = new AuthError('SMTP relay.example.org:465: EAUTH during AUTH 534-5.7.9 Application-specific password required.', { fix: 'Gmail takes only an app password here, not the account\'s own password: make one at myaccount.google.com/apppasswords (needs 2-Step Verification)' });
    expect(describeConnectFailure(refused, 'SMTP relay.example.org:465', 'relay.example.org')).toContain('myaccount.google.com/apppasswords');
  });

  it('names no app password at a server of its own (guard)', () => {
    const line = describeConnectFailure(new AuthError('IMAP server refused the username or app password'), 'IMAP imap.example.org:993', 'imap.example.org');
    expect(line).toBe('IMAP imap.example.org:993: wrong password: the server refused the username or app password');
  });

  it('gives the fix of a refusal that is no wrong password (a connection limit)', () => {
    const refused = new TransientError('IMAP login refused: Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)', { fix: 'the mail server refuses more connections to this account from this address for now' });
    const line = describeConnectFailure(refused, 'IMAP imap.example.org:993', 'imap.example.org');
    expect(line).toContain('Maximum number of connections');
    expect(line).toContain('refuses more connections to this account');
    expect(line).not.toMatch(/wrong password/);
  });
});
