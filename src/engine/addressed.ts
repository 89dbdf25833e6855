/**
 * Whom a message is addressed to as it stands in the mailbox. A draft: the user may have written a recipient
 * into a confirmation ringback wrote without one (an invitation from a no-reply address), and
 * their edit wins (DESIGN.md, Sending exactly once). Every adapter's `readMessage` gives the draft
 * as the provider keeps it, with the recipients the provider will send to (the mailbox contract,
 * test/providers/mail/contract.ts, pins that down for each).
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Person } from '../domain/types.js';
import type { DraftRef, Mailbox } from '../providers/mail/types.js';

/** The message as it stands in `folder`, parsed; null when it is not there. */
async function parsedIn(mailbox: Mailbox, ref: DraftRef, folder: 'draft' | 'sent'): Promise<ParsedMail | null> {
  const stored = await mailbox.readMessage(ref);
  return stored && stored.state === folder ? await simpleParser(stored.raw) : null;
}

/** Everyone the message is addressed to (To, then Cc and Bcc), names kept, addresses lower-cased. */
function addresseesOf(message: ParsedMail): Person[] {
  const list: AddressObject[] = [message.to, message.cc, message.bcc].flatMap((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
  return list
    .flatMap((v) => v.value)
    .map((a) => ({ name: (a.name ?? '').trim(), email: (a.address ?? '').trim().toLowerCase() }))
    .filter((p) => p.email !== '');
}

/** Everyone the message stands addressed to in `folder`; empty when it has none or is not there. */
async function addresseesIn(mailbox: Mailbox, ref: DraftRef, folder: 'draft' | 'sent'): Promise<Person[]> {
  const message = await parsedIn(mailbox, ref, folder);
  return message ? addresseesOf(message) : [];
}

async function recipientsIn(mailbox: Mailbox, ref: DraftRef, folder: 'draft' | 'sent'): Promise<string[]> {
  return (await addresseesIn(mailbox, ref, folder)).map((p) => p.email);
}

/**
 * The draft's recipients; empty when it has none, or when the draft is no longer in Drafts (the
 * caller has just seen it there: a send or a delete meanwhile is the caller's next look-up to find).
 */
export async function draftRecipients(mailbox: Mailbox, ref: DraftRef): Promise<string[]> {
  return await recipientsIn(mailbox, ref, 'draft');
}

/**
 * The people the user wrote into a draft ringback wrote without a recipient, names kept: a rewrite
 * of that draft (the call moved) puts them back, or the send at its time finds nobody and the
 * confirmation the user addressed never leaves. Empty when the draft has none or is not in Drafts.
 */
export async function draftAddressees(mailbox: Mailbox, ref: DraftRef): Promise<Person[]> {
  return await addresseesIn(mailbox, ref, 'draft');
}

/**
 * Whom the copy in Sent went to: asked only of an email whose record, written by an earlier
 * version, does not say (followups.ts). Empty when the copy is gone: then nobody is known to have
 * received it.
 */
export async function sentRecipients(mailbox: Mailbox, ref: DraftRef): Promise<string[]> {
  return await recipientsIn(mailbox, ref, 'sent');
}

/**
 * A draft as the user left it: its recipients (as {@link draftRecipients}), subject and text; null
 * when it is no longer in Drafts. Read once, for a caller that weighs both whom and what.
 */
export async function draftAsItStands(mailbox: Mailbox, ref: DraftRef): Promise<{ recipients: string[]; subject: string; text: string } | null> {
  const message = await parsedIn(mailbox, ref, 'draft');
  if (!message) return null;
  return { recipients: addresseesOf(message).map((p) => p.email), subject: message.subject ?? '', text: message.text ?? '' };
}
