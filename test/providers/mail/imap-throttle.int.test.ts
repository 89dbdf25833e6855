/**
 * Exchange Online's IMAP throttling, through the real IMAP client (imapflow) against a scripted
 * server that answers as Office 365 does: "NO Request is throttled. Suggested Backoff Time: 299609
 * milliseconds" (imapsync/imapsync#198, to an APPEND), "BAD Request is throttled. Suggested Backoff
 * Time: 89117 milliseconds" followed by "* BYE Connection closed." (simonrob/email-oauth2-proxy
 * #191). imapflow itself waits out the hint (at most half its socket timeout, 150 s) and then
 * fails the command with code ETHROTTLE, `throttleReset` the hint and `throttleWaited` what it
 * waited; ringback then waited a fixed minute more, whatever the server had said. The wait is what
 * is left of the server's hint. (Hints of seconds here, so that imapflow's own wait stays short.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, PermanentError, RateLimitError } from '../../../src/providers/errors.js';
import { checkImapLogin } from '../../../src/providers/mail/imap.js';
import { startLineServer, type LineServer } from '../../support/line-server.js';

const servers: LineServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** An IMAP server that greets, lists its capabilities, and answers LOGIN with `refusal`. */
async function throttlingServer(refusal: (tag: string) => string): Promise<number> {
  const server = await startLineServer('* OK The Microsoft Exchange IMAP4 service is ready.', (line, socket) => {
    const [tag = '*', command = ''] = line.split(' ');
    if (command.toUpperCase() === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4 IMAP4rev1\r\n${tag} OK CAPABILITY completed.\r\n`);
    else if (command.toUpperCase() === 'LOGIN' || command.toUpperCase() === 'AUTHENTICATE') socket.write(refusal(tag));
    else if (command.toUpperCase() === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK LOGOUT completed.\r\n`);
    else socket.write(`${tag} OK done.\r\n`);
  });
  servers.push(server);
  return server.port;
}

describe('Exchange Online throttling an IMAP account', () => {
  it.each([
    { said: 'NO', reply: (tag: string) => `${tag} NO Request is throttled. Suggested Backoff Time: 1500 milliseconds\r\n` },
    { said: 'BAD', reply: (tag: string) => `${tag} BAD Request is throttled. Suggested Backoff Time: 1200 milliseconds\r\n` },
  ])('takes "Request is throttled" ($said) as a wait of what is left of the time it names', async ({ reply }) => {
    const port = await throttlingServer(reply);
    const failure = await checkImapLogin({ host: '127.0.0.1', port, secure: false, username: 'ada@contoso.example', password: 'right' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure).not.toBeInstanceOf(AuthError);
    expect(failure).not.toBeInstanceOf(PermanentError);
    // imapflow waited the whole hint already: nothing of it is left (a minute, before).
    expect((failure as RateLimitError).retryAfterMs).toBeLessThan(1_000);
    expect((failure as Error).message).toMatch(/Request is throttled/);
  });
});
