/**
 * File-level helpers of the Maildir mailbox: its folders and entries, reading a message's header
 * block or start, moving a file, the delivery time in a unique name, and finding the newest
 * message with a Message-ID. Errors are the raw `fs` ones; the mailbox turns them into provider
 * errors.
 */
import { renameSync } from 'node:fs';
import { access, open, rename, type FileHandle } from 'node:fs/promises';
import type { Millis } from '../../domain/types.js';
import { HEADER_READ_LIMIT, headerBlockEnd, type MessageHeaders } from './mime.js';
import { parseMaildirName } from './maildir-names.js';

export type Folder = 'inbox' | 'drafts' | 'sent';

/** Folder directories, relative to the root (Maildir++ names). */
export const MAILDIR_FOLDERS: Readonly<Record<Folder, string>> = { inbox: '', drafts: '.Drafts', sent: '.Sent' };

export interface Entry {
  readonly folder: Folder;
  readonly sub: 'new' | 'cur';
  readonly path: string;
  readonly name: string;
  readonly unique: string;
  readonly flags: string;
}

export function entryOf(folder: Folder, sub: 'new' | 'cur', path: string): Entry {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { folder, sub, path, name, ...parseMaildirName(name) };
}

export function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/** An open file, or null when it is gone since it was listed (renamed or removed by a client). */
async function openIfThere(path: string): Promise<FileHandle | null> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if (isErrno(error) && error.code === 'ENOENT') return null;
    throw error;
  }
}

/** The header block of a message file; null when the file is gone. */
export async function readHead(path: string): Promise<Buffer | null> {
  const handle = await openIfThere(path);
  if (!handle) return null;
  try {
    const first = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(first, 0, first.length, 0);
    const head = first.subarray(0, bytesRead);
    if (bytesRead < first.length || headerBlockEnd(head) !== -1) return head;
    const more = Buffer.alloc(HEADER_READ_LIMIT);
    const second = await handle.read(more, 0, more.length, 0);
    return more.subarray(0, second.bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first `limit` bytes of a file; null when the file is gone. */
export async function readStart(path: string, limit: number): Promise<Buffer | null> {
  const handle = await openIfThere(path);
  if (!handle) return null;
  try {
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A whole file (a draft about to be sent). */
export async function readWhole(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** The delivery time written at the start of a Maildir unique name, in ms (0 when absent). */
export function deliveredAt(entry: { readonly unique: string }): Millis {
  const seconds = Number.parseInt(entry.unique, 10);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}

/** A rename; `now` does it synchronously, outside libuv's thread pool. */
export async function moveFile(from: string, to: string, now: boolean): Promise<void> {
  if (now) renameSync(from, to);
  else await rename(from, to);
}

/**
 * Whether a file is there now. Any failure answers false: the caller then lists the folder,
 * which reports a real problem (permissions, a vanished folder) as the provider error it is.
 */
export async function present(path: string): Promise<boolean> {
  return await access(path).then(
    () => true,
    () => false,
  );
}

/** The messages whose Message-ID or X-Ringback-Ref is `messageId`. */
export function withId<E>(items: ReadonlyArray<{ readonly entry: E; readonly headers: MessageHeaders }>, messageId: string): E[] {
  return items.filter(({ headers }) => headers.messageId === messageId || headers.ringbackRef === messageId).map(({ entry }) => entry);
}

/** The newest of the messages whose Message-ID or X-Ringback-Ref is `messageId`. */
export function newestWithId<E extends { readonly unique: string; readonly name: string }>(
  items: ReadonlyArray<{ readonly entry: E; readonly headers: MessageHeaders }>,
  messageId: string,
): E | null {
  const matches = withId(items, messageId).sort((a, b) => deliveredAt(b) - deliveredAt(a) || (a.name < b.name ? 1 : -1));
  return matches[0] ?? null;
}
