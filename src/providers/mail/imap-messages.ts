/**
 * Messages in the Drafts and Sent folders: the `providerId` of a {@link DraftRef}, lookups by UID,
 * `Message-ID` and `X-Ringback-Ref`, reading, APPEND and removal.
 */
import type { ImapFlow } from 'imapflow';
import { TransientError } from '../errors.js';
import type { ImapFolders } from './imap-connection.js';
import type { DraftRef } from './types.js';

interface Hit {
  readonly path: string;
  readonly uidValidity: string;
  readonly uid: number;
}
interface Located extends Hit {
  readonly state: 'draft' | 'sent';
}

const crlf = (raw: Buffer): Buffer => Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
export const refOf = (hit: Hit, messageId: string): DraftRef => ({ providerId: `${hit.path}:${hit.uidValidity}:${hit.uid}`, messageId, threadId: null });

function parseProviderId(providerId: string): Hit | null {
  const match = /^(.*):(\d+):(\d+)$/.exec(providerId);
  return match?.[1] && match[2] && match[3] ? { path: match[1], uidValidity: match[2], uid: Number(match[3]) } : null;
}

export async function inFolder<T>(client: ImapFlow, path: string, work: () => Promise<T>): Promise<T> {
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
export async function search(client: ImapFlow, path: string, messageId: string): Promise<{ uidValidity: string; uids: number[] }> {
  return inFolder(client, path, async () => {
    const uids = await client.search(
      { or: [{ header: { 'message-id': messageId } }, { header: { 'x-ringback-ref': messageId } }], deleted: false },
      { uid: true },
    );
    // imapflow answers a SEARCH the server refused (or could not be asked) `false`: that says
    // nothing about the message, and read as "not there" a draft stored by an attempt whose answer
    // was lost was appended again.
    if (!Array.isArray(uids)) throw new TransientError(`IMAP server did not answer the search of ${path} for ${messageId}`);
    return { uidValidity: uidValidityOf(client), uids: [...uids].sort((a, b) => a - b) };
  });
}

export async function findIn(client: ImapFlow, path: string, messageId: string): Promise<Hit | null> {
  const { uidValidity, uids } = await search(client, path, messageId);
  const uid = uids[uids.length - 1];
  return uid === undefined ? null : { path, uidValidity, uid };
}

export async function locate(client: ImapFlow, folders: ImapFolders, ref: DraftRef): Promise<Located | null> {
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

/**
 * The first `limit` bytes of the message at `hit` (a partial FETCH, `BODY.PEEK[]<0.limit>`, so the
 * rest never crosses the wire); null when it is no longer there: expunged, flagged `\Deleted` or
 * its folder's UIDVALIDITY changed since it was located.
 */
export async function readStart(client: ImapFlow, hit: Hit, limit: number): Promise<Buffer | null> {
  return inFolder(client, hit.path, async () => {
    if (uidValidityOf(client) !== hit.uidValidity) return null;
    const message = await client.fetchOne(String(hit.uid), { source: { maxLength: limit }, flags: true }, { uid: true });
    if (!message || !message.source || message.flags?.has('\\Deleted')) return null;
    // The port promises at most `limit` bytes, whatever the server sends back.
    return message.source.subarray(0, limit);
  });
}

export async function append(client: ImapFlow, path: string, raw: Buffer, flags: string[], messageId: string): Promise<Hit> {
  const answer = await client.append(path, crlf(raw), flags);
  if (answer && answer.uid !== undefined && answer.uidValidity !== undefined) {
    return { path, uidValidity: String(answer.uidValidity), uid: answer.uid };
  }
  // A server without UIDPLUS does not say where the message went: look it up.
  const hit = await findIn(client, path, messageId);
  if (!hit) throw new TransientError(`IMAP server accepted a message for ${path} but does not list it yet`);
  return hit;
}

export async function remove(client: ImapFlow, path: string, uids: readonly number[]): Promise<void> {
  if (uids.length === 0) return;
  await inFolder(client, path, async () => {
    await client.messageDelete(uids.join(','), { uid: true });
  });
}
