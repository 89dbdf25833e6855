/**
 * A mail server whose TLS certificate stops being accepted while ringback runs: it expired (the
 * provider forgot to renew it: "certificate has expired", Node's CERT_HAS_EXPIRED), or it names
 * another host than the one in the config (ERR_TLS_CERT_ALTNAME_INVALID, "Hostname/IP does not
 * match certificate's altnames", after a move of the server). SMTP (nodemailer) and IMAP
 * (imapflow) against local TLS servers with such certificates (made by selfsigned, as
 * test/cli/connect-protocols.int.test.ts does). Before, SMTP's said "ESOCKET during CONN" and was
 * retried as a server down ("check that the mail server is up"), IMAP's named the code with the fix
 * of a missing folder; the fix is the certificate's.
 */
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generate } from 'selfsigned';
import { accountTrouble } from '../../../src/engine/outage.js';
import { fixFor } from '../../../src/engine/account-fix.js';
import { AccountUnusableError } from '../../../src/providers/errors.js';
import { checkImapLogin } from '../../../src/providers/mail/imap.js';
import { createSmtpRelay } from '../../../src/providers/mail/smtp.js';
import type { MailboxConfig } from '../../../config/types.js';

const DAY = 86_400_000;
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A TLS server that greets like `greeting` with a certificate for `name`, valid until `until`. */
async function tlsServer(name: string, greeting: string, until = new Date(Date.now() + 30 * DAY)): Promise<{ port: number; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keySize: 2048,
    notBeforeDate: new Date(until.getTime() - 60 * DAY),
    notAfterDate: until,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: name }] }],
  } as Parameters<typeof generate>[1]);
  const server = createServer({ key: pems.private, cert: pems.cert }, (socket) => {
    socket.on('error', () => undefined);
    socket.write(greeting);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, cert: pems.cert };
}

const imapConfig = { type: 'imap', id: 'mail', host: 'localhost', port: 993, username: 'ada' } as unknown as MailboxConfig;

const cases = [
  { what: 'expired', name: 'localhost', until: new Date(Date.now() - 10 * DAY), code: 'CERT_HAS_EXPIRED', fix: /expired/ },
  { what: 'for another host', name: 'mail.elsewhere.example', until: undefined, code: 'ERR_TLS_CERT_ALTNAME_INVALID', fix: /host name/ },
] as const;

describe('a TLS certificate the mail server presents and Node refuses', () => {
  it.each(cases)('SMTP: a certificate $what is the account to fix, named, with the certificate\'s fix', async ({ name, until, code, fix }) => {
    const { port, cert } = await tlsServer(name, '220 mail ESMTP\r\n', until);
    const relay = createSmtpRelay({ host: 'localhost', port, secure: true, tls: { ca: cert } });
    try {
      const failure = await relay.send(Buffer.from('Subject: x\r\n\r\nx\r\n'), { from: 'ada@example.org', to: ['lee@corp.example'] }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AccountUnusableError);
      expect(accountTrouble(failure)).toBe('unusable');
      expect((failure as Error).message).toContain(code);
      expect(fixFor(imapConfig, 'unusable', failure)).toMatch(fix);
      expect(fixFor(imapConfig, 'unusable', failure)).not.toMatch(/folders|is up/);
    } finally {
      relay.close();
    }
  });

  it.each(cases)('IMAP: a certificate $what is the account to fix, with the certificate\'s fix', async ({ name, until, code, fix }) => {
    const { port, cert } = await tlsServer(name, '* OK IMAP4rev1 ready\r\n', until);
    const failure = await checkImapLogin({ host: 'localhost', port, secure: true, username: 'ada', password: 'x', tls: { ca: cert } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect((failure as Error).message).toContain(code);
    expect(fixFor(imapConfig, 'unusable', failure)).toMatch(fix);
    expect(fixFor(imapConfig, 'unusable', failure)).not.toMatch(/folders/);
  });
});
