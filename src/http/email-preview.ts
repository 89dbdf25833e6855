/**
 * An email of an interview as it stands in the mailbox now: the draft as the user left it (their
 * edits win when it is sent), or the copy in Sent.
 *
 * The Mailbox port says where a message is (`draftState`) but has no way to read it, so this reads
 * the file itself for the embedded Maildir. The other mailboxes would need a port method such as
 * `readMessage(ref): Promise<Buffer | null>` (the raw RFC 822 message: IMAP `FETCH BODY.PEEK[]`,
 * Gmail `drafts.get`/`messages.get` with `format=raw`, Graph `GET /me/messages/{id}/$value`); until
 * then the page says where the draft is and that the mail client shows it.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { MailboxConfig } from '../../config/types.js';
import { MAILDIR_FOLDERS, parseMaildirName } from '../providers/mail/maildir.js';
import type { DraftRef, Mailbox } from '../providers/mail/types.js';
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

/** Larger drafts are shown cut (a confirmation is a few kilobytes). */
const READ_LIMIT = 512 * 1024;

async function readCapped(path: string): Promise<Buffer | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    // Moved by a mail client between the listing and the read: the caller looks again.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const buffer = Buffer.alloc(READ_LIMIT);
    const { bytesRead } = await handle.read(buffer, 0, READ_LIMIT, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readMaildirMessage(root: string, folder: 'drafts' | 'sent', ref: DraftRef): Promise<Buffer | null> {
  const dir = join(root, MAILDIR_FOLDERS[folder]);
  for (const sub of ['new', 'cur']) {
    const names = await readdir(join(dir, sub)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const name = names.find((n) => parseMaildirName(n).unique === ref.providerId);
    if (name) return await readCapped(join(dir, sub, name));
  }
  return null;
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

export async function readEmailPreview(mailbox: Mailbox | null, config: MailboxConfig | null, record: EmailRecord): Promise<EmailPreview> {
  if (!mailbox || !config) return { where: 'unknown', content: null, note: 'no mailbox is connected' };
  let state;
  try {
    state = await mailbox.draftState(record.ref);
  } catch (error) {
    return { where: 'unknown', content: null, note: `the mailbox could not be asked: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (state.state === 'gone') return { where: 'gone', content: null, note: 'not in Drafts or Sent any more (deleted in the mail client)' };
  if (config.type !== 'maildir') {
    return { where: state.state, content: null, note: `your mail client shows it in ${state.state === 'draft' ? 'Drafts' : 'Sent'}` };
  }
  const folder = state.state === 'draft' ? 'drafts' : 'sent';
  // A mail client may rename the file (a flag change) between draftState and the read: look twice.
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = attempt === 0 ? state.ref : ((await mailbox.draftState(record.ref)) as { ref?: DraftRef }).ref;
    if (!current) break;
    const raw = await readMaildirMessage(config.path, folder, current);
    if (raw) return { where: state.state, content: await parse(raw), note: null };
  }
  return { where: state.state, content: null, note: 'the message moved while it was being read; reload the page' };
}
