/**
 * `connect caldav` and `connect imap` against real servers (Radicale, Dovecot, an SMTP server):
 * what they return, how they let the user pick, and the one line they print for each failure.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAccountId } from '../../config/schema.js';
import { connectCaldav, CALDAV_PRESETS } from '../../src/cli/connect/caldav.js';
import { connectImap, describeConnectFailure, PRESETS } from '../../src/cli/connect/imap.js';
import type { ConnectIO } from '../../src/cli/connect/types.js';
import { BadInputError } from '../../src/errors.js';
import { checkImapLogin } from '../../src/providers/mail/imap.js';
import { startDovecot, type TestDovecot } from '../support/dovecot.js';
import { startRadicale, type TestRadicale } from '../support/radicale.js';
import { freePort } from '../support/redis-server.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../support/smtp-server.js';

/** A terminal (answers given in order) or none (every question is bad input naming its flag). */
function testIO(answers: string[] | null): ConnectIO & { said: string[]; asked: string[] } {
  const said: string[] = [];
  const asked: string[] = [];
  return {
    said,
    asked,
    signal: new AbortController().signal,
    async ask(question, options = {}) {
      asked.push(question);
      const answer = answers?.shift();
      if (answer === undefined) throw new BadInputError(`${options.flag ?? question}: required when not on a terminal`);
      return answer;
    },
    say(line) {
      said.push(line);
    },
    async openUrl() {
      throw new Error('no browser in these connectors');
    },
  };
}

async function failureOf(work: Promise<unknown>): Promise<BadInputError> {
  const failure = await work.then(
    () => null,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(BadInputError);
  const message = (failure as BadInputError).message;
  expect(message.split('\n')).toHaveLength(1);
  return failure as BadInputError;
}

describe('connect caldav (Radicale)', () => {
  let radicale: TestRadicale;
  let work: string;
  let personal: string;

  beforeAll(async () => {
    radicale = await startRadicale();
    work = await radicale.makeCalendar(`work-${randomUUID().slice(0, 6)}`, 'Work');
    personal = await radicale.makeCalendar(`home-${randomUUID().slice(0, 6)}`, 'Personal');
  });
  afterAll(async () => {
    await radicale.stop();
  });

  const flags = { get url() { return radicale.url; }, get username() { return radicale.username; }, get password() { return radicale.password; } };

  it('reads every calendar when none is named and there is no terminal, and returns the password as a secret', async () => {
    const io = testIO(null);
    const result = await connectCaldav({ url: flags.url, username: flags.username, password: flags.password }, io);
    const id = defaultAccountId({ type: 'caldav', url: radicale.url, username: radicale.username });
    expect(result).toEqual({
      calendars: [{ type: 'caldav', id, url: radicale.url, username: radicale.username, calendars: [] }],
      mailbox: null,
      secrets: { [id]: { password: radicale.password } },
    });
    expect(io.said.join('\n')).toMatch(/read .*Work.*Personal|read .*Personal.*Work/);
    expect(io.said.join('\n')).not.toContain(radicale.password);
  });

  it('takes calendars named by display name or URL', async () => {
    const result = await connectCaldav({ url: flags.url, username: flags.username, password: flags.password, calendar: ['personal', work] }, testIO(null));
    expect(result.calendars[0]).toMatchObject({ calendars: [personal, work] });
    const unknown = await failureOf(connectCaldav({ url: flags.url, username: flags.username, password: flags.password, calendar: ['Holidays'] }, testIO(null)));
    expect(unknown.message).toMatch(/--calendar: "Holidays" is not one of/);
  });

  it('asks on a terminal which calendars to read', async () => {
    const io = testIO([radicale.url, radicale.username, radicale.password, '2']);
    const result = await connectCaldav({}, io);
    const listed = io.said.filter((line) => /^\s+\d+\. /.test(line));
    const second = /^\s+2\. .*\s(\S+)$/.exec(listed[1] ?? '')?.[1];
    expect(result.calendars[0]).toMatchObject({ calendars: [second] });
    expect([work, personal]).toContain(second);
  });

  it('says "wrong password" in one line, without the password', async () => {
    const failure = await failureOf(connectCaldav({ url: flags.url, username: flags.username, password: 'Secr3t-wrong' }, testIO(null)));
    expect(failure.message).toMatch(/^connect caldav: CalDAV 127\.0\.0\.1:\d+: wrong password/);
    expect(failure.message).not.toContain('Secr3t-wrong');
  });

  it('says "connection refused" when nothing listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}/`;
    const failure = await failureOf(connectCaldav({ url, username: 'a', password: 'b' }, testIO(null)));
    expect(failure.message).toMatch(/connection refused/);
  });

  it('refuses an address with credentials in it, and knows the provider addresses', async () => {
    const failure = await failureOf(connectCaldav({ url: 'https://ada:pw@dav.example.org/', username: 'ada', password: 'x' }, testIO(null)));
    expect(failure.message).toMatch(/^--url: leave the user name and password out/);
    expect(CALDAV_PRESETS.icloud.url).toBe('https://caldav.icloud.com');
    expect(CALDAV_PRESETS.fastmail.url).toBe('https://caldav.fastmail.com/dav/');
    expect(CALDAV_PRESETS.nextcloud.url).toBe('https://<host>/remote.php/dav');
  });
});

