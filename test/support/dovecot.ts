/**
 * Starts a real Dovecot (Debian `dovecot-imapd`) for tests: IMAP on a free port, plain text auth
 * from a passwd file, Maildir storage in a temp folder, SPECIAL-USE `Drafts` and `Sent`.
 *
 * Dovecot 2.3 run as root: the login process will not run as root and mail access for uid 0 is
 * refused, so the user's mail belongs to the `dovecot` system user (uid/gid looked up), and
 * `first_valid_uid` is set at or below that uid. Sockets, state and log stay in the temp folder.
 *
 * `startImapCutProxy` sits between a client and the server and can cut the connection right after
 * the server accepted an APPEND, before the client hears it: the message is stored, the client
 * sees a dropped connection. It can also rewrite what the server says.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

export interface TestDovecot {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** The user's Maildir. */
  readonly maildir: string;
  /** `dovecot --version`, e.g. `2.3.19.1 (9b53102964)`. */
  readonly version: string;
  /** Stops the server as a crash or a maintenance would, keeping its mail: nothing listens on the port. */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same mail. */
  resume(): Promise<void>;
  /**
   * Makes the password check fail while the server runs, as an LDAP or SQL backend gone down: a
   * login is then answered `NO [UNAVAILABLE] Temporary authentication failure.`
   */
  breakAuth(): Promise<void>;
  /** Lets the password check work again. */
  mendAuth(): Promise<void>;
  stop(): Promise<void>;
}

export async function dovecotVersion(): Promise<string> {
  const { stdout } = await run('/usr/sbin/dovecot', ['--version']);
  return stdout.trim();
}

/** For test names, so that the output says which Dovecot ran. */
export function dovecotVersionSync(): string {
  return execFileSync('/usr/sbin/dovecot', ['--version'], { encoding: 'utf8' }).trim();
}

const SPECIAL_FOLDERS = `  mailbox Drafts {
    special_use = \\Drafts
    auto = create
  }
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
`;

