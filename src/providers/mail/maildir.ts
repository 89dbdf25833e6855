/**
 * The embedded mailbox: a Maildir++ folder that Dovecot or any Maildir-aware mail client can open.
 *
 * Layout: the root's `cur/ new/ tmp/` are the INBOX; `.Drafts/` and `.Sent/` are subfolders with
 * their own `cur/ new/ tmp/` and an empty `maildirfolder` file (Dovecot's marker). The root must
 * exist; everything inside it is created when missing.
 *
 * Every message is written to `tmp/` and renamed into `cur/` with its flags in the name: drafts
 * `<unique>:2,D`, sent mail `<unique>:2,S`. A {@link DraftRef}'s `providerId` is the unique part
 * of the file name, which survives flag changes; its `messageId` is always the Message-ID ringback
 * gave the message.
 *
 * What a user's edit does here: Maildir files are never changed in place, so a mail client that
 * saves an edited draft (directly, or through Dovecot IMAP) writes a NEW file and removes the old
 * one. Most keep the Message-ID; some (Thunderbird, mutt's postponed messages) write a new one
 * but keep unknown headers such as `X-Ringback-Ref`. `draftState` therefore looks for the file
 * name first, then for a message whose Message-ID or `X-Ringback-Ref` is ours, in Drafts and then
 * in Sent. A draft that matches none of these was deleted by the user, or rewritten by a client
 * that dropped both: either way it counts as gone (vetoed), never as sent.
 *
 * Sending: the draft is read as it stands now (the user's edits win), relayed through SMTP when
 * one is configured, and renamed into `.Sent/cur/` (`D` → `S`) as soon as the whole message has
 * been written to the SMTP connection, before the server's "250" is read, so that a process
 * killed while the server stores it does not send it again; a refusal read in time moves it back.
 * What remains (docs/RELIABILITY.md): a crash between the last byte and the rename sends twice;
 * a refusal that the dying process never read leaves the message in Sent, unsent.
 */
import { mkdir, open, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposedEmail, Millis } from '../../domain/types.js';
import { AccountUnusableError, PermanentError, ProviderError, TransientError } from '../errors.js';
import { buildRawMessage, datedAt, readHeaders, stripHeader, withReplyTo, type MessageHeaders } from './mime.js';
import { deliveredAt, entryOf, isErrno, MAILDIR_FOLDERS, moveFile, newestWithId, present, readHead, readStart, readWhole, type Entry, type Folder } from './maildir-files.js';
import { maildirUniqueName, parseMaildirName, withFlags } from './maildir-names.js';
import { relayedRecord } from './maildir-relayed.js';
import { reportsAmong } from './report-scan.js';
import { createSmtpRelay, envelopeOf, type SmtpRelayConfig } from './smtp.js';
import { READ_MESSAGE_LIMIT, type DraftRef, type DraftState, type FoundMessage, type Mailbox, type Reply } from './types.js';

export interface MaildirMailboxOptions {
  readonly id: string;
  /** The Maildir++ root; it must exist. */
  readonly path: string;
  /** When present, `send` also relays the message through this server. */
  readonly smtp?: SmtpRelayConfig;
  /** Clock for the time part of new file names. @defaultValue Date.now */
  readonly now?: () => Millis;
}

export { maildirUniqueName, parseMaildirName } from './maildir-names.js';

/** A listed file, with its headers once read: a Maildir file never changes under its name. */
interface Known {
  readonly entry: Entry;
  headers: MessageHeaders | null;
}

interface Located {
  readonly state: 'draft' | 'sent';
  readonly entry: Entry;
}

