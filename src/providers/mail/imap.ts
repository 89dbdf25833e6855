/**
 * The `imap` mailbox: drafts and sent mail in the user's own IMAP account (iCloud, Fastmail,
 * Gmail or Outlook.com with an app password, any Dovecot), sending through SMTP. imapflow types
 * stay in this file.
 *
 * Folders: the ones marked `\Drafts` and `\Sent` (RFC 6154 SPECIAL-USE), else the first that
 * exists of {@link DRAFTS_NAMES} / {@link SENT_NAMES}, else one whose localised name says so. A {@link DraftRef}'s `providerId` is
 * `<folder path>:<UIDVALIDITY>:<UID>`; when that UID is gone (a mail client saved an edit as a
 * new message, or UIDVALIDITY changed) the message is looked up by `Message-ID`, then by
 * `X-Ringback-Ref` (kept by clients that give an edited draft a new Message-ID), in Drafts, then
 * in Sent. A message flagged `\Deleted` counts as gone.
 *
 * Retries never duplicate:
 * - `createDraft` first searches Drafts for the Message-ID: an APPEND whose answer was lost on a
 *   dropped connection is found and returned instead of written again.
 * - `updateDraft` removes copies of the new version left by an interrupted attempt, appends the
 *   new version, then removes the old one (UID EXPUNGE).
 * - `send` returns at once when the Message-ID is already in Sent. After a successful relay it
 *   flags the draft `$RingbackRelayed` (where the folder allows keywords), so that a retry after a
 *   failure to file in Sent does not relay again. The one window left, a connection lost between
 *   the SMTP server's acceptance and that flag, is covered by the send claim kept in Redis
 *   (DESIGN.md, Sending exactly once).
 *
 * One connection is kept and reused; every operation runs alone on it (a promise queue), so two
 * operations never interleave their mailbox selections. When the server drops the connection
 * (imapflow emits 'close') the operation in progress fails with a TransientError and the next one
 * connects again.
 */
import { ImapFlow } from 'imapflow';
import type { Millis } from '../../domain/types.js';
import { AuthError, PermanentError, ProviderError, RateLimitError, TransientError } from '../errors.js';
import { buildRawMessage, readHeaders, stripHeader, withReplyTo } from './mime.js';
import { createSmtpRelay } from './smtp.js';
import type { DraftRef, DraftState, FoundMessage, Mailbox, Reply } from './types.js';

export interface ImapLogin {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (993). Otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  readonly username: string;
  /** App password; never logged, never part of an error message. */
  readonly password: string;
  /** TLS settings for IMAP and SMTP. */
  readonly tls?: {
    /** @defaultValue true */
    readonly rejectUnauthorized?: boolean;
    /** A private CA (PEM) to trust besides the system ones. */
    readonly ca?: string;
  };
}

export interface ImapMailboxOptions extends ImapLogin {
  readonly id: string;
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    /** @defaultValue the IMAP username */
    readonly username?: string;
    /** @defaultValue the IMAP password */
    readonly password?: string;
  };
  /** True when the provider files sent mail in Sent itself (Gmail): no APPEND to Sent. */
  readonly serverFilesSent: boolean;
}

export interface ImapFolders {
  readonly drafts: string;
  readonly sent: string;
}

/** Folder names tried, in order, when no folder carries the SPECIAL-USE flag. */
export const DRAFTS_NAMES = ['Drafts', 'Draft', 'INBOX.Drafts', '[Gmail]/Drafts'] as const;
export const SENT_NAMES = ['Sent', 'Sent Items', 'Sent Messages', 'INBOX.Sent', '[Gmail]/Sent Mail'] as const;

/** Keyword put on a draft once the SMTP server accepted it. */
const RELAYED = '$RingbackRelayed';
const DAY = 86_400_000;

interface Hit {
  readonly path: string;
  readonly uidValidity: string;
  readonly uid: number;
}
interface Located extends Hit {
  readonly state: 'draft' | 'sent';
}

