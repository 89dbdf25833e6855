/**
 * Sending an IMAP draft: relay it through SMTP once, file it in Sent, remove the draft. Each step
 * is found done again by a retry (imap.ts says how), so that nothing is sent twice.
 */
import type { ImapFlow } from 'imapflow';
import { PermanentError, TransientError } from '../errors.js';
import type { ImapFolders } from './imap-connection.js';
import { append, findIn, inFolder, locate, refOf, remove } from './imap-messages.js';
import { datedAt, stripHeader } from './mime.js';
import { envelopeOf, type SmtpRelay } from './smtp.js';
import type { DraftRef } from './types.js';

/** Keyword put on a draft once the SMTP server accepted it. */
const RELAYED = '$RingbackRelayed';

export interface ImapSending {
  readonly relay: SmtpRelay;
  /** True when the provider files sent mail in Sent itself (Gmail): no APPEND to Sent. */
  readonly serverFilesSent: boolean;
}

export async function sendDraft(client: ImapFlow, folders: ImapFolders, ref: DraftRef, sending: ImapSending): Promise<DraftRef> {
  const found = await locate(client, folders, ref);
  if (!found) throw new PermanentError(`draft ${ref.messageId} is no longer in Drafts: deleted in the mail client`);
  if (found.state === 'sent') return refOf(found, ref.messageId);
  const filed = await findIn(client, folders.sent, ref.messageId);
  if (filed) {
    // Sent and filed by an earlier attempt that lost its connection before removing the draft.
    await remove(client, folders.drafts, [found.uid]);
    return refOf(filed, ref.messageId);
  }
  const draft = await inFolder(client, folders.drafts, async () => {
    const message = await client.fetchOne(String(found.uid), { source: true, flags: true }, { uid: true });
    const canMark = client.mailbox ? (client.mailbox.permanentFlags?.has('\\*') ?? false) : false;
    return message && message.source ? { raw: message.source, relayed: message.flags?.has(RELAYED) ?? false, canMark } : null;
  });
  if (!draft) throw new TransientError(`draft ${ref.messageId} changed while it was being sent`);
  // Dated when it leaves, not when it was drafted; the copy in Sent says the same.
  const outgoing = datedAt(draft.raw, Date.now());
  if (!draft.relayed) {
    // Recipients come from the draft's To and Cc only; a Bcc line never leaves the mailbox.
    await sending.relay.send(stripHeader(outgoing, 'bcc'), envelopeOf(draft.raw, ref));
    if (draft.canMark) {
      await inFolder(client, folders.drafts, () => client.messageFlagsAdd(String(found.uid), [RELAYED], { uid: true }));
    }
  }
  const sent = sending.serverFilesSent
    ? await findIn(client, folders.sent, ref.messageId)
    : await append(client, folders.sent, outgoing, ['\\Seen'], ref.messageId);
  await remove(client, folders.drafts, [found.uid]);
  return refOf(sent ?? found, ref.messageId);
}
