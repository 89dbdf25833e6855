/**
 * The one-line fix shown for an account that cannot be used (`ringback accounts`, `doctor`, the
 * dashboard, the log): it must point at what can be wrong. A Maildir relaying through SMTP is
 * "unusable" for its folder or for its relay (a relay that refuses this computer, 554 at the
 * greeting, or the sender address, 550/553 at MAIL FROM: test/providers/mail/smtp-faults.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { CalendarConfig, MailboxConfig } from '../../config/types.js';
import { fixFor } from '../../src/engine/account-fix.js';
import { AuthError } from '../../src/providers/errors.js';

describe('fixFor an unusable account', () => {
  it('names the SMTP relay besides the folder for a Maildir that relays', () => {
    const relaying: MailboxConfig = { type: 'maildir', id: 'mail', path: '/home/ada/Mail', smtp: { host: 'smtp.example.org', port: 587, secure: false } };
    expect(fixFor(relaying, 'unusable')).toMatch(/folder \/home\/ada\/Mail .*SMTP relay accepts this computer and your address as sender/);
    const alone: MailboxConfig = { type: 'maildir', id: 'mail', path: '/home/ada/Mail' };
    expect(fixFor(alone, 'unusable')).not.toMatch(/SMTP/);
  });

  it('names the sender address for an IMAP account', () => {
    const imap: MailboxConfig = {
      type: 'imap',
      id: 'work',
      host: 'imap.example.org',
      port: 993,
      secure: true,
      username: 'ada',
      smtp: { host: 'smtp.example.org', port: 587, secure: false },
    } as MailboxConfig;
    expect(fixFor(imap, 'unusable')).toMatch(/quota.*accepts your address as sender/);
  });
});

/**
 * A refused login at a provider that takes only app passwords is, most often, the account's own
 * password typed where an app password belongs: iCloud Mail rejects "the normal Apple ID password
 * over IMAP/SMTP" (kellylford/QuickMail#32) and answers only "NO [AUTHENTICATIONFAILED]
 * Authentication failed" (lefcha/imapfilter#125); Fastmail's IMAP "requires an app password"
 * (elementary/settings-onlineaccounts#40) and answers "NO Incorrect username or password."
 * (Foundry376/Mailspring#2217). "Sign in again" alone sends the user back to the same password.
 */
describe('fixFor a refused login', () => {
  const imapAt = (host: string, smtpHost: string): MailboxConfig =>
    ({ type: 'imap', id: 'mail', host, port: 993, secure: true, username: 'ada@example.org', smtp: { host: smtpHost, port: 587, secure: false } }) as MailboxConfig;

  it.each([
    ['imap.mail.me.com', 'smtp.mail.me.com', 'iCloud', 'account.apple.com → Sign-In and Security → App-Specific Passwords'],
    ['imap.fastmail.com', 'smtp.fastmail.com', 'Fastmail', 'Settings → Privacy & Security → App passwords'],
    ['imap.gmail.com', 'smtp.gmail.com', 'Gmail', 'myaccount.google.com/apppasswords'],
  ])('at %s says to make an app password, where, and then to sign in again', (host, smtpHost, label, where) => {
    const fix = fixFor(imapAt(host, smtpHost), 'needs-reauth');
    expect(fix).toContain(`${label} takes only an app password`);
    expect(fix).toContain(where);
    expect(fix).toMatch(/then sign in again: ringback connect imap --id mail --host /);
  });

  it('names the app password for a Maildir relaying through iCloud, and nothing of it for a server of its own', () => {
    const relaying: MailboxConfig = { type: 'maildir', id: 'mail', path: '/home/ada/Mail', smtp: { host: 'smtp.mail.me.com', port: 587, secure: false } };
    expect(fixFor(relaying, 'needs-reauth')).toContain('iCloud takes only an app password');
    const calendar = { type: 'caldav', id: 'cal', url: 'https://caldav.icloud.com/', username: 'ada@icloud.com' } as CalendarConfig;
    expect(fixFor(calendar, 'needs-reauth')).toMatch(/^iCloud takes only an app password.*, then sign in again: ringback connect caldav/);
    const own = fixFor(imapAt('imap.example.org', 'smtp.example.org'), 'needs-reauth');
    expect(own).not.toMatch(/app password/);
    expect(own).toMatch(/^sign in again: ringback connect imap/);
  });

  it("puts the fix a login's refusal names before the command that signs in again", () => {
    const error = new AuthError('SMTP smtp.gmail.com:465: EAUTH during AUTH 534-5.7.9 Application-specific password required.', { fix: 'Gmail takes only an app password here' });
    expect(fixFor(imapAt('imap.example.org', 'smtp.example.org'), 'needs-reauth', error)).toMatch(/^Gmail takes only an app password here, then sign in again: ringback connect imap/);
  });
});