describe('connect imap (Dovecot and SMTP)', () => {
  let dovecot: TestDovecot;
  let smtp: RecordingSmtpServer;

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startRecordingSmtpServer();
  });
  afterAll(async () => {
    await smtp.stop();
    await dovecot.stop();
  });

  const flags = () => ({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    username: dovecot.username,
    password: dovecot.password,
    smtpHost: smtp.host,
    smtpPort: smtp.port,
    smtpSecure: false,
  });

  it('checks IMAP, folders and SMTP, then returns the mailbox and the password as a secret', async () => {
    const io = testIO(null);
    const result = await connectImap(flags(), io);
    const id = defaultAccountId({ type: 'imap', host: dovecot.host, username: dovecot.username });
    expect(result).toEqual({
      calendars: [],
      mailbox: {
        type: 'imap',
        id,
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        username: dovecot.username,
        smtp: { host: smtp.host, port: smtp.port, secure: false, username: dovecot.username },
        serverFilesSent: false,
      },
      secrets: { [id]: { password: dovecot.password } },
    });
    expect(io.said.join('\n')).toContain('drafts go to "Drafts", sent mail to "Sent"');
    expect(io.said.join('\n')).not.toContain(dovecot.password);
  });

  it('takes what a preset does not say from the flags (Gmail files sent mail itself)', async () => {
    const result = await connectImap({ ...flags(), preset: 'gmail' }, testIO(null));
    expect(result.mailbox).toMatchObject({ host: dovecot.host, serverFilesSent: true });
    expect(PRESETS.gmail).toMatchObject({ imap: { host: 'imap.gmail.com', port: 993 }, smtp: { host: 'smtp.gmail.com', port: 465 } });
    expect(PRESETS.icloud.smtp).toEqual({ host: 'smtp.mail.me.com', port: 587, secure: false });
    const nextcloud = await failureOf(connectImap({ preset: 'nextcloud' }, testIO(null)));
    expect(nextcloud.message).toMatch(/Nextcloud has no mail server/);
  });

  it('says "connection refused" for IMAP and for SMTP', async () => {
    const closed = await freePort();
    expect((await failureOf(connectImap({ ...flags(), port: closed }, testIO(null)))).message).toMatch(/IMAP 127\.0\.0\.1:\d+: connection refused/);
    expect((await failureOf(connectImap({ ...flags(), smtpPort: closed }, testIO(null)))).message).toMatch(/SMTP 127\.0\.0\.1:\d+: connection refused/);
  });

  it('says "wrong password" when the SMTP server refuses the login', async () => {
    const strict = await startRecordingSmtpServer({ auth: { user: 'someone-else', pass: 'x' } });
    try {
      const failure = await failureOf(connectImap({ ...flags(), smtpPort: strict.port }, testIO(null)));
      expect(failure.message).toMatch(/^connect imap: SMTP 127\.0\.0\.1:\d+: wrong password/);
    } finally {
      await strict.stop();
    }
  });

  it('says "folder missing" when the account has no Drafts folder', async () => {
    const bare = await startDovecot({ specialFolders: false });
    try {
      const failure = await failureOf(connectImap({ ...flags(), port: bare.port, password: bare.password }, testIO(null)));
      expect(failure.message).toMatch(/folder missing: no Drafts folder/);
    } finally {
      await bare.stop();
    }
  });

  // Last: after a refused login Dovecot holds back the next one from this address for seconds.
  it('says "wrong password" in one line, without the password', async () => {
    const failure = await failureOf(connectImap({ ...flags(), password: 'Secr3t-wrong' }, testIO(null)));
    expect(failure.message).toMatch(/^connect imap: IMAP 127\.0\.0\.1:\d+: wrong password/);
    expect(failure.message).not.toContain('Secr3t-wrong');
  });

  describe('TLS', () => {
    let server: TlsServer;
    let port: number;
    let cert: string;

    beforeAll(async () => {
      const pems = await generate([{ name: 'commonName', value: 'mail.elsewhere.example' }], {
        keySize: 2048,
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'mail.elsewhere.example' }] }],
      });
      cert = pems.cert;
      server = createTlsServer({ key: pems.private, cert: pems.cert }, (socket) => socket.end('* OK IMAP4rev1 ready\r\n'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('says "TLS name mismatch" when a trusted certificate is for another name', async () => {
      const error = await checkImapLogin({ host: 'localhost', port, secure: true, username: 'a', password: 'b', tls: { ca: cert } }).catch((e: unknown) => e);
      expect(describeConnectFailure(error, `IMAP localhost:${port}`, 'localhost')).toBe(
        `IMAP localhost:${port}: TLS name mismatch: the server's certificate is not for localhost`,
      );
    });

    it('says the certificate is not trusted when nobody vouches for it', async () => {
      const failure = await failureOf(connectImap({ ...flags(), host: 'localhost', port, secure: true }, testIO(null)));
      expect(failure.message).toMatch(/^connect imap: IMAP localhost:\d+: TLS certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/);
    });
  });
});