/** Translates an imapflow or socket failure into a provider error whose message is safe to log. */
function imapError(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = (error ?? {}) as { authenticationFailed?: boolean; code?: unknown; responseStatus?: unknown; serverResponseCode?: unknown; responseText?: unknown; message?: unknown };
  const code = typeof failure.code === 'string' ? failure.code : '';
  const serverCode = typeof failure.serverResponseCode === 'string' ? failure.serverResponseCode.toUpperCase() : '';
  const options = { cause: error };
  if (failure.authenticationFailed || serverCode === 'AUTHENTICATIONFAILED') {
    return new AuthError('IMAP server refused the username or app password', options);
  }
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return new PermanentError(`IMAP TLS certificate not accepted (${code})`, options);
  }
  if (code === 'ETHROTTLE') return new RateLimitError(`IMAP server throttled ${what}`, 60_000, options);
  if (failure.responseStatus === 'NO' || failure.responseStatus === 'BAD') {
    const text = typeof failure.responseText === 'string' ? failure.responseText.slice(0, 200) : String(failure.responseStatus);
    if (['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG'].includes(serverCode)) return new TransientError(`IMAP ${what}: ${text}`, options);
    return new PermanentError(`IMAP ${what} refused: ${text}`, options);
  }
  const detail = code || (typeof failure.message === 'string' ? failure.message.slice(0, 120) : 'connection lost');
  return new TransientError(`IMAP connection failed during ${what} (${detail})`, options);
}

function connectOptions(login: ImapLogin) {
  return {
    host: login.host,
    port: login.port,
    secure: login.secure,
    auth: { user: login.username, pass: login.password },
    ...(login.tls ? { tls: { ...login.tls } } : {}),
    logger: false as const,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
  };
}

async function findFolders(client: ImapFlow): Promise<{ drafts: string | null; sent: string | null }> {
  const folders = await client.list();
  const pick = (flag: string, names: readonly string[]): string | null =>
    folders.find((folder) => folder.specialUse === flag && folder.specialUseSource === 'extension')?.path ??
    names.map((name) => folders.find((folder) => folder.path.toLowerCase() === name.toLowerCase())?.path).find(Boolean) ??
    // imapflow's own guess from localised names ("Entwürfe", "Éléments envoyés").
    folders.find((folder) => folder.specialUse === flag)?.path ??
    null;
  return { drafts: pick('\\Drafts', DRAFTS_NAMES), sent: pick('\\Sent', SENT_NAMES) };
}

/**
 * Logs in, finds the Drafts and Sent folders and logs out: for `connect imap`. A missing folder
 * comes back as null; a refused login is an AuthError.
 */
export async function checkImapLogin(login: ImapLogin): Promise<{ drafts: string | null; sent: string | null }> {
  const client = new ImapFlow(connectOptions(login));
  // Failures reach us through the awaited calls below; the event only must not go unheard.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const folders = await findFolders(client);
    await client.logout();
    return folders;
  } catch (error) {
    client.close();
    throw imapError(error, 'login');
  }
}

const crlf = (raw: Buffer): Buffer => Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
const refOf = (hit: Hit, messageId: string): DraftRef => ({ providerId: `${hit.path}:${hit.uidValidity}:${hit.uid}`, messageId, threadId: null });

function parseProviderId(providerId: string): Hit | null {
  const match = /^(.*):(\d+):(\d+)$/.exec(providerId);
  return match?.[1] && match[2] && match[3] ? { path: match[1], uidValidity: match[2], uid: Number(match[3]) } : null;
}

