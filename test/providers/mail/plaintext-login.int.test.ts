/**
 * A mail server reached without encryption, with a password to send. With `secure: false`,
 * nodemailer and imapflow start TLS only when the server offers STARTTLS; when it does not (a
 * server without TLS set up, or an attacker on the path who removed STARTTLS from the capability
 * list), both go on and send the login in clear text ("STARTTLS stripping": RFC 3207 §6;
 * dahlia/upyo#36, tale-project/tale#2366, dawidd6/action-send-mail#317; imapflow's own doSTARTTLS
 * documentation: "Set doSTARTTLS: true whenever the credentials must never cross the wire
 * unencrypted"). Postal's SMTP server answers this way: "250 AUTH CRAM-MD5 PLAIN LOGIN" without
 * STARTTLS, then "502 TLS not available" (postalserver/postal#745). Postfix with a broken
 * certificate offers STARTTLS and refuses it, "454 4.7.0 TLS not available due to local problem"
 * (hardware/mailserver#236, through nodemailer), which ringback took for a server down.
 *
 * Now the password crosses only an encrypted connection, except to this computer's own loopback
 * address (a local bridge or relay: nothing crosses a network). The real test servers listen on
 * 127.0.0.1, so those tests say `plaintextLogin: false`, as for any other host; scripted servers
 * listen on 127.0.0.2, another host by the default rule, and record every line the client sends,
 * to show the password never went out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixFor } from '../../../src/engine/account-fix.js';
import { accountTrouble } from '../../../src/engine/outage.js';
import { AccountUnusableError } from '../../../src/providers/errors.js';
import { checkImapLogin } from '../../../src/providers/mail/imap.js';
import { createSmtpRelay } from '../../../src/providers/mail/smtp.js';
import type { MailboxConfig } from '../../../config/types.js';
import { startDovecot } from '../../support/dovecot.js';
import { startLineServer } from '../../support/line-server.js';
import { startRecordingSmtpServer } from '../../support/smtp-server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const PASSWORD = 'app-pass-7f3k';
const config = { type: 'imap', id: 'mail', host: 'mail.example.org', port: 143, username: 'ada' } as unknown as MailboxConfig;
const message = Buffer.from('From: ada@example.org\r\nTo: lee@corp.example\r\nSubject: x\r\n\r\nx\r\n');
const envelope = { from: 'ada@example.org', to: ['lee@corp.example'] };

/** A scripted server that records what the client sends. */
async function scripted(greeting: string, answer: (line: string, write: (text: string) => void, end: (text: string) => void) => void, host = '127.0.0.1') {
  const heard: string[] = [];
  const server = await startLineServer(greeting, (line, socket) => {
    heard.push(line);
    answer(line, (text) => socket.write(text), (text) => socket.end(text));
  }, host);
  cleanups.push(() => server.close());
  return { port: server.port, heard };
}

const carriesPassword = (lines: readonly string[]) =>
  lines.some((line) => line.includes(PASSWORD) || Buffer.from(line.split(' ').pop() ?? '', 'base64').toString('latin1').includes(PASSWORD));

function expectEncryptionFix(failure: unknown): void {
  expect(failure).toBeInstanceOf(AccountUnusableError);
  expect(accountTrouble(failure)).toBe('unusable');
  const fix = fixFor(config, 'unusable', failure);
  expect(fix).toMatch(/encrypt/);
  expect(fix).not.toMatch(/is up|folders|sign in again/);
  expect(String((failure as Error).message)).not.toContain(PASSWORD);
}

