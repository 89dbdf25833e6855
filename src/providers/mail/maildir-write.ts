/**
 * Writing and removing Maildir drafts. A file is written to `tmp/` and renamed into `cur/` with
 * its flags in its name; nothing is ever changed in place.
 */
import { open, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno, present, type Folder } from './maildir-files.js';
import type { MaildirFolders } from './maildir-folders.js';
import type { DraftRef } from './types.js';

/** Writes through `tmp/` and renames into `cur/` under `unique`; returns the unique name. */
export async function deliver(folders: MaildirFolders, folder: Folder, raw: Buffer, flags: string, unique: string): Promise<string> {
  await writeThrough(folders, folder, raw, unique, join(folders.dirOf(folder), 'cur', `${unique}:2,${flags}`));
  return unique;
}

/**
 * Puts `raw` in place of the message at `path` (in `folder`'s `cur/`) the Maildir way: written to
 * `tmp/` and renamed onto the same name, so that a reader sees the old file or the new one, never
 * half of either. A file a client renamed or removed meanwhile is not written again under its old
 * name (that would file a second copy): that is an error.
 */
export async function replace(folders: MaildirFolders, folder: Folder, path: string, raw: Buffer): Promise<void> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  await writeThrough(folders, folder, raw, `${name.split(':')[0] ?? name}.replacing`, path, async () => {
    if (!(await present(path))) throw new Error(`a mail client moved ${path} meanwhile`);
  });
}

/** Writes `raw` to `tmp/<tmpName>`, synced, and renames it onto `target`; `before` runs just before the rename. */
async function writeThrough(folders: MaildirFolders, folder: Folder, raw: Buffer, tmpName: string, target: string, before?: () => Promise<void>): Promise<void> {
  const tmp = join(folders.dirOf(folder), 'tmp', tmpName);
  await folders.guard(tmp, async () => {
    try {
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(raw);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await before?.();
      await rename(tmp, target);
      folders.wrote(folder, target, raw);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  });
}

/**
 * Removes a draft file; follows it once if a client renamed it (a flag change) meanwhile. A draft
 * already gone is fine; one already sent stays in Sent.
 */
export async function removeDraft(folders: MaildirFolders, ref: DraftRef): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const found = await folders.locate(ref);
    if (!found || found.state === 'sent') return;
    const removed = await unlink(found.entry.path).then(
      () => true,
      async (error: unknown) => {
        if (isErrno(error) && error.code === 'ENOENT') return false;
        throw await folders.fsError(error, found.entry.path);
      },
    );
    if (removed) return;
  }
}
