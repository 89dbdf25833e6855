/**
 * The embedded mailbox: a Maildir++ folder that Dovecot or any Maildir-aware mail client can open.
 *
 * Layout: the root's `cur/ new/ tmp/` are the INBOX; `.Drafts/` and `.Sent/` are subfolders with
 * their own `cur/ new/ tmp/` and an empty `maildirfolder` file (Dovecot's marker). The root must
 * exist; everything inside it is created when missing.
 *
 * Every message is written to `tmp/` and renamed into `cur/` with its flags in the name: drafts
 * `<unique>:2,D`, sent mail `<unique>:2,S`. A {@link DraftRef}'s `providerId` is the unique part
 * of the file name, which survives flag changes; its `messageId` is always the Message-ID ringback
 * gave the message.
 *
 * What a user's edit does here: Maildir files are never changed in place, so a mail client that
 * saves an edited draft (directly, or through Dovecot IMAP) writes a NEW file and removes the old
 * one. Most keep the Message-ID; some (Thunderbird, mutt's postponed messages) write a new one
 * but keep unknown headers such as `X-Ringback-Ref`. `draftState` therefore looks for the file
 * name first, then for a message whose Message-ID or `X-Ringback-Ref` is ours, in Drafts and then
 * in Sent. A draft that matches none of these was deleted by the user, or rewritten by a client
 * that dropped both: either way it counts as gone (vetoed), never as sent.
 *
 * Sending: the draft is read as it stands after the caller's last look (the user's edits win; of
 * several copies, as between a client's APPEND of an edit and its EXPUNGE of the old one through
 * Dovecot, the one made last, the others removed once it is sent), relayed through SMTP when
 * one is configured, and renamed into `.Sent/cur/` (`D` → `S`) as soon as the whole message has
 * been written to the SMTP connection, before the server's "250" is read, so that a process
 * killed while the server stores it does not send it again; a refusal read in time moves it back.
 * What remains (docs/RELIABILITY.md): a crash between the last byte and the rename sends twice;
 * a refusal that the dying process never read leaves the message in Sent, unsent. Once the send
 * has succeeded, the copy in Sent is rewritten (through `tmp/`, onto its own name) with the Date
 * the relayed copy carried, or the filing time without a relay; a failure there is told to `warn`.
 */
import type { ComposedEmail, Millis } from '../../domain/types.js';
import { PermanentError } from '../errors.js';
import { buildRawMessage, withReplyTo } from './mime.js';
import { readStart } from './maildir-files.js';
import { MaildirFolders } from './maildir-folders.js';
import { repliesIn, deliveryReportsIn } from './maildir-inbox.js';
import { maildirUniqueName } from './maildir-names.js';
import { relayedRecord } from './maildir-relayed.js';
import { sendDraft } from './maildir-send.js';
import { deliver, removeDraft } from './maildir-write.js';
import { createSmtpRelay, type SmtpRelayConfig } from './smtp.js';
import { READ_MESSAGE_LIMIT, type DraftState, type FoundMessage, type Mailbox } from './types.js';

export interface MaildirMailboxOptions {
  readonly id: string;
  /** The Maildir++ root; it must exist. */
  readonly path: string;
  /** When present, `send` also relays the message through this server. */
  readonly smtp?: SmtpRelayConfig;
  /** Clock for the time part of new file names. @defaultValue Date.now */
  readonly now?: () => Millis;
  /** Told of a fault that does not fail the call (a sent message's copy in Sent left undated). @defaultValue a line on stderr */
  readonly warn?: (line: string) => void;
}

export { maildirUniqueName, parseMaildirName } from './maildir-names.js';

export function createMaildirMailbox(options: MaildirMailboxOptions): Mailbox {
  const now = options.now ?? Date.now;
  const folders = new MaildirFolders(options.path);
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sending = { relay: options.smtp ? createSmtpRelay(options.smtp) : null, relayed: relayedRecord(options.path), now, warn };
  const { relay } = sending;
  const newDraft = (raw: Buffer): Promise<string> => deliver(folders, 'drafts', raw, 'D', maildirUniqueName(now()));

  return {
    id: options.id,

    async createDraft(email, draftOptions) {
      await folders.ready();
      const unique = await newDraft(await buildRawMessage(withReplyTo(email, draftOptions?.replyTo)));
      return { providerId: unique, messageId: email.messageId, threadId: null };
    },

    async updateDraft(ref, email: ComposedEmail) {
      await folders.ready();
      const found = await folders.locate(ref);
      if (!found) throw new PermanentError(`draft ${ref.messageId} was deleted in the mail client; not writing it again`);
      if (found.state === 'sent') throw new PermanentError(`draft ${ref.messageId} was already sent`);
      const unique = await newDraft(await buildRawMessage(email));
      await removeDraft(folders, ref);
      return { providerId: unique, messageId: email.messageId, threadId: null };
    },

    async deleteDraft(ref) {
      await folders.ready();
      // A draft already gone is fine; one already sent stays in Sent.
      await removeDraft(folders, ref);
    },

    async draftState(ref): Promise<DraftState> {
      await folders.ready();
      const found = await folders.locate(ref);
      if (!found) return { state: 'gone' };
      const current = found.entry.unique === ref.providerId ? ref : { providerId: found.entry.unique, messageId: ref.messageId, threadId: null };
      return { state: found.state, ref: current };
    },

    async readMessage(ref) {
      await folders.ready();
      // A mail client may rename the file (a flag change) between the lookup and the read.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const found = await folders.locate(ref);
        if (!found) return null;
        const raw = await folders.guard(found.entry.path, () => readStart(found.entry.path, READ_MESSAGE_LIMIT));
        if (raw) return { state: found.state, raw };
      }
      return null;
    },

    async send(ref, options) {
      await folders.ready();
      return await sendDraft(folders, ref, sending, options);
    },

    async findByMessageId(messageId): Promise<FoundMessage | null> {
      await folders.ready();
      // Sent first: a copy in Sent means it went out, whatever copy Drafts may still hold.
      for (const folder of ['sent', 'drafts'] as const) {
        const entry = await folders.findIn(folder, messageId);
        if (entry) return { folder, ref: { providerId: entry.unique, messageId, threadId: null } };
      }
      return null;
    },

    async draftCopies(messageId) {
      await folders.ready();
      // Oldest first, as IMAP's ascending UIDs: the last is what a send would take (maildir-send.ts).
      const copies = await folders.copiesIn('drafts', messageId);
      const ranked = copies.length > 1 ? (await folders.newestFirst(copies)).reverse() : copies;
      return ranked.map((entry) => ({ providerId: entry.unique, messageId, threadId: null }));
    },

    async repliesSince(thread, since) {
      await folders.ready();
      return await repliesIn(folders, thread, since);
    },

    async checkHealth() {
      await folders.ready();
      await folders.list('drafts');
      await folders.list('sent');
      await relay?.verify();
    },

    async deliveryReportsSince(since) {
      await folders.ready();
      return await deliveryReportsIn(folders, since);
    },

    async close() {
      relay?.close();
    },
  };
}