describe('SMTP: the password only over an encrypted connection', () => {
  it('a relay that offers no STARTTLS (the real test server) gets no login and no message: the account says to use an encrypted port', async () => {
    const server = await startRecordingSmtpServer({ auth: { user: 'ada', pass: PASSWORD } });
    cleanups.push(() => server.stop());
    const relay = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: 'ada', password: PASSWORD, plaintextLogin: false });
    cleanups.push(() => relay.close());
    const failure = await relay.send(message, envelope).then(() => null, (error: unknown) => error);
    expectEncryptionFix(failure);
    expect(server.messages).toHaveLength(0);
  });

  it('Postal\'s "250 AUTH …" without STARTTLS, then "502 TLS not available": no AUTH line crosses', async () => {
    const { port, heard } = await scripted('220 postal.example ESMTP Postal', (line, write, end) => {
      const verb = line.split(' ')[0]?.toUpperCase();
      if (verb === 'EHLO') write('250-My capabilities are\r\n250 AUTH CRAM-MD5 PLAIN LOGIN\r\n');
      else if (verb === 'STARTTLS') write('502 TLS not available\r\n');
      else if (verb === 'QUIT') end('221 Closing Connection\r\n');
      else write('235 2.7.0 Authentication successful\r\n');
    }, '127.0.0.2');
    // By the default rule: 127.0.0.2 is not this computer's loopback as a local relay is reached.
    const relay = createSmtpRelay({ host: '127.0.0.2', port, secure: false, username: 'ada', password: PASSWORD });
    cleanups.push(() => relay.close());
    const failure = await relay.verify().then(() => null, (error: unknown) => error);
    expectEncryptionFix(failure);
    expect(heard.some((line) => /^AUTH/i.test(line))).toBe(false);
    expect(carriesPassword(heard)).toBe(false);
  });

  it('Postfix\'s "454 4.7.0 TLS not available due to local problem" is the server\'s TLS set-up to fix, not a server down', async () => {
    const { port, heard } = await scripted('220 mail.example.org ESMTP Postfix', (line, write, end) => {
      const verb = line.split(' ')[0]?.toUpperCase();
      if (verb === 'EHLO') write('250-mail.example.org\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n');
      else if (verb === 'STARTTLS') write('454 4.7.0 TLS not available due to local problem\r\n');
      else if (verb === 'QUIT') end('221 2.0.0 Bye\r\n');
      else write('502 5.5.1 Command not implemented\r\n');
    });
    const relay = createSmtpRelay({ host: '127.0.0.1', port, secure: false, username: 'ada', password: PASSWORD, plaintextLogin: false });
    cleanups.push(() => relay.close());
    const failure = await relay.send(message, envelope).then(() => null, (error: unknown) => error);
    expectEncryptionFix(failure);
    expect((failure as Error).message).toContain('454 4.7.0 TLS not available due to local problem');
    expect(fixFor(config, 'unusable', failure)).toMatch(/administrator|provider/);
    expect(carriesPassword(heard)).toBe(false);
  });
});

describe('IMAP: the password only over an encrypted connection', () => {
  it('a Dovecot without TLS (no STARTTLS offered) is not logged in to: the account says to use an encrypted port', async () => {
    const dovecot = await startDovecot();
    cleanups.push(() => dovecot.stop());
    const failure = await checkImapLogin({ host: dovecot.host, port: dovecot.port, secure: false, username: dovecot.username, password: dovecot.password, plaintextLogin: false }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect(fixFor(config, 'unusable', failure)).toMatch(/encrypt/);
    expect(String((failure as Error).message)).not.toContain(dovecot.password);
  });

  it('a server whose capabilities lack STARTTLS hears no LOGIN', async () => {
    const { port, heard } = await scripted('* OK IMAP4rev1 ready', (line, write, end) => {
      const [tag = '*', verb = ''] = line.split(' ');
      if (verb.toUpperCase() === 'CAPABILITY') write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
      else if (verb.toUpperCase() === 'LOGOUT') end(`* BYE\r\n${tag} OK bye\r\n`);
      else write(`${tag} OK done\r\n`);
    }, '127.0.0.2');
    const failure = await checkImapLogin({ host: '127.0.0.2', port, secure: false, username: 'ada', password: PASSWORD }).then(() => null, (error: unknown) => error);
    expectEncryptionFix(failure);
    expect(heard.some((line) => /\b(LOGIN|AUTHENTICATE)\b/i.test(line))).toBe(false);
    expect(carriesPassword(heard)).toBe(false);
  });
});
