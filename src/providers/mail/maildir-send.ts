/**
 * Sending a Maildir draft (maildir.ts says what is promised): read as it stands, relayed through
 * SMTP when one is configured, renamed into `.Sent/cur/` the moment the last byte has been written
 * to the server, and moved back when the server refuses it. Once sent, the copy in Sent is dated
 * as the relayed one was (DESIGN.md: `Date:` is the time of sending).
 */
import { rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Millis } from '../../domain/types.js';
import { PermanentError } from '../errors.js';
import { isErrno, moveFile, readHead, readWhole, type Entry } from './maildir-files.js';
import type { Located, MaildirFolders } from './maildir-folders.js';
import { parseMaildirName, withFlags } from './maildir-names.js';
import type { RelayedRecord } from './maildir-relayed.js';
import { deliver, replace } from './maildir-write.js';
import { versionToSend } from './draft-versions.js';
import { datedAt, stripHeader } from './mime.js';
import { addresseesOf, envelopeOf, type SmtpRelay } from './smtp.js';
import type { DeliveryFailure, DraftRef, SendOptions } from './types.js';

export interface MaildirSending {
  /** The SMTP relay, or null when sending only files the message in Sent. */
  readonly relay: SmtpRelay | null;
  /** Which drafts an earlier attempt relayed without filing them. */
  readonly relayed: RelayedRecord;
  /** The clock that dates a message when it leaves. */
  readonly now: () => Millis;
  /** Told of what went wrong after the message was sent (it is not sent again for it). */
  readonly warn: (line: string) => void;
}

/**
 * Sends the draft behind `ref` and files it in Sent; `options`: the caller's last look, once the
 * draft is found and before it is read, and who is told of recipients the relay refused (SendOptions).
 */
export async function sendDraft(folders: MaildirFolders, ref: DraftRef, { relay, relayed, now, warn }: MaildirSending, { beforeSubmit, onRecipientsRefused }: SendOptions = {}): Promise<DraftRef> {
  let found = await folders.locate(ref);
  if (!found) throw gone(ref);
  if (found.state === 'sent') return sentRefOf(found.entry, ref);
  /** Earlier versions of the draft beside the one sent, which the mail client is replacing. */
  let superseded: readonly Entry[] = [];
  // Relayed by an earlier attempt (its filing failed): it has left, and only its filing is left to do.
  if (!(relay && relayed.has(found.entry.unique))) {
    await beforeSubmit?.();
    // Found again and read after the last look, not before it: a mail client that saved the
    // user's edit meanwhile wrote a new file and removed the one found (maildir.ts), and reading
    // first sent the text the user had just replaced, filed it in Sent and left their edit in
    // Drafts, unsent; a draft deleted meanwhile went all the same (edit-while-sending.int.test.ts).
    // Where the file still is, this is one stat, then a listing of Drafts for other copies of it.
    found = await folders.locate(ref);
    if (!found) throw gone(ref);
    if (found.state === 'sent') return sentRefOf(found.entry, ref);
    ({ newest: found, superseded } = await newestVersion(folders, found, ref));
  }
  const entry = found.entry;
  const sentRef = sentRefOf(entry, ref);
  const raw = await folders.guard(entry.path, () => readWhole(entry.path));
  // Dated when it leaves, not when it was drafted: the relayed copy and the one in Sent alike.
  const sentAt = now();
  let filing: Promise<string> | null = null;
  const file = (): Promise<string> => {
    filing ??= fileAsSent(folders, entry, raw).catch((error: unknown) => {
      filing = null; // tried again once the server has answered
      throw error;
    });
    return filing;
  };
  // Relayed by an earlier attempt whose filing failed: file it, never relay it again.
  let refused: readonly DeliveryFailure[] = [];
  if (relay && !relayed.has(entry.unique)) {
    try {
      refused = await relay.send(datedAt(stripHeader(raw, 'bcc'), sentAt), envelopeOf(raw, ref), {
        onHandedOver: () => {
          relayed.note(entry.unique);
          // Awaited below; the handler only keeps a failure waiting for that await.
          void file().catch(() => undefined);
        },
      });
    } catch (error) {
      const filed = filing ? await (filing as Promise<string>).catch(() => null) : null;
      if (filed) await unfile(folders, filed, entry.unique);
      relayed.filed(entry.unique);
      throw error;
    }
  }
  const filed = await file();
  relayed.filed(entry.unique);
  await redate(folders, filed, datedAt(raw, sentAt), warn);
  // The earlier versions go with it: left, one would stand in Drafts as if unsent until the mail
  // client's second step, and for good if that never comes (a retry's lookup would find it).
  for (const old of superseded) await removeSuperseded(old.path, warn);
  if (refused.length > 0) onRecipientsRefused?.(refused);
  return sentRef;
}

