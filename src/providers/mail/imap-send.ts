/**
 * Sending an IMAP draft: relay it through SMTP once, file it in Sent, remove the draft. Each step
 * is found done again by a retry (imap.ts says how), so that nothing is sent twice.
 */
import type { ImapFlow } from 'imapflow';
import { AccountUnusableError, PermanentError, TransientError } from '../errors.js';
import { imapError } from './imap-login.js';
import type { ImapFolders } from './imap-connection.js';
import { append, findIn, inFolder, locate, refOf, remove, search } from './imap-messages.js';
import { versionToSend } from './draft-versions.js';
import { datedAt, stripHeader } from './mime.js';
import { addresseesOf, envelopeOf, type SmtpRelay } from './smtp.js';
import type { DeliveryFailure, DraftRef } from './types.js';

/** Keyword put on a draft once the SMTP server accepted it. */
const RELAYED = '$RingbackRelayed';

export interface ImapSending {
  readonly relay: SmtpRelay;
  /** True when the provider files sent mail in Sent itself (Gmail): no APPEND to Sent. */
  readonly serverFilesSent: boolean;
  /** The caller's last look before the draft is relayed (SendOptions). */
  readonly beforeSubmit?: () => Promise<void>;
  /** Told of recipients the relay refused while it took the message for the others (SendOptions). */
  readonly onRecipientsRefused?: (refused: readonly DeliveryFailure[]) => void;
}

export async function sendDraft(client: ImapFlow, folders: ImapFolders, ref: DraftRef, sending: ImapSending): Promise<DraftRef> {
  let found = await locate(client, folders, ref);
  if (!found) throw gone(ref);
  if (found.state === 'sent') return refOf(found, ref.messageId);
  const filed = await findIn(client, folders.sent, ref.messageId);
  if (filed) {
    // Sent and filed by an earlier attempt that lost its connection before removing the draft.
    await remove(client, folders.drafts, [found.uid]);
    return refOf(filed, ref.messageId);
  }
  const relayed = await read(client, folders.drafts, found.uid, false);
  if (!relayed) throw changing(ref);
  let draft: Draft;
  /** Earlier versions of the draft found beside the one sent, which the mail client is replacing. */
  let superseded: readonly number[] = [];
  if (relayed.relayed) {
    // Relayed by an earlier attempt whose filing failed: no last look, no relay, only the filing.
    const again = await read(client, folders.drafts, found.uid, true);
    if (!again) throw changing(ref);
    draft = again;
  } else {
    await sending.beforeSubmit?.();
    // Found again and read after the last look, not before it: a mail client saves an edited
    // draft as a new message and expunges the one found (imap.ts), and reading first sent the
    // text the user had just replaced, filed it in Sent and left their edit in Drafts, unsent; a
    // draft deleted meanwhile went all the same (imap-edit-while-sending.int.test.ts). Where the
    // message still is, this is two UID SEARCHes: its UID, then every copy of it.
    const now = await foundAndRead(client, folders, ref);
    if ('sentRef' in now) return now.sentRef;
    found = now.found;
    draft = now.draft;
    superseded = now.superseded;
  }
  // Dated when it leaves, not when it was drafted; the copy in Sent says the same.
  const outgoing = datedAt(draft.raw, Date.now());
  let marked = draft.relayed;
  let refused: readonly DeliveryFailure[] = [];
  if (!draft.relayed) {
    // Recipients come from the draft's To and Cc only; a Bcc line never leaves the mailbox.
    refused = await sending.relay.send(stripHeader(outgoing, 'bcc'), envelopeOf(draft.raw, ref));
    if (draft.canMark) {
      const uid = found.uid;
      await inFolder(client, folders.drafts, () => client.messageFlagsAdd(String(uid), [RELAYED], { uid: true }));
      marked = true;
    }
  }
  const sent = sending.serverFilesSent ? await findIn(client, folders.sent, ref.messageId) : await fileInSent(client, folders.sent, outgoing, ref, marked);
  // The earlier versions go with it: left, one would stand in Drafts as if unsent until the mail
  // client's second step, and for good if that never comes (a retry's lookup would find it).
  await remove(client, folders.drafts, [found.uid, ...superseded]);
  if (refused.length > 0) sending.onRecipientsRefused?.(refused);
  return refOf(sent ?? found, ref.messageId);
}

