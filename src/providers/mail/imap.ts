/**
 * The `imap` mailbox: drafts and sent mail in the user's own IMAP account (iCloud, Fastmail,
 * Gmail or Outlook.com with an app password, any Dovecot), sending through SMTP. imapflow types
 * stay in the imap*.ts files.
 *
 * Folders: the ones marked `\Drafts` and `\Sent` (RFC 6154 SPECIAL-USE), else the first that
 * exists of {@link DRAFTS_NAMES} / {@link SENT_NAMES}, else one whose localised name says so. A {@link DraftRef}'s `providerId` is
 * `<folder path>:<UIDVALIDITY>:<UID>`; when that UID is gone (a mail client saved an edit as a
 * new message, or UIDVALIDITY changed) the message is looked up by `Message-ID`, then by
 * `X-Ringback-Ref` (kept by clients that give an edited draft a new Message-ID), in Drafts, then
 * in Sent. A message flagged `\Deleted` counts as gone.
 *
 * Retries never duplicate:
 * - `createDraft` first searches Drafts for the Message-ID: an APPEND whose answer was lost on a
 *   dropped connection is found and returned instead of written again.
 * - `updateDraft` removes copies of the new version left by an interrupted attempt, appends the
 *   new version, then removes the old one (UID EXPUNGE).
 * - `send` reads the draft after the caller's last look (found again by the lookup above, so
 *   that an edit saved meanwhile is what leaves; of several copies, as between a client's APPEND
 *   of an edit and its EXPUNGE of the old one, the last appended, the others removed with it) and
 *   returns at once when the Message-ID is already in Sent. After a successful relay it
 *   flags the draft `$RingbackRelayed` (where the folder allows keywords), so that a retry after a
 *   failure to file in Sent does not relay again. The one window left, a connection lost between
 *   the SMTP server's acceptance and that flag, is covered by the send claim kept in Redis
 *   (DESIGN.md, Sending exactly once).
 *
 * One connection is kept and reused; every operation runs alone on it (a promise queue), so two
 * operations never interleave their mailbox selections. When the server drops the connection
 * (imapflow emits 'close') the operation in progress fails with a TransientError and the next one
 * connects again.
 */
import { PermanentError, TransientError } from '../errors.js';
import { imapConnection } from './imap-connection.js';
import { repliesIn, replyTerms, reportCandidatesIn } from './imap-inbox.js';
import { checkRoom, type ImapLogin } from './imap-login.js';
import { append, findIn, locate, readStart, refOf, remove, search } from './imap-messages.js';
import { sendDraft } from './imap-send.js';
import { buildRawMessage, withReplyTo } from './mime.js';
import { reportsAmong } from './report-scan.js';
import { createSmtpRelay } from './smtp.js';
import { READ_MESSAGE_LIMIT, type DraftState, type FoundMessage, type Mailbox } from './types.js';

export type { ImapFolders } from './imap-connection.js';
export { checkImapLogin, DRAFTS_NAMES, SENT_NAMES, type ImapLogin } from './imap-login.js';

export interface ImapMailboxOptions extends ImapLogin {
  readonly id: string;
  readonly smtp: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    /** @defaultValue the IMAP username */
    readonly username?: string;
    /** @defaultValue the IMAP password */
    readonly password?: string;
  };
  /** True when the provider files sent mail in Sent itself (Gmail): no APPEND to Sent. */
  readonly serverFilesSent: boolean;
  /**
   * How long the connection may stay unused before a step checks it with a NOOP first: servers end
   * idle sessions ("* BYE Disconnected for inactivity.", Dovecot; RFC 3501 §5.4 lets them after 30
   * minutes) and networks drop idle connections sooner, and a step that met such a closed
   * connection failed. @defaultValue 60000
   */
  readonly idleCheckMs?: number;
}

