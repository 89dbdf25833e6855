/** Reading and writing one Gmail message: its headers, its raw bytes, the search term that finds it. */
import { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import { PermanentError } from '../errors.js';
import { RINGBACK_REF_HEADER, readHeaders, stripHeader } from '../mail/mime.js';
import { READ_MESSAGE_LIMIT, type DraftRef } from '../mail/types.js';

export const MESSAGE_ID = /^<[^<>\s"]+@[^<>\s"]+>$/;

/** The `q` term that finds a Message-ID; refuses anything that could widen the search. */
export function searchFor(messageId: string): string {
  if (!MESSAGE_ID.test(messageId)) throw new PermanentError(`not a Message-ID: ${JSON.stringify(messageId.slice(0, 100))}`);
  return `rfc822msgid:${messageId.slice(1, -1)}`;
}

/**
 * Whether a draft's message is still the one ringback wrote as `messageId`: same Message-ID, or
 * our reference header naming it, or rewritten by a mail client that dropped both (the draft id
 * found it). A message whose reference header names another Message-ID is another email.
 */
export function holds(message: gmail_v1.Schema$Message, messageId: string): boolean {
  const headers = message.raw ? readHeaders(Buffer.from(message.raw, 'base64url')) : null;
  const own = headers ? headers.messageId : firstMessageId(header(message, 'Message-ID'));
  const reference = headers ? headers.ringbackRef : firstMessageId(header(message, RINGBACK_REF_HEADER));
  if (own === messageId || reference === messageId) return true;
  return reference === null;
}

/** A message's `raw` (base64url) as bytes, cut at {@link READ_MESSAGE_LIMIT}. */
export function decodeRaw(raw: string | null | undefined, messageId: string): Buffer {
  if (!raw) throw new PermanentError(`Gmail answered for ${messageId} without the raw message`);
  // Four characters carry three bytes: only what the limit keeps is decoded.
  return Buffer.from(raw.slice(0, Math.ceil(READ_MESSAGE_LIMIT / 3) * 4), 'base64url').subarray(0, READ_MESSAGE_LIMIT);
}

export function firstMessageId(value: string | null): string | null {
  return messageIds(value)[0] ?? null;
}

export function refOf(draft: gmail_v1.Schema$Draft, messageId: string): DraftRef {
  if (!draft.id) throw new PermanentError(`Gmail answered for ${messageId} without a draft id`);
  return { providerId: draft.id, messageId, threadId: draft.message?.threadId ?? null };
}

export function header(message: gmail_v1.Schema$Message, name: string): string | null {
  const wanted = name.toLowerCase();
  const value = message.payload?.headers?.find((entry) => entry.name?.toLowerCase() === wanted)?.value;
  return value ?? null;
}

export function messageIds(value: string | null): string[] {
  return value?.match(/<[^<>\s]+>/g) ?? [];
}

export function firstAddress(value: string | null): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(value);
  const bare = /[^\s<>"(),;:]+@[^\s<>"(),;:]+/.exec(value);
  const address = bracketed?.[1] ?? bare?.[0];
  return address ? address.toLowerCase() : null;
}

/** The message with `messageId` as its only Message-ID, and our reference header beside it. */
export function withMessageId(raw: Buffer, messageId: string): Buffer {
  const stripped = stripHeader(stripHeader(raw, 'Message-ID'), RINGBACK_REF_HEADER);
  const eol = raw.includes('\r\n') ? '\r\n' : '\n';
  return Buffer.concat([Buffer.from(`Message-ID: ${messageId}${eol}${RINGBACK_REF_HEADER}: ${messageId}${eol}`, 'utf8'), stripped]);
}
