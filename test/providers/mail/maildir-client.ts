/**
 * A Maildir++ mail client, for the maildir harnesses of the mailbox contract (contract.ts), with
 * and without SMTP, and for engine tests that act on the harness's Maildir as a user would: it acts
 * on the folder the way Dovecot-backed clients and Maildir readers such as mutt do.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Millis } from '../../../src/domain/types.js';
import { readHeaders } from '../../../src/providers/mail/mime.js';
import type { DraftRef } from '../../../src/providers/mail/types.js';
import type { SentMessage } from './contract.js';

/** The mailbox's owner, to whom replies are delivered. */
const CANDIDATE_EMAIL = 'ada@example.org';

/**
 * How a client saves an edited draft. All of them write a new file and remove the old one;
 * they differ in what they keep: the Message-ID, or only our X-Ringback-Ref, or neither.
 */
export type MaildirEdit = 'same-message-id' | 'new-message-id' | 'new-message-id-dropping-ref';

export interface MaildirClient {
  userEditsDraft(ref: DraftRef, newText: string, how?: MaildirEdit): Promise<void>;
  /** The user adds a recipient (a new file, a new Message-ID, X-Ringback-Ref kept, as Thunderbird saves a draft). */
  userAddressesDraft(ref: DraftRef, to: { readonly name: string; readonly email: string }): Promise<void>;
  userDeletesDraft(ref: DraftRef): Promise<void>;
  /**
   * The first step of a save over IMAP alone (Dovecot on this Maildir): the edit as a new file under
   * a new Message-ID, X-Ringback-Ref kept, the file opened left; opened from Drafts, or from Sent
   * when it has left since (the text the client still had open). `to` replaces the recipients.
   */
  userAppendsEdit(ref: DraftRef, edit: { readonly text: string; readonly to?: { readonly name: string; readonly email: string } }): Promise<void>;
  deliverReply(opts: { from: string; inReplyTo: string; subject: string; date: Millis }): Promise<void>;
  deliverRaw(raw: Buffer, date: Millis): Promise<void>;
  /** The messages filed in `.Sent` under a Message-ID (or X-Ringback-Ref), recipients from To and Cc. */
  sentFiles(messageId: string): Promise<SentMessage[]>;
}

export function createMaildirClient(root: string): MaildirClient {
  const filesIn = async (folder: string): Promise<string[]> => {
    const paths: string[] = [];
    for (const sub of ['new', 'cur']) {
      const dir = join(root, folder, sub);
      for (const name of await readdir(dir)) paths.push(join(dir, name));
    }
    return paths;
  };
  const matching = async (folder: string, id: string): Promise<string[]> => {
    const found: string[] = [];
    for (const path of await filesIn(folder)) {
      const headers = readHeaders(await readFile(path));
      if (headers.messageId === id || headers.ringbackRef === id) found.push(path);
    }
    return found;
  };
  const draftFile = async (ref: DraftRef, folder = '.Drafts'): Promise<string> => {
    const byName = (await filesIn(folder)).find((path) => basename(path).split(':')[0] === ref.providerId);
    const path = byName ?? (await matching(folder, ref.messageId))[0];
    if (!path) throw new Error(`test client: no file in ${folder} for ${ref.providerId}`);
    return path;
  };
  const write = async (folder: string, sub: 'new' | 'cur', raw: Buffer, flags: string): Promise<void> => {
    const unique = `${Math.floor(Date.now() / 1000)}.${randomUUID().slice(0, 12)}.testclient`;
    await mkdir(join(root, folder, 'tmp'), { recursive: true });
    await mkdir(join(root, folder, sub), { recursive: true });
    await writeFile(join(root, folder, 'tmp', unique), raw);
    await rename(join(root, folder, 'tmp', unique), join(root, folder, sub, sub === 'cur' ? `${unique}:2,${flags}` : unique));
  };

  /** Saves the draft again as a client does: a new file in place of the old one. */
  const rewrite = async (
    ref: DraftRef,
    edit: { readonly text?: string; readonly addTo?: { readonly name: string; readonly email: string }; readonly to?: { readonly name: string; readonly email: string } },
    how: MaildirEdit,
    step: 'both' | 'append' = 'both',
  ): Promise<void> => {
    const inDrafts = (await filesIn('.Drafts')).some((p) => basename(p).split(':')[0] === ref.providerId) || (await matching('.Drafts', ref.messageId)).length > 0;
    const path = await draftFile(ref, step === 'append' && !inDrafts ? '.Sent' : '.Drafts');
    const parsed = await simpleParser(await readFile(path));
    const addressesOf = (value: typeof parsed.to) => (Array.isArray(value) ? value : value ? [value] : []).flatMap((entry) => entry.value);
    const keptRef = parsed.headers.get('x-ringback-ref');
    const to = edit.to ? [{ name: edit.to.name, address: edit.to.email }] : addressesOf(parsed.to).map(({ name, address }) => ({ name, address: address ?? '' }));
    if (edit.addTo) to.push({ name: edit.addTo.name, address: edit.addTo.email });
    const raw = await new MailComposer({
      messageId: how === 'same-message-id' ? parsed.messageId : `<${randomUUID()}@client.example>`,
      date: new Date(),
      from: addressesOf(parsed.from).map(({ name, address }) => ({ name, address: address ?? '' })),
      to,
      cc: addressesOf(parsed.cc).map(({ name, address }) => ({ name, address: address ?? '' })),
      subject: parsed.subject ?? '',
      ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
      ...(parsed.references ? { references: parsed.references } : {}),
      text: edit.text ?? parsed.text ?? '',
      headers: how !== 'new-message-id-dropping-ref' && typeof keptRef === 'string' ? { 'X-Ringback-Ref': keptRef } : {},
      newline: 'linux',
    })
      .compile()
      .build();
    await write('.Drafts', 'cur', raw, 'DS');
    if (step === 'both') await unlink(path);
  };

  return {
    async userEditsDraft(ref, newText, how = 'new-message-id') {
      await rewrite(ref, { text: newText }, how);
    },
    async userAddressesDraft(ref, to) {
      await rewrite(ref, { addTo: to }, 'new-message-id');
    },
    async userAppendsEdit(ref, edit) {
      await rewrite(ref, edit, 'new-message-id', 'append');
    },
    async userDeletesDraft(ref) {
      await unlink(await draftFile(ref));
    },
    async deliverReply({ from, inReplyTo, subject, date }) {
      const raw = await new MailComposer({
        messageId: `<${randomUUID()}@${from.split('@')[1] ?? 'sender.example'}>`,
        date: new Date(date),
        from,
        to: CANDIDATE_EMAIL,
        subject,
        inReplyTo,
        references: [inReplyTo],
        text: 'Thanks, talk soon.',
        newline: 'linux',
      })
        .compile()
        .build();
      await write('', 'new', raw, '');
    },
    async deliverRaw(raw) {
      await write('', 'new', raw, '');
    },
    async sentFiles(messageId) {
      const sent: SentMessage[] = [];
      for (const path of await matching('.Sent', messageId)) {
        const raw = await readFile(path);
        const parsed = await simpleParser(raw);
        const headers = readHeaders(raw);
        sent.push({
          subject: parsed.subject ?? '',
          recipients: [...headers.to, ...headers.cc],
          text: parsed.text ?? '',
          inReplyTo: parsed.inReplyTo ?? null,
        });
      }
      return sent;
    },
  };
}