export function createMaildirMailbox(options: MaildirMailboxOptions): Mailbox {
  const root = options.path;
  const now = options.now ?? Date.now;
  const relay = options.smtp ? createSmtpRelay(options.smtp) : null;
  const relayed = relayedRecord(root);
  /**
   * What each listing found, by `folder/sub` and then by file name, so that a file is parsed and
   * its headers read once; rebuilt from each listing, so it never outgrows the folder.
   */
  const known = new Map<string, Map<string, Known>>();
  /** Where each unique name of a folder was last listed or written: checked with one stat first. */
  const lastSeen = new Map<Folder, Map<string, Entry>>();
  let layout: Promise<void> | null = null;

  const dirOf = (folder: Folder): string => join(root, MAILDIR_FOLDERS[folder]);

  async function fsError(error: unknown, path: string): Promise<unknown> {
    if (error instanceof ProviderError || !isErrno(error)) return error;
    if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') {
      return new AccountUnusableError(`maildir: no permission for ${path} (${error.code})`);
    }
    // A file where a folder should be (a client gone wrong): nothing works until the user fixes it.
    if (error.code === 'ENOTDIR') return new AccountUnusableError(`maildir: ${path} is not a folder (a file is in the way)`);
    if (error.code === 'ENOENT') {
      const rootThere = await stat(root).then(
        (found) => found.isDirectory(),
        () => false,
      );
      if (!rootThere) return new AccountUnusableError(`maildir folder ${root} does not exist; create it or change mailbox.path`);
      // A subfolder vanished under us: build the layout again on the next call.
      layout = null;
      return new TransientError(`maildir: ${path} disappeared`);
    }
    return new TransientError(`maildir: ${error.code ?? 'error'} on ${path}`);
  }

  async function guard<T>(path: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw await fsError(error, path);
    }
  }

  function ready(): Promise<void> {
    layout ??= guard(root, async () => {
      const found = await stat(root);
      if (!found.isDirectory()) throw new AccountUnusableError(`maildir path ${root} is not a folder`);
      for (const folder of Object.keys(MAILDIR_FOLDERS) as Folder[]) {
        for (const sub of ['cur', 'new', 'tmp']) await guard(join(dirOf(folder), sub), () => mkdir(join(dirOf(folder), sub), { recursive: true, mode: 0o700 }));
        if (folder !== 'inbox') await writeFile(join(dirOf(folder), 'maildirfolder'), '', { flag: 'a', mode: 0o600 });
      }
    }).catch((error: unknown) => {
      layout = null;
      throw error;
    });
    return layout;
  }

  /** Lists `new/` before `cur/`, so that a file a client moves from one to the other is seen once. */
  async function listKnown(folder: Folder): Promise<Known[]> {
    const found: Known[] = [];
    const uniques = new Map<string, Entry>();
    for (const sub of ['new', 'cur'] as const) {
      const dir = join(dirOf(folder), sub);
      const names = await guard(dir, () => readdir(dir));
      const before = known.get(`${folder}/${sub}`);
      const current = new Map<string, Known>();
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const item = before?.get(name) ?? { entry: entryOf(folder, sub, join(dir, name)), headers: null };
        current.set(name, item);
        found.push(item);
        if (!uniques.has(item.entry.unique)) uniques.set(item.entry.unique, item.entry);
      }
      known.set(`${folder}/${sub}`, current);
    }
    lastSeen.set(folder, uniques);
    return found;
  }

  async function list(folder: Folder): Promise<Entry[]> {
    return (await listKnown(folder)).map((item) => item.entry);
  }

  /** Entries with their headers (read once per file). */
  async function listWithHeaders(folder: Folder): Promise<Array<{ entry: Entry; headers: MessageHeaders }>> {
    return await withHeaders(await listKnown(folder));
  }

  async function withHeaders(items: readonly Known[]): Promise<Array<{ entry: Entry; headers: MessageHeaders }>> {
    const result: Array<{ entry: Entry; headers: MessageHeaders }> = [];
    for (const item of items) {
      if (!item.headers) {
        const head = await guard(item.entry.path, () => readHead(item.entry.path));
        if (!head) continue;
        item.headers = readHeaders(head);
      }
      result.push({ entry: item.entry, headers: item.headers });
    }
    return result;
  }

  /** Notes where a message of ours now is, and its headers, so that neither is looked for again. */
  function wrote(folder: Folder, path: string, raw: Buffer): void {
    const entry = entryOf(folder, 'cur', path);
    let uniques = lastSeen.get(folder);
    if (!uniques) lastSeen.set(folder, (uniques = new Map()));
    uniques.set(entry.unique, entry);
    let listed = known.get(`${folder}/cur`);
    if (!listed) known.set(`${folder}/cur`, (listed = new Map()));
    listed.set(entry.name, { entry, headers: readHeaders(raw) });
  }

  async function findIn(folder: Folder, messageId: string): Promise<Entry | null> {
    return newestWithId(await listWithHeaders(folder), messageId);
  }

  /**
   * Where a message of ours is now: by its file's unique name, then by its Message-ID, Sent
   * first, as {@link findByMessageId} looks (a copy in Sent means it went out).
   */
  async function locate(ref: DraftRef): Promise<Located | null> {
    const stateOf = (folder: 'drafts' | 'sent') => (folder === 'drafts' ? 'draft' : 'sent');
    // First where the file was last seen: one stat instead of listing a folder of thousands.
    for (const folder of ['drafts', 'sent'] as const) {
      const seen = lastSeen.get(folder)?.get(ref.providerId);
      if (seen && (await present(seen.path))) return { state: stateOf(folder), entry: seen };
    }
    // Then each folder listed once: by unique name (the listing fills lastSeen), then by Message-ID.
    const listed = { drafts: await listKnown('drafts'), sent: await listKnown('sent') };
    for (const folder of ['drafts', 'sent'] as const) {
      const entry = lastSeen.get(folder)?.get(ref.providerId);
      if (entry) return { state: stateOf(folder), entry };
    }
    for (const folder of ['sent', 'drafts'] as const) {
      const entry = newestWithId(await withHeaders(listed[folder]), ref.messageId);
      if (entry) return { state: stateOf(folder), entry };
    }
    return null;
  }

  /** Writes through `tmp/` and renames into `cur/`; returns the unique name. */
  async function deliver(folder: Folder, raw: Buffer, flags: string, unique = maildirUniqueName(now())): Promise<string> {
    const tmp = join(dirOf(folder), 'tmp', unique);
    await guard(tmp, async () => {
      try {
        const handle = await open(tmp, 'wx', 0o600);
        try {
          await handle.writeFile(raw);
          await handle.sync();
        } finally {
          await handle.close();
        }
        const target = join(dirOf(folder), 'cur', `${unique}:2,${flags}`);
        await rename(tmp, target);
        wrote(folder, target, raw);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    });
    return unique;
  }

  /** Removes a draft file; follows it once if a client renamed it (a flag change) meanwhile. */
  async function remove(ref: DraftRef): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const found = await locate(ref);
      if (!found || found.state === 'sent') return;
      const removed = await unlink(found.entry.path).then(
        () => true,
        async (error: unknown) => {
          if (isErrno(error) && error.code === 'ENOENT') return false;
          throw await fsError(error, found.entry.path);
        },
      );
      if (removed) return;
    }
  }

  /**
   * Moves the draft into Sent; returns where it is now. The first rename is synchronous: called
   * the instant the message has left, it must not wait behind other work in libuv's thread pool
   * (an fsync of another draft can take milliseconds), as a crash in that wait sends twice.
   */
  async function fileAsSent(entry: Entry, raw: Buffer): Promise<string> {
    let source: Entry | null = entry;
    for (let attempt = 0; attempt < 3 && source; attempt += 1) {
      const from: Entry = source;
      const target = join(dirOf('sent'), 'cur', `${from.unique}:2,${withFlags(from.flags, 'S', 'D')}`);
      const moved = await moveFile(from.path, target, attempt === 0).then(
        () => true,
        async (error: unknown) => {
          if (isErrno(error) && error.code === 'ENOENT') return false;
          throw await fsError(error, from.path);
        },
      );
      if (moved) {
        wrote('sent', target, raw);
        return target;
      }
      source = (await list('drafts')).find((candidate) => candidate.unique === entry.unique) ?? null;
    }
    // The client removed the draft while it was being relayed: file the copy that left.
    await deliver('sent', raw, 'S', entry.unique);
    return join(dirOf('sent'), 'cur', `${entry.unique}:2,S`);
  }

  /** Puts a message filed by {@link fileAsSent} back into Drafts: the server refused it. */
  async function unfile(path: string, unique: string): Promise<void> {
    const { flags } = parseMaildirName(path.slice(path.lastIndexOf('/') + 1));
    await guard(path, () => rename(path, join(dirOf('drafts'), 'cur', `${unique}:2,${withFlags(flags, 'D', 'S')}`)));
  }

  return {
    id: options.id,

    async createDraft(email, draftOptions) {
      await ready();
      const raw = await buildRawMessage(withReplyTo(email, draftOptions?.replyTo));
      const unique = await deliver('drafts', raw, 'D');
      return { providerId: unique, messageId: email.messageId, threadId: null };
    },

    async updateDraft(ref, email: ComposedEmail) {
      await ready();
      const found = await locate(ref);
      if (!found) throw new PermanentError(`draft ${ref.messageId} was deleted in the mail client; not writing it again`);
      if (found.state === 'sent') throw new PermanentError(`draft ${ref.messageId} was already sent`);
      const raw = await buildRawMessage(email);
      const unique = await deliver('drafts', raw, 'D');
      await remove(ref);
      return { providerId: unique, messageId: email.messageId, threadId: null };
    },

    async deleteDraft(ref) {
      await ready();
      // A draft already gone is fine; one already sent stays in Sent.
      await remove(ref);
    },

    async draftState(ref): Promise<DraftState> {
      await ready();
      const found = await locate(ref);
      if (!found) return { state: 'gone' };
      const current = found.entry.unique === ref.providerId ? ref : { providerId: found.entry.unique, messageId: ref.messageId, threadId: null };
      return { state: found.state, ref: current };
    },

    async readMessage(ref) {
      await ready();
      // A mail client may rename the file (a flag change) between the lookup and the read.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const found = await locate(ref);
        if (!found) return null;
        const raw = await guard(found.entry.path, () => readStart(found.entry.path, READ_MESSAGE_LIMIT));
        if (raw) return { state: found.state, raw };
      }
      return null;
    },

    async send(ref) {
      await ready();
      const found = await locate(ref);
      if (!found) throw new PermanentError(`draft ${ref.messageId} is no longer in Drafts: deleted in the mail client`);
      const sentRef: DraftRef = { providerId: found.entry.unique, messageId: ref.messageId, threadId: null };
      if (found.state === 'sent') return sentRef;
      const raw = await guard(found.entry.path, () => readWhole(found.entry.path));
      let filing: Promise<string> | null = null;
      const file = (): Promise<string> => {
        filing ??= fileAsSent(found.entry, raw).catch((error: unknown) => {
          filing = null; // tried again once the server has answered
          throw error;
        });
        return filing;
      };
      // Relayed by an earlier attempt whose filing failed: file it, never relay it again.
      if (relay && !relayed.has(found.entry.unique)) {
        try {
          // Dated when it leaves, not when it was drafted.
          await relay.send(datedAt(stripHeader(raw, 'bcc'), now()), envelopeOf(raw, ref), {
            onHandedOver: () => {
              relayed.note(found.entry.unique);
              // Awaited below; the handler only keeps a failure waiting for that await.
              void file().catch(() => undefined);
            },
          });
        } catch (error) {
          const filed = filing ? await (filing as Promise<string>).catch(() => null) : null;
          if (filed) await unfile(filed, found.entry.unique);
          relayed.filed(found.entry.unique);
          throw error;
        }
      }
      await file();
      relayed.filed(found.entry.unique);
      return sentRef;
    },

    async findByMessageId(messageId): Promise<FoundMessage | null> {
      await ready();
      // Sent first: a copy in Sent means it went out, whatever copy Drafts may still hold.
      for (const folder of ['sent', 'drafts'] as const) {
        const entry = await findIn(folder, messageId);
        if (entry) return { folder, ref: { providerId: entry.unique, messageId, threadId: null } };
      }
      return null;
    },

    async repliesSince(thread, since) {
      await ready();
      const ours = new Set(thread.messageIds);
      // A client that rewrote a draft with a new Message-ID sent it under that one: count it too.
      for (const { headers } of await listWithHeaders('sent')) {
        if (headers.messageId && headers.ringbackRef && ours.has(headers.ringbackRef)) ours.add(headers.messageId);
      }
      const counterpart = thread.counterpart.trim().toLowerCase();
      const replies: Reply[] = [];
      for (const { entry, headers } of await listWithHeaders('inbox')) {
        if (headers.messageId !== null && ours.has(headers.messageId)) continue;
        const date = headers.date ?? deliveredAt(entry);
        if (date < since) continue;
        const answers = [...headers.inReplyTo, ...headers.references].some((id) => ours.has(id));
        const fromCounterpart = counterpart !== '' && headers.from.includes(counterpart);
        if (!answers && !fromCounterpart) continue;
        replies.push({
          messageId: headers.messageId ?? `<${entry.unique}@maildir.invalid>`,
          from: headers.from[0] ?? '',
          date,
          subject: headers.subject,
        });
      }
      return replies.sort((a, b) => a.date - b.date);
    },

    async checkHealth() {
      await ready();
      await list('drafts');
      await list('sent');
      await relay?.verify();
    },

    async deliveryReportsSince(since) {
      await ready();
      const recent = (await listWithHeaders('inbox')).filter(({ entry, headers }) => (headers.date ?? deliveredAt(entry)) >= since);
      recent.sort((a, b) => (a.headers.date ?? deliveredAt(a.entry)) - (b.headers.date ?? deliveredAt(b.entry)));
      return await reportsAmong(recent, ({ entry }) => guard(entry.path, () => readStart(entry.path, READ_MESSAGE_LIMIT)));
    },

    async close() {
      relay?.close();
    },
  };
}
