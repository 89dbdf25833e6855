/**
 * An email of an interview as it stands in the mailbox now: the draft as the user left it (their
 * edits win when it is sent), or the copy in Sent, read through the mailbox port.
 */
import { simpleParser } from 'mailparser';
import type { Mailbox } from '../providers/mail/types.js';
import type { EmailRecord } from '../store/drafts.js';

export interface EmailContent {
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly subject: string;
  readonly date: Date | null;
  readonly text: string;
}

export interface EmailPreview {
  /** Where the message is now: `gone` when the user deleted it (or it was never written). */
  readonly where: 'draft' | 'sent' | 'gone' | 'unknown';
  readonly content: EmailContent | null;
  /** Why there is no content, in plain words. */
  readonly note: string | null;
}

async function parse(raw: Buffer): Promise<EmailContent> {
  const mail = await simpleParser(raw);
  const addresses = (value: typeof mail.to): string => (value === undefined ? '' : Array.isArray(value) ? value.map((v) => v.text).join(', ') : value.text);
  return {
    from: mail.from?.text ?? '',
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? '',
    date: mail.date ?? null,
    text: mail.text ?? '',
  };
}

export async function readEmailPreview(mailbox: Mailbox | null, record: EmailRecord): Promise<EmailPreview> {
  if (!mailbox) return { where: 'unknown', content: null, note: 'no mailbox is connected' };
  try {
    const message = await mailbox.readMessage(record.ref);
    if (!message) return { where: 'gone', content: null, note: 'not in Drafts or Sent any more (deleted in the mail client)' };
    return { where: message.state, content: await parse(message.raw), note: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { where: 'unknown', content: null, note: `the mailbox could not be read (${reason}); reload the page, or see "ringback accounts"` };
  }
}