/**
 * The newest version of the draft found at `found`: a mail client saves an edit over IMAP (Dovecot
 * on this Maildir) in two steps, an APPEND (a new file) and then \Deleted and EXPUNGE of the old
 * (the file removed): IMAP has no replace (thunderbird/thunderbird-android#2060, "We create a new
 * one and delete the old draft"; stalwartlabs/stalwart#234 for Thunderbird; nextcloud/mail#3600).
 * A send that looks in between finds both, and by its file name alone it sent the old text and
 * left the edit in Drafts, unsent (edit-while-sending.int.test.ts). Every copy in Drafts under our
 * Message-ID or X-Ringback-Ref is looked at (one listing of Drafts, its headers read once per file
 * in this process), and the one whose inode changed last (made last: the rename into `cur/`) wins.
 */
async function newestVersion(folders: MaildirFolders, found: Located, ref: DraftRef): Promise<{ newest: Located; superseded: Entry[] }> {
  const copies = await folders.copiesIn('drafts', ref.messageId);
  const all = [found.entry, ...copies.filter((copy) => copy.unique !== found.entry.unique)];
  if (all.length === 1) return { newest: found, superseded: [] };
  const ranked = await folders.newestFirst(all);
  const to = new Map<Entry, string | null>();
  for (const copy of ranked) {
    const head = await folders.guard(copy.path, () => readHead(copy.path));
    to.set(copy, head ? addresseesOf(head) : null);
  }
  const { send: sent, superseded } = versionToSend(ranked, found.entry, (copy) => to.get(copy) ?? null);
  return { newest: sent === found.entry ? found : { state: 'draft', entry: sent }, superseded };
}

/**
 * Removes an earlier version of a draft just sent; one gone already (the client's own second step)
 * is fine. A failure is told, not thrown: the message went out, and failing the send would have it
 * looked at again for nothing.
 */
async function removeSuperseded(path: string, warn: (line: string) => void): Promise<void> {
  await unlink(path).catch((error: unknown) => {
    if (isErrno(error) && error.code === 'ENOENT') return;
    warn(`maildir: the message was sent, but an earlier version of its draft stays in Drafts (${path}): ${error instanceof Error ? error.message : String(error)}`);
  });
}

function gone(ref: DraftRef): PermanentError {
  return new PermanentError(`draft ${ref.messageId} is no longer in Drafts: deleted in the mail client`);
}

function sentRefOf(entry: Entry, ref: DraftRef): DraftRef {
  return { providerId: entry.unique, messageId: ref.messageId, threadId: null };
}

/**
 * Gives the copy filed in Sent the date the message left with (the user's copy keeps its Bcc).
 * Done once the send has succeeded, never between the server's acceptance and the filing (see
 * {@link fileAsSent}); a failure leaves the draft's date on that copy and is told, not thrown: the
 * message went out, and failing the send would send it again.
 */
async function redate(folders: MaildirFolders, path: string, dated: Buffer, warn: (line: string) => void): Promise<void> {
  try {
    await replace(folders, 'sent', path, dated);
  } catch (error) {
    warn(`maildir: the message was sent, but its copy in Sent (${path}) keeps the date it was drafted: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Moves the draft into Sent; returns where it is now. The first rename is synchronous: called
 * the instant the message has left, it must not wait behind other work in libuv's thread pool
 * (an fsync of another draft can take milliseconds), as a crash in that wait sends twice.
 */
async function fileAsSent(folders: MaildirFolders, entry: Entry, raw: Buffer): Promise<string> {
  let source: Entry | null = entry;
  for (let attempt = 0; attempt < 3 && source; attempt += 1) {
    const from: Entry = source;
    const target = join(folders.dirOf('sent'), 'cur', `${from.unique}:2,${withFlags(from.flags, 'S', 'D')}`);
    const moved = await moveFile(from.path, target, attempt === 0).then(
      () => true,
      async (error: unknown) => {
        if (isErrno(error) && error.code === 'ENOENT') return false;
        throw await folders.fsError(error, from.path);
      },
    );
    if (moved) {
      folders.wrote('sent', target, raw);
      return target;
    }
    source = (await folders.list('drafts')).find((candidate) => candidate.unique === entry.unique) ?? null;
  }
  // The client removed the draft while it was being relayed: file the copy that left.
  await deliver(folders, 'sent', raw, 'S', entry.unique);
  return join(folders.dirOf('sent'), 'cur', `${entry.unique}:2,S`);
}

/** Puts a message filed by {@link fileAsSent} back into Drafts: the server refused it. */
async function unfile(folders: MaildirFolders, path: string, unique: string): Promise<void> {
  const { flags } = parseMaildirName(path.slice(path.lastIndexOf('/') + 1));
  await folders.guard(path, () => rename(path, join(folders.dirOf('drafts'), 'cur', `${unique}:2,${withFlags(flags, 'D', 'S')}`)));
}
