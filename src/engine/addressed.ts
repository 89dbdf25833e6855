/**
 * Whom a draft is addressed to as it stands in the mailbox: the user may have written a recipient
 * into a confirmation ringback wrote without one (an invitation from a no-reply address), and
 * their edit wins (DESIGN.md, Sending exactly once). Every adapter's `readMessage` gives the draft
 * as the provider keeps it, with the recipients the provider will send to (the mailbox contract,
 * test/providers/mail/contract.ts, pins that down for each).
 */
import { simpleParser, type AddressObject } from 'mailparser';
import type { DraftRef, Mailbox } from '../providers/mail/types.js';

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((v) => v.value.map((a) => (a.address ?? '').trim().toLowerCase())).filter((a) => a !== '');
}

/**
 * The draft's recipients (To, then Cc and Bcc), lower-cased; empty when it has none, or when the
 * draft is no longer in Drafts (the caller has just seen it there: a send or a delete meanwhile is
 * the caller's next look-up to find).
 */
export async function draftRecipients(mailbox: Mailbox, ref: DraftRef): Promise<string[]> {
  const stored = await mailbox.readMessage(ref);
  if (!stored || stored.state !== 'draft') return [];
  const draft = await simpleParser(stored.raw);
  return [...addresses(draft.to), ...addresses(draft.cc), ...addresses(draft.bcc)];
}
