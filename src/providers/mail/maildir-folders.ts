/**
 * The folders of one Maildir++ root (maildir.ts describes the layout): made when missing, listed,
 * and searched for a message of ours. What a listing found is kept, so that a file is parsed and
 * its headers read once: a Maildir file never changes under its name.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AccountUnusableError, ProviderError, TransientError } from '../errors.js';
import { headerBlock, readHeaders, type MessageHeaders } from './mime.js';
import { deliveredAt, entryOf, isErrno, MAILDIR_FOLDERS, newestWithId, present, readHead, withId, type Entry, type Folder } from './maildir-files.js';
import type { DraftRef } from './types.js';

/** A listed file, with its headers once read. */
interface Known {
  readonly entry: Entry;
  headers: MessageHeaders | null;
  /**
   * The header block of a file this process wrote, kept until its headers are first asked for:
   * parsing it then gives what parsing it as written would, since the file never changes under its
   * name, and keeps the parse off the path of every draft written (most are never searched).
   */
  head: Buffer | null;
}

export interface Located {
  readonly state: 'draft' | 'sent';
  readonly entry: Entry;
}

export class MaildirFolders {
  /**
   * What each listing found, by `folder/sub` and then by file name; rebuilt from each listing, so
   * it never outgrows the folder.
   */
  readonly #known = new Map<string, Map<string, Known>>();
  /** Where each unique name of a folder was last listed or written: checked with one stat first. */
  readonly #lastSeen = new Map<Folder, Map<string, Entry>>();
  #layout: Promise<void> | null = null;
  /** The layout was made (or found) once: a Drafts folder missing since then vanished. */
  #madeOnce = false;

  /** `root` is the Maildir++ root; it must exist. */
  constructor(readonly root: string) {}

  dirOf(folder: Folder): string {
    return join(this.root, MAILDIR_FOLDERS[folder]);
  }

