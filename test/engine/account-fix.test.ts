/**
 * The one-line fix shown for an account that cannot be used (`ringback accounts`, `doctor`, the
 * dashboard, the log): it must point at what can be wrong. A Maildir relaying through SMTP is
 * "unusable" for its folder or for its relay (a relay that refuses this computer, 554 at the
 * greeting, or the sender address, 550/553 at MAIL FROM: test/providers/mail/smtp-faults.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { MailboxConfig } from '../../config/types.js';
import { fixFor } from '../../src/engine/account-fix.js';

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
