/**
 * A ringback installation in a temp folder, as `ringback init` + `connect` would leave it: a config
 * file, an .ics calendar, a Maildir mailbox (optionally relaying through SMTP with a password kept
 * in the vault), and a secret key. The harness reads Redis and the Maildir from the outside.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { messageIdFor, interviewIdFor } from '../../src/domain/ids.js';
import { readHeaders } from '../../src/providers/mail/mime.js';
import { openRedisConnection } from '../../src/store/connection.js';
import { createSecretVault, parseSecretKey } from '../../src/store/secrets.js';
import { createStore, type Store } from '../../src/store/store.js';

export const CANDIDATE = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415 555 0100', timezone: 'America/New_York' };
export const CALENDAR_ID = 'cal';
export const MAILBOX_ID = 'mail';

export interface World {
  readonly dir: string;
  readonly calendarFile: string;
  readonly maildir: string;
  readonly configFile: string;
  readonly prefix: string;
  /** RINGBACK_SECRET_KEY for the child. */
  readonly secretKey: string;
  readonly store: Store;
  /** The confirmation's Message-ID of an event of the ics calendar (revision 1). */
  confirmationId(uid: string): string;
  /** Message-IDs (or X-Ringback-Ref) of every message in a Maildir folder, with counts. */
  folderCounts(folder: 'Sent' | 'Drafts'): Promise<Map<string, number>>;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly redisUrl: string;
  readonly smtp?: { readonly host: string; readonly port: number; readonly username: string; readonly password: string };
  readonly timing?: Record<string, number>;
  readonly pollSeconds?: number;
  /**
   * An IMAP mailbox instead of the Maildir (relaying through `smtp`, which then has no account of
   * its own: the IMAP user and password sign in to both). `maildir` is the server's own Maildir
   * of the user, read from the outside as for a Maildir mailbox.
   */
  readonly imap?: { readonly host: string; readonly port: number; readonly username: string; readonly password: string; readonly maildir: string };
}

export async function createWorld(options: WorldOptions): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-chaos-'));
  const imap = options.imap;
  const maildir = imap?.maildir ?? join(dir, 'mail');
  if (!imap) {
    for (const folder of ['', '.Drafts', '.Sent']) {
      for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, folder, sub), { recursive: true });
    }
  }
  const calendarFile = join(dir, 'calendar.ics');
  await writeFile(calendarFile, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n');
  const prefix = `chaos-${randomBytes(4).toString('hex')}`;
  const secretKey = randomBytes(32).toString('hex');
  const config = {
    candidate: CANDIDATE,
    redis: options.redisUrl,
    dataDir: join(dir, 'data'),
    prefix,
    calendars: [{ type: 'ics', id: CALENDAR_ID, path: calendarFile }],
    mailbox: imap
      ? {
          type: 'imap',
          id: MAILBOX_ID,
          host: imap.host,
          port: imap.port,
          secure: false,
          username: imap.username,
          smtp: { host: options.smtp?.host ?? imap.host, port: options.smtp?.port ?? 587, secure: false },
        }
      : {
          type: 'maildir',
          id: MAILBOX_ID,
          path: maildir,
          ...(options.smtp ? { smtp: { host: options.smtp.host, port: options.smtp.port, secure: false, username: options.smtp.username } } : {}),
        },
    // Sends due seconds after a draft: the scenarios measure crashes and faults, not the review window.
    timing: { confirmLeadMinutes: 15, reviewMinutes: 0, ...(options.timing ?? {}) },
    sync: { pollSeconds: options.pollSeconds ?? 15 },
    log: { level: 'debug' },
  };
  const configFile = join(dir, 'ringback.yaml');
  await writeFile(configFile, stringify(config));

  const redis = openRedisConnection(options.redisUrl);
  redis.on('error', () => undefined); // the harness kills Redis on purpose; commands that fail say so themselves
  await redis.connect();
  const store = createStore(redis, prefix);
  if (imap) {
    // What `ringback connect imap` stores.
    await createSecretVault(store, parseSecretKey(secretKey, 'key')).set(MAILBOX_ID, 'password', imap.password);
  } else if (options.smtp) {
    // What `ringback connect maildir --smtp-user` stores: the password, encrypted.
    await createSecretVault(store, parseSecretKey(secretKey, 'key')).set(MAILBOX_ID, 'smtpPassword', options.smtp.password);
  }

  return {
    dir,
    calendarFile,
    maildir,
    configFile,
    prefix,
    secretKey,
    store,
    confirmationId: (uid) =>
      messageIdFor({ interviewId: interviewIdFor(CALENDAR_ID, uid), kind: 'confirmation', revision: 1, domain: 'example.org' }),
    folderCounts: (folder) => countFolder(join(maildir, `.${folder}`)),
    async close() {
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function countFolder(path: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const sub of ['new', 'cur']) {
    let names: string[] = [];
    try {
      names = await readdir(join(path, sub));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const name of names) {
      let raw: Buffer;
      try {
        raw = await readFile(join(path, sub, name));
      } catch (error) {
        // Moved between the listing and the read (a draft being sent): counted where it lands.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const headers = readHeaders(raw);
      const id = headers.ringbackRef ?? headers.messageId ?? `(none:${name})`;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}