  /** A file-system failure as the provider error it means for the account. */
  async fsError(error: unknown, path: string): Promise<unknown> {
    if (error instanceof ProviderError || !isErrno(error)) return error;
    if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') {
      return new AccountUnusableError(`maildir: no permission for ${path} (${error.code})`);
    }
    // A file where a folder should be (a client gone wrong): nothing works until the user fixes it.
    if (error.code === 'ENOTDIR') return new AccountUnusableError(`maildir: ${await this.#inTheWay(path)} is not a folder (a file is in the way)`);
    if (error.code === 'ENOENT') {
      const rootThere = await stat(this.root).then(
        (found) => found.isDirectory(),
        () => false,
      );
      if (!rootThere) return new AccountUnusableError(`maildir folder ${this.root} does not exist; create it or change mailbox.path`);
      // Drafts gone with the drafts in it (a client removed or renamed the folder, a sync tool
      // replacing it) is not the user deleting each draft: made again empty, every pending
      // confirmation would read as vetoed, and the drafts would come back unsent when the folder
      // does. The actions wait for it instead (DESIGN.md, Outages: folder missing).
      const drafts = this.dirOf('drafts');
      if (this.#madeOnce && !(await present(drafts))) {
        return new AccountUnusableError(`maildir: the Drafts folder ${drafts} disappeared; put it back (ringback's drafts are in it), or create it empty to go on without them`);
      }
      // Another subfolder vanished under us: build the layout again on the next call.
      this.#layout = null;
      return new TransientError(`maildir: ${path} disappeared`);
    }
    return new TransientError(`maildir: ${error.code ?? 'error'} on ${path}`);
  }

  /**
   * The file standing where a folder of the layout should be: the error names the path that was
   * used (a draft being moved to a `.Sent` that is a file names the draft), not the culprit.
   */
  async #inTheWay(path: string): Promise<string> {
    for (const folder of Object.keys(MAILDIR_FOLDERS) as Folder[]) {
      const dir = this.dirOf(folder);
      for (const candidate of [dir, ...['cur', 'new', 'tmp'].map((sub) => join(dir, sub))]) {
        const found = await stat(candidate).catch(() => null);
        if (found && !found.isDirectory()) return candidate;
      }
    }
    return path;
  }

  async guard<T>(path: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw await this.fsError(error, path);
    }
  }

  /** Creates the folders that are missing, once (again after a subfolder other than Drafts vanished). */
  ready(): Promise<void> {
    this.#layout ??= this.guard(this.root, async () => {
      const found = await stat(this.root);
      if (!found.isDirectory()) throw new AccountUnusableError(`maildir path ${this.root} is not a folder`);
      if (this.#madeOnce && !(await present(this.dirOf('drafts')))) throw await this.fsError(Object.assign(new Error('gone'), { code: 'ENOENT' }), this.dirOf('drafts'));
      for (const folder of Object.keys(MAILDIR_FOLDERS) as Folder[]) {
        for (const sub of ['cur', 'new', 'tmp']) {
          const dir = join(this.dirOf(folder), sub);
          await this.guard(dir, () => mkdir(dir, { recursive: true, mode: 0o700 }));
        }
        if (folder !== 'inbox') await writeFile(join(this.dirOf(folder), 'maildirfolder'), '', { flag: 'a', mode: 0o600 });
      }
      this.#madeOnce = true;
    }).catch((error: unknown) => {
      this.#layout = null;
      throw error;
    });
    return this.#layout;
  }

  /** Lists `new/` before `cur/`, so that a file a client moves from one to the other is seen once. */
  async #listKnown(folder: Folder): Promise<Known[]> {
    const found: Known[] = [];
    const uniques = new Map<string, Entry>();
    for (const sub of ['new', 'cur'] as const) {
      const dir = join(this.dirOf(folder), sub);
      const names = await this.guard(dir, () => readdir(dir));
      const before = this.#known.get(`${folder}/${sub}`);
      const current = new Map<string, Known>();
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const item = before?.get(name) ?? { entry: entryOf(folder, sub, join(dir, name)), headers: null, head: null };
        current.set(name, item);
        found.push(item);
        if (!uniques.has(item.entry.unique)) uniques.set(item.entry.unique, item.entry);
      }
      this.#known.set(`${folder}/${sub}`, current);
    }
    this.#lastSeen.set(folder, uniques);
    return found;
  }

  async list(folder: Folder): Promise<Entry[]> {
    return (await this.#listKnown(folder)).map((item) => item.entry);
  }

  /** Entries with their headers (read once per file). */
  async listWithHeaders(folder: Folder): Promise<Array<{ entry: Entry; headers: MessageHeaders }>> {
    return await this.#withHeaders(await this.#listKnown(folder));
  }

  async #withHeaders(items: readonly Known[]): Promise<Array<{ entry: Entry; headers: MessageHeaders }>> {
    const result: Array<{ entry: Entry; headers: MessageHeaders }> = [];
    for (const item of items) {
      if (!item.headers) {
        const head = item.head ?? (await this.guard(item.entry.path, () => readHead(item.entry.path)));
        if (!head) continue;
        item.headers = readHeaders(head);
        item.head = null;
      }
      result.push({ entry: item.entry, headers: item.headers });
    }
    return result;
  }

  /** Notes where a message of ours now is, and its headers, so that neither is looked for again. */
  wrote(folder: Folder, path: string, raw: Buffer): void {
    const entry = entryOf(folder, 'cur', path);
    let uniques = this.#lastSeen.get(folder);
    if (!uniques) this.#lastSeen.set(folder, (uniques = new Map()));
    uniques.set(entry.unique, entry);
    let listed = this.#known.get(`${folder}/cur`);
    if (!listed) this.#known.set(`${folder}/cur`, (listed = new Map()));
    // A copy of the header block alone (what readHeaders reads), not a view that would keep the body.
    listed.set(entry.name, { entry, headers: null, head: Buffer.from(headerBlock(raw)) });
  }

  /** Every message of `folder` whose Message-ID or X-Ringback-Ref is `messageId`. */
  async copiesIn(folder: Folder, messageId: string): Promise<Entry[]> {
    return withId(await this.listWithHeaders(folder), messageId);
  }

  /**
   * `copies` newest first: the one whose inode changed last (made last: the rename into `cur/`),
   * then by the delivery time of its name. A copy gone meanwhile (a mail client's second step of a
   * save) is left out. The send's rank of a draft's versions (maildir-send.ts) and draftCopies' order.
   */
  async newestFirst(copies: readonly Entry[]): Promise<Entry[]> {
    const changed = new Map<Entry, number>();
    for (const copy of copies) {
      const seen = await stat(copy.path).catch(async (error: unknown) => {
        if (isErrno(error) && error.code === 'ENOENT') return null;
        throw await this.fsError(error, copy.path);
      });
      if (seen) changed.set(copy, seen.ctimeMs);
    }
    return [...changed.keys()].sort((a, b) => (changed.get(b) ?? 0) - (changed.get(a) ?? 0) || deliveredAt(b) - deliveredAt(a));
  }

  async findIn(folder: Folder, messageId: string): Promise<Entry | null> {
    return newestWithId(await this.listWithHeaders(folder), messageId);
  }

  /**
   * Where a message of ours is now: by its file's unique name, then by its Message-ID, Sent
   * first, as `findByMessageId` looks (a copy in Sent means it went out).
   */
  async locate(ref: DraftRef): Promise<Located | null> {
    const stateOf = (folder: 'drafts' | 'sent') => (folder === 'drafts' ? 'draft' : 'sent');
    // First where the file was last seen: one stat instead of listing a folder of thousands.
    for (const folder of ['drafts', 'sent'] as const) {
      const seen = this.#lastSeen.get(folder)?.get(ref.providerId);
      if (seen && (await present(seen.path))) return { state: stateOf(folder), entry: seen };
    }
    // Then each folder listed once: by unique name (the listing fills lastSeen), then by Message-ID.
    const listed = { drafts: await this.#listKnown('drafts'), sent: await this.#listKnown('sent') };
    for (const folder of ['drafts', 'sent'] as const) {
      const entry = this.#lastSeen.get(folder)?.get(ref.providerId);
      if (entry) return { state: stateOf(folder), entry };
    }
    for (const folder of ['sent', 'drafts'] as const) {
      const entry = newestWithId(await this.#withHeaders(listed[folder]), ref.messageId);
      if (entry) return { state: stateOf(folder), entry };
    }
    return null;
  }
}