interface Draft {
  readonly raw: Buffer;
  readonly relayed: boolean;
  readonly canMark: boolean;
}
type Located = NonNullable<Awaited<ReturnType<typeof locate>>>;

/**
 * The draft behind `ref` as it stands now, or the ref of it in Sent. Gone between the lookup and
 * the FETCH (the mail client expunged it saving an edit again): looked up once more, as readMessage.
 *
 * Its newest version: a mail client saves an edit in two steps, an APPEND of the new version and
 * then \Deleted and EXPUNGE of the old (IMAP has no replace: thunderbird/thunderbird-android#2060,
 * "We create a new one and delete the old draft"; stalwartlabs/stalwart#234 for Thunderbird;
 * nextcloud/mail#3600), and a send that looks in between finds both. Found by the UID alone, the
 * old one left, the edit stayed in Drafts unsent (imap-edit-while-sending.int.test.ts). Every copy
 * under our Message-ID or X-Ringback-Ref is looked for, and the highest UID is the last appended
 * (RFC 3501 §2.3.1.1: UIDs ascend in the order messages are added); which copy goes, and which
 * go with it (`superseded`), as on Maildir: draft-versions.ts.
 */
async function foundAndRead(client: ImapFlow, folders: ImapFolders, ref: DraftRef): Promise<{ found: Located; draft: Draft; superseded: number[] } | { sentRef: DraftRef }> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const located = await locate(client, folders, ref);
    if (!located) throw gone(ref);
    if (located.state === 'sent') return { sentRef: refOf(located, ref.messageId) };
    const copies = await search(client, folders.drafts, ref.messageId);
    const uids = copies.uidValidity === located.uidValidity ? [...new Set([...copies.uids, located.uid])].sort((a, b) => b - a) : [located.uid];
    // Each copy read once; one expunged since the search (the client's second step) is out of the running.
    const drafts = new Map<number, Draft>();
    for (const uid of uids) {
      const draft = await read(client, folders.drafts, uid, true);
      if (draft) drafts.set(uid, draft);
    }
    if (!drafts.has(located.uid)) continue;
    const toOf = (uid: number): string | null => {
      const draft = drafts.get(uid);
      return draft ? addresseesOf(draft.raw) : null;
    };
    const { send, superseded } = versionToSend([...drafts.keys()], located.uid, toOf);
    const draft = drafts.get(send);
    if (!draft) continue;
    return { found: { ...located, uid: send }, draft, superseded };
  }
  throw changing(ref);
}

/** The draft at `uid` (its text only with `source`); null when it is no longer there. */
async function read(client: ImapFlow, drafts: string, uid: number, source: boolean): Promise<Draft | null> {
  return inFolder(client, drafts, async () => {
    const message = await client.fetchOne(String(uid), { source, flags: true }, { uid: true });
    if (!message || message.flags?.has('\\Deleted') || (source && !message.source)) return null;
    const canMark = client.mailbox ? (client.mailbox.permanentFlags?.has('\\*') ?? false) : false;
    return { raw: message.source ?? Buffer.alloc(0), relayed: message.flags?.has(RELAYED) ?? false, canMark };
  });
}

function gone(ref: DraftRef): PermanentError {
  return new PermanentError(`draft ${ref.messageId} is no longer in Drafts: deleted in the mail client`);
}

function changing(ref: DraftRef): TransientError {
  return new TransientError(`draft ${ref.messageId} changed while it was being sent`);
}

/**
 * Files the relayed message in Sent. The message has left by now: a refusal here is no fault of
 * the email, and failing the send for good would report as failed a confirmation the interviewer
 * has. A draft marked relayed is never relayed again, so the refusal is made transient and the
 * retry files it (or finds Sent gone and parks the send with the account: Dovecot answers an
 * APPEND racing with the folder's removal a plain "NO Mailbox was deleted under us", a later one
 * "[TRYCREATE]"). A draft that could not be marked stays as it was: a retry would relay it again.
 */
async function fileInSent(client: ImapFlow, sent: string, outgoing: Buffer, ref: DraftRef, marked: boolean) {
  try {
    return await append(client, sent, outgoing, ['\\Seen'], ref.messageId);
  } catch (error) {
    const failure = imapError(error, `filing in ${sent}`);
    if (!marked || failure instanceof TransientError || failure instanceof AccountUnusableError) throw failure;
    throw new TransientError(`${ref.messageId} was sent but not filed in ${sent} (${failure.message}); it is filed on the next try, not sent again`, { cause: error });
  }
}
