/**
 * A server that repeats the client's AUTH command in its refusal. Sendmail answers a command it
 * does not take with the command itself: "500 5.5.1 Command unrecognized: "AUTH PLAIN
 * c2VkZ2hpAHNXXXXXQBzYWRvaGFzaHRhZG84QA=="" (Foundry376/Mailspring#811, a Sendmail 8.14.8 that
 * offered no AUTH after STARTTLS; the credentials there masked by the reporter). AUTH PLAIN
 * carries the username and the password together in one base64 string (RFC 4616: NUL, user, NUL,
 * password), so the password is in the reply, readable to anyone who decodes it, and so in the
 * account's message, the audit and the log. The password alone, or alone in base64 (AUTH LOGIN),
 * was already taken out; this string is not either. The server here is scripted with Sendmail's
 * greeting and refusal (adapted: it offers AUTH PLAIN, so that the client sends it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/providers/errors.js';
import { createSmtpRelay } from '../../../src/providers/mail/smtp.js';
import { startLineServer, type LineServer } from '../../support/line-server.js';

const raw = Buffer.from('From: ada@example.org\r\nTo: lee@corp.example\r\nSubject: Confirming our call\r\nMessage-ID: <x@example.org>\r\n\r\nTalk on Tuesday.\r\n');
const envelope = { from: 'ada@example.org', to: ['lee@corp.example'] };

const servers: LineServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Sendmail's words: its greeting, and every AUTH refused by repeating it. */
async function echoingServer(): Promise<number> {
  const server = await startLineServer('220 mail.example.org ESMTP Sendmail 8.14.8/8.14.8; Fri, 6 Apr 2018 13:19:11 -0400 (EDT)', (line, socket) => {
    if (/^EHLO/i.test(line)) socket.write('250-mail.example.org Hello localhost, pleased to meet you\r\n250-ENHANCEDSTATUSCODES\r\n250-PIPELINING\r\n250-AUTH PLAIN\r\n250 HELP\r\n');
    else if (/^AUTH/i.test(line)) socket.write(`500 5.5.1 Command unrecognized: "${line}"\r\n`);
    else if (/^QUIT/i.test(line)) socket.end('221 2.0.0 mail.example.org closing connection\r\n');
    else socket.write('500 5.5.1 Command unrecognized\r\n');
  });
  servers.push(server);
  return server.port;
}

describe('SMTP relay: a refusal that repeats the login', () => {
  it.each(['app-password-7', 'pässwörd with spaces'])('keeps the password (%s) out of the message, in every form it was sent in', async (password) => {
    const port = await echoingServer();
    const relay = createSmtpRelay({ host: '127.0.0.1', port, secure: false, username: 'ada@example.org', password });
    try {
      const failure = await relay.send(raw, envelope).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(ProviderError);
      const message = (failure as Error).message;
      expect(message).toContain('Command unrecognized');
      const plain = Buffer.from(`\u0000ada@example.org\u0000${password}`, 'utf8').toString('base64');
      expect(message).not.toContain(plain);
      expect(message).not.toContain(password);
      // Nothing left in it decodes to the password either.
      for (const word of message.split(/[\s"]+/)) expect(Buffer.from(word, 'base64').toString('utf8')).not.toContain(password);
    } finally {
      relay.close();
    }
  });
});
