/**
 * Deterministic identifiers: the interview id and the Message-ID of every email.
 *
 * The Message-ID is what makes sending exactly-once possible: a retried send asks the mailbox
 * whether `<ringback.{interview}.{kind}.{revision}@{domain}>` already exists before sending again,
 * so the same inputs must always give the same id. Hashing uses node:crypto, which is pure.
 */
import * as crypto from 'node:crypto';
import { ACTION_KINDS, type ActionKind } from './actions.js';
import type { CalendarEvent } from './types.js';

type OneShotHash = (algorithm: string, data: string, encoding: 'hex' | 'base64url') => string;
/** `crypto.hash` (Node 20.12 and later): the same digest without a Hash object per call. */
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

/**
 * The SHA-256 of `text` (UTF-8) in `encoding`. A sync hashes every event it reads, twice (its
 * interview id and its content): the one-shot form takes about half the time of
 * `createHash().update().digest()` (fleet benchmark, 2026-12-06); Node 20.9–20.11 lack it.
 */
export function sha256(text: string, encoding: 'hex' | 'base64url'): string {
  return oneShot !== undefined ? oneShot('sha256', text, encoding) : crypto.createHash('sha256').update(text, 'utf8').digest(encoding);
}

/**
 * The content hash of an event as a calendar source gave it: a sync skips an event whose hash is
 * the one it kept (src/store/events.ts). Its JSON, so the sources' key order is part of it.
 */
export function eventHash(event: CalendarEvent): string {
  return sha256(JSON.stringify(event), 'base64url').slice(0, 16);
}

/** The four emails ringback writes; several actions act on the same email. */
export const EMAIL_KINDS = ['confirmation', 'noshow', 'thankyou', 'apology'] as const;

export type EmailKind = (typeof EMAIL_KINDS)[number];

/** Used when the given domain has nothing usable left after cleaning. */
export const FALLBACK_DOMAIN = 'ringback.invalid';

/**
 * Short stable id of the interview held by event `eventId` of calendar source `sourceId`:
 * `iv` and the first 10 hex digits of a SHA-256 over both. The two parts are encoded as a JSON
 * array so that ('a', 'bc') and ('ab', 'c') never collide.
 */
export function interviewIdFor(sourceId: string, eventId: string): string {
  const digest = sha256(JSON.stringify([sourceId, eventId]), 'hex');
  return `iv${digest.slice(0, 10)}`;
}

/** The email an action works on. */
export function emailKindOf(action: ActionKind): EmailKind {
  switch (action) {
    case 'confirmation-draft':
    case 'confirmation-send':
      return 'confirmation';
    case 'noshow-draft':
    case 'noshow-resolve':
      return 'noshow';
    case 'thankyou-draft':
      return 'thankyou';
    case 'apology-draft':
      return 'apology';
  }
}

/** The actions that work on an email, in the order in which they happen. */
export function actionsOn(email: EmailKind): readonly ActionKind[] {
  return ACTION_KINDS.filter((action) => emailKindOf(action) === email);
}

export interface MessageIdParts {
  readonly interviewId: string;
  readonly kind: EmailKind;
  readonly revision: number;
  readonly domain: string;
}

/**
 * The domain part of a Message-ID: lower-cased, reduced to `[a-z0-9.-]`, no empty labels and no
 * leading or trailing dot or hyphen. An address is accepted too (its part after the last `@`).
 * Falls back to {@link FALLBACK_DOMAIN} when nothing usable is left.
 */
export function sanitiseDomain(domain: string): string {
  const host = domain.slice(domain.lastIndexOf('@') + 1);
  const cleaned = host
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, '')
    .split('.')
    .map((label) => label.replace(/^-+|-+$/g, ''))
    .filter((label) => label.length > 0)
    .join('.');
  return cleaned.length > 0 ? cleaned : FALLBACK_DOMAIN;
}

/** The interview id as it may appear in a Message-ID: `[a-z0-9-]`, never empty. */
function sanitiseInterviewId(id: string): string {
  const cleaned = id.toLowerCase().replace(/[^a-z0-9-]/g, '');
  if (cleaned.length === 0) throw new RangeError(`interview id "${id}" has no usable characters`);
  return cleaned;
}

/** `<ringback.{interview}.{kind}.{revision}@{domain}>`, the same for the same inputs. */
export function messageIdFor(parts: MessageIdParts): string {
  if (!EMAIL_KINDS.includes(parts.kind)) throw new RangeError(`unknown email kind "${String(parts.kind)}"`);
  return formatMessageId(parts, parts.kind);
}

/**
 * `<ringback.{interview}.notice.{revision}@{domain}>`: the note to the candidate that the
 * confirmation of that revision was not sent. Written in their Drafts, never sent by ringback, and
 * not one of the interview's emails (no reply or bounce is looked for under it).
 */
export function noticeMessageIdFor(parts: Omit<MessageIdParts, 'kind'>): string {
  return formatMessageId(parts, 'notice');
}

function formatMessageId(parts: Omit<MessageIdParts, 'kind'>, word: string): string {
  if (!Number.isSafeInteger(parts.revision) || parts.revision < 0) {
    throw new RangeError(`revision must be a whole number ≥ 0, got ${String(parts.revision)}`);
  }
  return `<ringback.${sanitiseInterviewId(parts.interviewId)}.${word}.${parts.revision}@${sanitiseDomain(parts.domain)}>`;
}

// The kinds are plain lower-case words, safe inside a pattern as they are.
const MESSAGE_ID = new RegExp(`^ringback\\.([a-z0-9-]+)\\.(${EMAIL_KINDS.join('|')})\\.(\\d{1,15})@([a-z0-9.-]+)$`);

/**
 * The parts of a Message-ID made by {@link messageIdFor}, or null for any other id. Surrounding
 * whitespace, missing angle brackets and upper case (some servers rewrite it) are tolerated.
 */
export function parseMessageId(id: string): MessageIdParts | null {
  const trimmed = id.trim().toLowerCase();
  const bare = trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed;
  const [, interviewId, kindText, revision, domain] = MESSAGE_ID.exec(bare) ?? [];
  const kind = EMAIL_KINDS.find((k) => k === kindText);
  if (interviewId === undefined || kind === undefined || revision === undefined || domain === undefined) return null;
  return { interviewId, kind, revision: Number(revision), domain };
}
