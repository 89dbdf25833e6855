/**
 * Logins refused by real providers' IMAP servers, through the real IMAP client (imapflow) against
 * a scripted server that answers LOGIN as each does. The refusal's own words reach the account's
 * message (they said only "IMAP server refused the username or app password" before), and Gmail's
 * "Application-specific password required" gives the fix that goes with it: an app password, and
 * where to make one. Greetings and capabilities are the providers' (lefcha/imapfilter#125 for
 * iCloud's, Foundry376/Mailspring#2217 for Fastmail's), shortened.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { accountTrouble } from '../../../src/engine/outage.js';
import { AuthError, TransientError } from '../../../src/providers/errors.js';
import { checkImapLogin } from '../../../src/providers/mail/imap.js';
import { startLineServer, type LineServer } from '../../support/line-server.js';

const servers: LineServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** An IMAP server that greets with `greeting`, lists plain IMAP4rev1, and answers LOGIN `NO <refusal>`. */
async function refusingServer(greeting: string, refusal: string): Promise<number> {
  const server = await startLineServer(`* OK ${greeting}`, (line, socket) => {
    const [tag = '*', command = ''] = line.split(' ');
    const verb = command.toUpperCase();
    if (verb === 'CAPABILITY') socket.write(`* CAPABILITY IMAP4 IMAP4rev1\r\n${tag} OK completed\r\n`);
    else if (verb === 'LOGIN') socket.write(`${tag} NO ${refusal}\r\n`);
    else if (verb === 'LOGOUT') socket.end(`* BYE\r\n${tag} OK LOGOUT completed\r\n`);
    else socket.write(`${tag} BAD not here\r\n`);
  });
  servers.push(server);
  return server.port;
}

const loginAt = async (port: number, password: string): Promise<unknown> =>
  await checkImapLogin({ host: '127.0.0.1', port, secure: false, username: 'ada@example.org', password }).then(() => null, (error: unknown) => error);

describe('IMAP logins refused by providers', () => {
  /**
   * Gmail, to a login with the account's own password: "NO [ALERT] Application-specific password
   * required: https://support.google.com/accounts/answer/185833 (Failure)" (LukeSmithxyz/mutt-wizard
   * #831, "IMAP command 'LOGIN <user> <pass>' returned an error").
   */
  it('takes Gmail\'s "Application-specific password required" as a login that needs an app password, and says where to make one', async () => {
    const port = await refusingServer('Gimap ready for requests', '[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)');
    const failure = await loginAt(port, 'google-account-password');
    expect(failure).toBeInstanceOf(AuthError);
    expect(accountTrouble(failure)).toBe('needs-reauth');
    expect((failure as Error).message).toContain('Application-specific password required');
    expect((failure as AuthError).fix).toContain('myaccount.google.com/apppasswords');
    expect((failure as Error).message).not.toContain('google-account-password');
  });

  it.each([
    // iCloud (lefcha/imapfilter#125) and Fastmail (Foundry376/Mailspring#2217): their words only.
    ['iSCREAM ready to rumble', '[AUTHENTICATIONFAILED] Authentication failed'],
    ['IMAP4 ready', 'Incorrect username or password.'],
  ])('keeps the server\'s words of a refused login (%s: "%s")', async (greeting, refusal) => {
    const port = await refusingServer(greeting, refusal);
    const failure = await loginAt(port, 'secret-9');
    expect(failure).toBeInstanceOf(AuthError);
    expect((failure as Error).message).toContain(refusal.replace(/^\[[A-Z]+\] /, ''));
    expect((failure as AuthError).fix).toBeUndefined();
    expect((failure as Error).message).not.toContain('secret-9');
  });

  /**
   * Gmail refusing a login past its 15 IMAP connections per account (other mail clients, a backup
   * tool, each holding some): "NO [ALERT] Too many simultaneous connections. (Failure)"
   * (zone-eu/wildduck#35, jstedfast/MailKit#377: "Mailkit returns the same Exception as if there
   * was an Authentication failure"; the limit, support.google.com/mail/answer/97150, cited in
   * imapsync/imapsync#61). imapflow marks it a failed login, and the account asked to sign in
   * again with a password that is right. It is a wait, with what holds the connections.
   */
  it('takes Gmail\'s "Too many simultaneous connections" as a wait, not a refused password', async () => {
    const port = await refusingServer('Gimap ready for requests', '[ALERT] Too many simultaneous connections. (Failure)');
    const failure = await loginAt(port, 'app-password-1');
    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).not.toBeInstanceOf(AuthError);
    expect(accountTrouble(failure)).toBe('unreachable');
    expect((failure as Error).message).toContain('Too many simultaneous connections');
    expect((failure as TransientError).fix).toMatch(/15 IMAP connections/);
  });
});