export function createImapMailbox(options: ImapMailboxOptions): Mailbox {
  const relay = createSmtpRelay({
    host: options.smtp.host,
    port: options.smtp.port,
    secure: options.smtp.secure,
    username: options.smtp.username ?? options.username,
    password: options.smtp.password ?? options.password,
    ...(options.tls ? { tls: { ...options.tls } } : {}),
  });
  let live: { client: ImapFlow; folders: ImapFolders } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<{ client: ImapFlow; folders: ImapFolders }> {
    if (live?.client.usable) return live;
    live = null;
    const client = new ImapFlow(connectOptions(options));
    // A dropped connection fails the command in progress; 'close' makes the next call reconnect.
    client.on('error', () => undefined);
    client.on('close', () => {
      if (live?.client === client) live = null;
    });
    try {
      await client.connect();
      const found = await findFolders(client);
      if (!found.drafts) throw new PermanentError(`IMAP folder Drafts is missing: none is marked \\Drafts or named ${DRAFTS_NAMES.join(', ')}`);
      if (!found.sent) throw new PermanentError(`IMAP folder Sent is missing: none is marked \\Sent or named ${SENT_NAMES.join(', ')}`);
      live = { client, folders: { drafts: found.drafts, sent: found.sent } };
      return live;
    } catch (error) {
      client.close();
      throw imapError(error, 'login');
    }
  }

  /** Runs `work` alone on the live connection; a connection-level failure drops it. */
  function exclusive<T>(what: string, work: (client: ImapFlow, folders: ImapFolders) => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      const { client, folders } = await connect();
      try {
        return await work(client, folders);
      } catch (error) {
        const failure = imapError(error, what);
        // An SMTP failure arrives as a ProviderError already and says nothing about this connection.
        const connectionLost = !client.usable || (!(error instanceof ProviderError) && failure instanceof TransientError);
        if (connectionLost && live?.client === client) {
          live = null;
          client.close();
        }
        throw failure;
      }
    });
    // The queue only orders the operations; each caller receives its own outcome through `run`.
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async function inFolder<T>(client: ImapFlow, path: string, work: () => Promise<T>): Promise<T> {
    const lock = await client.getMailboxLock(path);
    try {
      // A folder left selected does not show what other sessions (the user's mail client) did
      // since, until the server may report it: NOOP lets it.
      await client.noop();
      return await work();
    } finally {
      lock.release();
    }
  }

  const uidValidityOf = (client: ImapFlow): string => (client.mailbox ? String(client.mailbox.uidValidity) : '0');

  /** UIDs in `path` whose Message-ID or X-Ringback-Ref is `messageId`, oldest first. */
  async function search(client: ImapFlow, path: string, messageId: string): Promise<{ uidValidity: string; uids: number[] }> {
    return inFolder(client, path, async () => {
      const uids = await client.search(
        { or: [{ header: { 'message-id': messageId } }, { header: { 'x-ringback-ref': messageId } }], deleted: false },
        { uid: true },
      );
      return { uidValidity: uidValidityOf(client), uids: [...(uids || [])].sort((a, b) => a - b) };
    });
  }

  async function findIn(client: ImapFlow, path: string, messageId: string): Promise<Hit | null> {
    const { uidValidity, uids } = await search(client, path, messageId);
    const uid = uids[uids.length - 1];
    return uid === undefined ? null : { path, uidValidity, uid };
  }

  async function locate(client: ImapFlow, folders: ImapFolders, ref: DraftRef): Promise<Located | null> {
    const stateOf = (path: string): 'draft' | 'sent' => (path === folders.drafts ? 'draft' : 'sent');
    const known = parseProviderId(ref.providerId);
    if (known && (known.path === folders.drafts || known.path === folders.sent)) {
      const there = await inFolder(client, known.path, async () => {
        if (uidValidityOf(client) !== known.uidValidity) return false;
        const uids = await client.search({ uid: String(known.uid), deleted: false }, { uid: true });
        return Array.isArray(uids) && uids.includes(known.uid);
      });
      if (there) return { ...known, state: stateOf(known.path) };
    }
    for (const path of [folders.drafts, folders.sent]) {
      const hit = await findIn(client, path, ref.messageId);
      if (hit) return { ...hit, state: stateOf(path) };
    }
    return null;
  }

  async function append(client: ImapFlow, path: string, raw: Buffer, flags: string[], messageId: string): Promise<Hit> {
    const answer = await client.append(path, crlf(raw), flags);
    if (answer && answer.uid !== undefined && answer.uidValidity !== undefined) {
      return { path, uidValidity: String(answer.uidValidity), uid: answer.uid };
    }
    // A server without UIDPLUS does not say where the message went: look it up.
    const hit = await findIn(client, path, messageId);
    if (!hit) throw new TransientError(`IMAP server accepted a message for ${path} but does not list it yet`);
    return hit;
  }

  async function remove(client: ImapFlow, path: string, uids: readonly number[]): Promise<void> {
    if (uids.length === 0) return;
    await inFolder(client, path, async () => {
      await client.messageDelete(uids.join(','), { uid: true });
    });
  }

  return {
    id: options.id,

    async createDraft(email, draftOptions) {
      const raw = await buildRawMessage(withReplyTo(email, draftOptions?.replyTo));
      return exclusive('createDraft', async (client, folders) => {
        // An earlier APPEND whose answer was lost may have stored it already.
        const stored = await findIn(client, folders.drafts, email.messageId);
        const hit = stored ?? (await append(client, folders.drafts, raw, ['\\Draft', '\\Seen'], email.messageId));
        return refOf(hit, email.messageId);
      });
    },

    async updateDraft(ref, email) {
      const raw = await buildRawMessage(email);
      return exclusive('updateDraft', async (client, folders) => {
        const found = await locate(client, folders, ref);
        if (!found) {
          // An earlier attempt may have finished (new version in, old one out) before its answer was lost.
          const done = email.messageId === ref.messageId ? null : await findIn(client, folders.drafts, email.messageId);
          if (done) return refOf(done, email.messageId);
          throw new PermanentError(`draft ${ref.messageId} was deleted in the mail client; not writing it again`);
        }
        if (found.state === 'sent') throw new PermanentError(`draft ${ref.messageId} was already sent`);
        const { uids } = await search(client, folders.drafts, email.messageId);
        await remove(client, folders.drafts, uids.filter((uid) => uid !== found.uid));
        const hit = await append(client, folders.drafts, raw, ['\\Draft', '\\Seen'], email.messageId);
        await remove(client, folders.drafts, [found.uid]);
        return refOf(hit, email.messageId);
      });
    },

    async deleteDraft(ref) {
      await exclusive('deleteDraft', async (client, folders) => {
        // A draft already gone is fine; one already sent stays in Sent.
        const found = await locate(client, folders, ref);
        if (found?.state === 'draft') await remove(client, folders.drafts, [found.uid]);
      });
    },

    async draftState(ref): Promise<DraftState> {
      return exclusive('draftState', async (client, folders) => {
        const found = await locate(client, folders, ref);
        return found ? { state: found.state, ref: refOf(found, ref.messageId) } : { state: 'gone' };
      });
    },

    async send(ref) {
      return exclusive('send', async (client, folders) => {
        const found = await locate(client, folders, ref);
        if (!found) throw new PermanentError(`draft ${ref.messageId} is no longer in Drafts: deleted in the mail client`);
        if (found.state === 'sent') return refOf(found, ref.messageId);
        const filed = await findIn(client, folders.sent, ref.messageId);
        if (filed) {
          // Sent and filed by an earlier attempt that lost its connection before removing the draft.
          await remove(client, folders.drafts, [found.uid]);
          return refOf(filed, ref.messageId);
        }
        const draft = await inFolder(client, folders.drafts, async () => {
          const message = await client.fetchOne(String(found.uid), { source: true, flags: true }, { uid: true });
          const canMark = client.mailbox ? (client.mailbox.permanentFlags?.has('\\*') ?? false) : false;
          return message && message.source ? { raw: message.source, relayed: message.flags?.has(RELAYED) ?? false, canMark } : null;
        });
        if (!draft) throw new TransientError(`draft ${ref.messageId} changed while it was being sent`);
        if (!draft.relayed) {
          // Recipients come from the draft's To and Cc only; a Bcc line never leaves the mailbox.
          await relay.send(stripHeader(draft.raw, 'bcc'), envelopeOf(draft.raw, ref));
          if (draft.canMark) {
            await inFolder(client, folders.drafts, () => client.messageFlagsAdd(String(found.uid), [RELAYED], { uid: true }));
          }
        }
        const sent = options.serverFilesSent
          ? await findIn(client, folders.sent, ref.messageId)
          : await append(client, folders.sent, draft.raw, ['\\Seen'], ref.messageId);
        await remove(client, folders.drafts, [found.uid]);
        return refOf(sent ?? found, ref.messageId);
      });
    },

    async findByMessageId(messageId): Promise<FoundMessage | null> {
      return exclusive('findByMessageId', async (client, folders) => {
        for (const [folder, path] of [['drafts', folders.drafts], ['sent', folders.sent]] as const) {
          const hit = await findIn(client, path, messageId);
          if (hit) return { folder, ref: refOf(hit, messageId) };
        }
        return null;
      });
    },

    async repliesSince(thread, since) {
      const counterpart = thread.counterpart.trim().toLowerCase();
      const terms: Array<{ header: Record<string, string> } | { from: string }> = [
        ...thread.messageIds.flatMap((id) => [
          { header: { 'in-reply-to': id } as Record<string, string> },
          { header: { references: id } as Record<string, string> },
        ]),
        ...(counterpart ? [{ from: counterpart }] : []),
      ];
      if (terms.length === 0) return [];
      const ours = new Set(thread.messageIds);
      return exclusive('repliesSince', async (client) =>
        inFolder(client, 'INBOX', async () => {
          // SINCE (arrival) and SENTSINCE (Date header) compare whole days in the server's zone:
          // ask from a day early by either, then filter on the exact time below.
          const day = new Date(since - DAY);
          const uids = await client.search({ or: [{ or: terms, since: day }, { or: terms, sentSince: day }], deleted: false }, { uid: true });
          const replies: Reply[] = [];
          if (!uids || uids.length === 0) return replies;
          for await (const message of client.fetch(uids.join(','), { headers: true, internalDate: true }, { uid: true })) {
            if (!message.headers) continue;
            const headers = readHeaders(message.headers);
            if (headers.messageId !== null && ours.has(headers.messageId)) continue;
            const arrived = message.internalDate ? new Date(message.internalDate).getTime() : 0;
            const date: Millis = headers.date ?? arrived;
            if (date < since) continue;
            const answers = [...headers.inReplyTo, ...headers.references].some((id) => ours.has(id));
            if (!answers && !(counterpart && headers.from.includes(counterpart))) continue;
            replies.push({
              messageId: headers.messageId ?? `<${options.id}.${message.uid}@imap.invalid>`,
              from: headers.from[0] ?? '',
              date,
              subject: headers.subject,
            });
          }
          return replies.sort((a, b) => a.date - b.date);
        }),
      );
    },

    async close() {
      await queue;
      relay.close();
      const current = live;
      live = null;
      if (!current?.client.usable) return;
      await current.client.logout().catch((error: unknown) => {
        // Logging out of a connection that is dropping: closing the socket is all that is left.
        current.client.close();
        if (!(imapError(error, 'logout') instanceof TransientError)) throw error;
      });
    },
  };
}

function envelopeOf(raw: Buffer, ref: DraftRef): { from: string; to: string[] } {
  const headers = readHeaders(raw);
  const from = headers.from[0];
  const to = [...new Set([...headers.to, ...headers.cc])];
  if (!from) throw new PermanentError(`draft ${ref.messageId} has no From address`);
  if (to.length === 0) throw new PermanentError(`draft ${ref.messageId} has no recipients in To or Cc`);
  return { from, to };
}