export function createImapMailbox(options: ImapMailboxOptions): Mailbox {
  const relay = createSmtpRelay({
    host: options.smtp.host,
    port: options.smtp.port,
    secure: options.smtp.secure,
    username: options.smtp.username ?? options.username,
    password: options.smtp.password ?? options.password,
    ...(options.tls ? { tls: { ...options.tls } } : {}),
  });
  const { exclusive, idle, logout } = imapConnection(options, options.idleCheckMs);

  return {
    id: options.id,

    async createDraft(email, draftOptions) {
      const raw = await buildRawMessage(withReplyTo(email, draftOptions?.replyTo));
      return exclusive('createDraft', async (client, folders) => {
        // An earlier APPEND whose answer was lost may have stored it already.
        const stored = await findIn(client, folders.drafts, email.messageId);
        const hit = stored ?? (await append(client, folders.drafts, raw, ['\\Draft', '\\Seen'], email.messageId));
        return refOf(hit, email.messageId);
      });
    },

    async updateDraft(ref, email) {
      const raw = await buildRawMessage(email);
      return exclusive('updateDraft', async (client, folders) => {
        const found = await locate(client, folders, ref);
        if (!found) {
          // An earlier attempt may have finished (new version in, old one out) before its answer was lost.
          const done = email.messageId === ref.messageId ? null : await findIn(client, folders.drafts, email.messageId);
          if (done) return refOf(done, email.messageId);
          throw new PermanentError(`draft ${ref.messageId} was deleted in the mail client; not writing it again`);
        }
        if (found.state === 'sent') throw new PermanentError(`draft ${ref.messageId} was already sent`);
        const { uids } = await search(client, folders.drafts, email.messageId);
        await remove(client, folders.drafts, uids.filter((uid) => uid !== found.uid));
        const hit = await append(client, folders.drafts, raw, ['\\Draft', '\\Seen'], email.messageId);
        await remove(client, folders.drafts, [found.uid]);
        return refOf(hit, email.messageId);
      });
    },

    async deleteDraft(ref) {
      await exclusive('deleteDraft', async (client, folders) => {
        // A draft already gone is fine; one already sent stays in Sent.
        const found = await locate(client, folders, ref);
        if (found?.state === 'draft') await remove(client, folders.drafts, [found.uid]);
      });
    },

    async draftState(ref): Promise<DraftState> {
      return exclusive('draftState', async (client, folders) => {
        const found = await locate(client, folders, ref);
        return found ? { state: found.state, ref: refOf(found, ref.messageId) } : { state: 'gone' };
      });
    },

    async readMessage(ref) {
      return exclusive('readMessage', async (client, folders) => {
        // The user's mail client may expunge the message (saving an edit as a new one) between
        // the lookup and the FETCH: look it up once more.
        for (let attempt = 0; attempt < 2; attempt += 1) {
          const found = await locate(client, folders, ref);
          if (!found) return null;
          const raw = await readStart(client, found, READ_MESSAGE_LIMIT);
          if (raw) return { state: found.state, raw };
        }
        // Found each time, gone each time by the FETCH: it is changing now, not gone.
        throw new TransientError(`message ${ref.messageId} changed while it was being read`);
      });
    },

    async send(ref, sendOptions) {
      return exclusive('send', async (client, folders) =>
        sendDraft(client, folders, ref, {
          relay,
          serverFilesSent: options.serverFilesSent,
          ...(sendOptions?.beforeSubmit ? { beforeSubmit: sendOptions.beforeSubmit } : {}),
          ...(sendOptions?.onRecipientsRefused ? { onRecipientsRefused: sendOptions.onRecipientsRefused } : {}),
        }),
      );
    },

    async findByMessageId(messageId): Promise<FoundMessage | null> {
      return exclusive('findByMessageId', async (client, folders) => {
        for (const [folder, path] of [['drafts', folders.drafts], ['sent', folders.sent]] as const) {
          const hit = await findIn(client, path, messageId);
          if (hit) return { folder, ref: refOf(hit, messageId) };
        }
        return null;
      });
    },

    async draftCopies(messageId) {
      return exclusive('draftCopies', async (client, folders) => {
        const { uidValidity, uids } = await search(client, folders.drafts, messageId);
        return uids.map((uid) => refOf({ path: folders.drafts, uidValidity, uid }, messageId));
      });
    },

    async repliesSince(thread, since) {
      const terms = replyTerms(thread);
      if (terms.length === 0) return [];
      return exclusive('repliesSince', async (client) => repliesIn(client, thread, terms, since, options.id));
    },

    async checkHealth() {
      // Opening a connection logs in and finds Drafts and Sent (imap-connection.ts); then the
      // room left for drafts, where the server keeps a quota.
      await exclusive('checkHealth', async (client, folders) => checkRoom(client, folders.drafts));
      await relay.verify();
    },

    async deliveryReportsSince(since) {
      const found = await exclusive('deliveryReportsSince', async (client) => reportCandidatesIn(client, since));
      return await reportsAmong(found, async ({ raw }) => raw);
    },

    async close() {
      await idle();
      relay.close();
      await logout();
    },
  };
}