async function idOf(flag: '-u' | '-g', name: string): Promise<number> {
  const { stdout } = await run('id', [flag, name]);
  return Number(stdout.trim());
}

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('data', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface DovecotOptions {
  readonly username?: string;
  /** False: no Drafts and Sent folders at all (only INBOX), as a misconfigured account. @defaultValue true */
  readonly specialFolders?: boolean;
  /**
   * A storage quota for the user, in KiB (Dovecot's quota plugin, told over IMAP QUOTA, RFC 9208):
   * an APPEND past it is refused `NO [OVERQUOTA]`. @defaultValue none
   */
  readonly quotaKb?: number;
  /**
   * Dovecot's `mail_max_userip_connections`: how many IMAP sessions one user may hold at once
   * from one address. A login past it is refused. @defaultValue 100
   */
  readonly maxUserIpConnections?: number;
}

/** Dovecot 2.3's quota plugin with a storage limit, and the IMAP QUOTA extension that reports it. */
const quotaConfig = (kb: number): string => `mail_plugins = $mail_plugins quota
protocol imap {
  mail_plugins = $mail_plugins imap_quota
}
plugin {
  quota = maildir:User quota
  quota_rule = *:storage=${kb}K
}
`;

export async function startDovecot(options: DovecotOptions = {}): Promise<TestDovecot> {
  if (process.getuid?.() !== 0) throw new Error('startDovecot runs Dovecot as root (it then drops to the dovecot user): run the tests as root');
  const dir = await mkdtemp(join(tmpdir(), 'ringback-dovecot-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const username = options.username ?? 'ada';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const uid = await idOf('-u', 'dovecot');
  const gid = await idOf('-g', 'dovecot');
  const mailRoot = join(dir, 'mail');
  const maildir = join(mailRoot, username);
  await mkdir(join(dir, 'base'), { recursive: true });
  await mkdir(join(dir, 'state'), { recursive: true });
  await mkdir(maildir, { recursive: true });
  await run('chown', ['-R', `${uid}:${gid}`, mailRoot]);
  await writeFile(join(dir, 'passwd'), `${username}:{PLAIN}${password}:${uid}:${gid}::${maildir}\n`);
  // A password backend that can go down (breakAuth): exit 111 is checkpassword's temporary
  // failure, 1 a refusal, after which the passwd file decides. It reads what Dovecot writes on fd 3
  // first: exited before, it would fail Dovecot's write, which is a temporary failure too.
  const authDown = join(dir, 'auth-down');
  await writeFile(join(dir, 'auth-gate'), `#!/bin/sh\ncat <&3 >/dev/null\n[ -e ${authDown} ] && exit 111\nexit 1\n`, { mode: 0o755 });
  await writeFile(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/base
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# Each wrong password after the first is still held back by Dovecot's auth penalty (2 s and up,
# per client address): tests that expect several refusals should take a Dovecot of their own.
auth_failure_delay = 0
first_valid_uid = ${Math.min(uid, 100)}
mail_location = maildir:${mailRoot}/%u
mail_max_userip_connections = ${options.maxUserIpConnections ?? 100}
passdb {
  driver = checkpassword
  args = ${dir}/auth-gate
  result_internalfail = return-fail
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = ${dir}/passwd
  default_fields = uid=${uid} gid=${gid}
}
service imap-login {
  chroot =
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
${options.specialFolders === false ? '' : SPECIAL_FOLDERS}}
${options.quotaKb === undefined ? '' : quotaConfig(options.quotaKb)}`,
  );
  const version = await dovecotVersion();
  const launch = async (): Promise<{ child: ChildProcess; exited: Promise<void> }> => {
    // A process group of its own, so that a halt also ends the imap processes of open
    // connections, which outlive a master stopped alone.
    const child: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore', detached: true });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', (error) => {
      throw new Error(`could not start dovecot (apt-get install dovecot-imapd): ${error.message}`);
    });
    await waitForPort(port, 15_000);
    return { child, exited };
  };
  let running = await launch();
  const halt = async (): Promise<void> => {
    const { child, exited } = running;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  };
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    maildir,
    version,
    halt,
    async breakAuth() {
      await writeFile(authDown, '');
    },
    async mendAuth() {
      await rm(authDown, { force: true });
    },
    async resume() {
      await halt();
      running = await launch();
    },
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ImapCutProxy {
  readonly host: string;
  readonly port: number;
  /**
   * Cuts the connection at the next APPEND. `stored`: the server stores the message and the cut
   * comes before the client hears OK. `lost`: the command never reaches the server. With `bye`,
   * the client hears `* BYE <bye>` before the connection closes, as from a server shutting down in
   * the middle of the command.
   */
  cutAtNextAppend(mode: 'stored' | 'lost', bye?: string): void;
  /**
   * Says `* BYE <text>` to every client connected and closes their connections, as a server that
   * ends its sessions does (Dovecot's idle timeout, a restart).
   */
  byeToAll(text: string): void;
  /** How many connections were cut so far. */
  readonly cuts: number;
  /**
   * Rewrites what the server says before the client hears it (null: passed as it is), to make
   * Dovecot answer in another server's words.
   */
  rewrite: ((fromServer: string) => string) | null;
  stop(): Promise<void>;
}

export async function startImapCutProxy(target: { host: string; port: number }): Promise<ImapCutProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let armed: 'stored' | 'lost' | null = null;
  let armedBye: string | undefined;
  let cuts = 0;
  const byes = new Set<(text: string) => void>();
  let rewrite: ((fromServer: string) => string) | null = null;
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let appendTag: string | null = null;
    let fromServer = '';
    const cut = (bye?: string) => {
      cuts += 1;
      upstream.destroy();
      if (bye === undefined) client.destroy();
      else client.end(`* BYE ${bye}\r\n`);
    };
    const byeNow = (text: string) => cut(text);
    byes.add(byeNow);
    let byeAtAppend: string | undefined;
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const match = armed ? /^(\S+) APPEND /im.exec(text) : null;
      if (match?.[1]) {
        const mode = armed;
        byeAtAppend = armedBye;
        armed = null;
        armedBye = undefined;
        if (mode === 'lost') {
          cut(byeAtAppend);
          return;
        }
        appendTag = match[1];
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (appendTag) {
        // Hold back what the server says until its tagged answer to the APPEND arrives.
        fromServer += chunk.toString('latin1');
        if (new RegExp(`^${appendTag} OK`, 'm').test(fromServer)) {
          cut(byeAtAppend);
          return;
        }
        const lastLineStart = fromServer.lastIndexOf('\n') + 1;
        const complete = fromServer.slice(0, lastLineStart);
        fromServer = fromServer.slice(lastLineStart);
        if (complete) client.write(Buffer.from(complete, 'latin1'));
        return;
      }
      client.write(rewrite ? Buffer.from(rewrite(chunk.toString('latin1')), 'latin1') : chunk);
    });
    const close = () => {
      byes.delete(byeNow);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port,
    cutAtNextAppend(mode, bye) {
      armed = mode;
      armedBye = bye;
    },
    byeToAll(text) {
      for (const bye of [...byes]) bye(text);
    },
    get cuts() {
      return cuts;
    },
    get rewrite() {
      return rewrite;
    },
    set rewrite(next) {
      rewrite = next;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ImapMessage {
  readonly messageId: string;
  readonly draft: boolean;
}

/** A session of its own on a test Dovecot, as the user's mail client: what it sees and what it does. */
export async function mailClient(server: TestDovecot): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    auth: { user: server.username, pass: server.password },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** What a mail client sees in `folder` of a test Dovecot right now (messages flagged \Deleted left out). */
export async function imapFolder(server: TestDovecot, folder: 'Drafts' | 'Sent'): Promise<ImapMessage[]> {
  const client = await mailClient(server);
  try {
    const lock = await client.getMailboxLock(folder);
    try {
      const exists = client.mailbox ? client.mailbox.exists : 0;
      if (exists === 0) return [];
      const out: ImapMessage[] = [];
      for await (const message of client.fetch('1:*', { envelope: true, flags: true })) {
        if (message.flags?.has('\\Deleted')) continue;
        out.push({ messageId: message.envelope?.messageId ?? '', draft: message.flags?.has('\\Draft') === true });
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}
