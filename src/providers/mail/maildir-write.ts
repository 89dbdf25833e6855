/**
 * Writing and removing Maildir drafts. A file is written to `tmp/` and renamed into `cur/` with
 * its flags in its name; nothing is ever changed in place.
 */
import { close, fsync, open, rename, write } from 'node:fs';
import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

/**
 * The calls of a draft's file through node:fs's callbacks rather than fs/promises: the same
 * requests, in the same order, with the same errors (code, syscall, path), for a third to a fifth
 * of the event loop's time: through a FileHandle the five requests of a file cost the event loop
 * 149–205 µs, through callbacks 34–76 µs (1,000 files of 2.2 KB written 32 at a time, three
 * rounds; fire benchmark, bench/README.md), and that loop is what drains a burst of drafts.
 */
const openFile = promisify(open);
const writeTo = promisify(write);
const syncFile = promisify(fsync);
const closeFile = promisify(close);
const renameFile = promisify(rename);

/** Creates `tmp` (never over another file), writes all of `raw` to it and fsyncs it. */
async function writeSynced(tmp: string, raw: Buffer): Promise<void> {
  const fd = await openFile(tmp, 'wx', 0o600);
  try {
    // A write may take fewer bytes than it was given; one that takes none would never end.
    for (let offset = 0; offset < raw.length; ) {
      const { bytesWritten } = await writeTo(fd, raw, offset, raw.length - offset, null);
      if (bytesWritten <= 0) throw new Error(`maildir: the file system took none of the bytes written to ${tmp}`);
      offset += bytesWritten;
    }
    await syncFile(fd);
  } finally {
    await closeFile(fd);
  }
}

/** Writes `raw` to `tmp/<tmpName>`, synced, and renames it onto `target`; `before` runs just before the rename. */
async function writeThrough(folders: MaildirFolders, folder: Folder, raw: Buffer, tmpName: string, target: string, before?: () => Promise<void>): Promise<void> {
  const tmp = join(folders.dirOf(folder), 'tmp', tmpName);
  await folders.guard(tmp, async () => {
    try {
      await writeSynced(tmp, raw);
      await before?.();
      await renameFile(tmp, target);
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
