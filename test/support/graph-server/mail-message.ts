/**
 * A message as the local Graph server keeps it (Graph's JSON fields, as Exchange keeps an item's
 * properties), and the two forms Graph gives it out in: the JSON resource, and the MIME content
 * of `GET /me/messages/{id}/$value`, which Exchange builds from those properties on request.
 */
import MailComposer from 'nodemailer/lib/mail-composer';

export type Folder = 'drafts' | 'sentitems' | 'inbox' | 'deleteditems';

export interface Address {
  readonly name: string;
  readonly address: string;
}

export interface Message {
  readonly immutableId: string;
  folder: Folder;
  isDraft: boolean;
  internetMessageId: string;
  readonly conversationId: string;
  subject: string;
  body: { contentType: string; content: string };
  toRecipients: Address[];
  ccRecipients: Address[];
  bccRecipients: Address[];
  from: Address | null;
  readonly headers: ReadonlyArray<{ name: string; value: string }>;
  /** Single-value extended properties (MAPI named properties), kept by the Sent Items copy. */
  extendedProperties: Array<{ id: string; value: string }>;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly createdDateTime: string;
  lastModifiedDateTime: string;
  receivedDateTime: string;
  sentDateTime: string | null;
  /** The MIME content as it arrived from outside, when it did (a delivery report): `$value` gives it as is. */
  readonly mime?: Buffer;
}

export function folderId(folder: Folder): string {
  return `AQMkADfolder${folder.toUpperCase()}AAA=`;
}

/** The same folder under another encoding of its id (see `Mail.parentFolderIdForm`). */
export function otherFolderId(folder: Folder): string {
  return `AAMkADentry${folder.toUpperCase()}AAA=`;
}

/** The message resource; without ImmutableId its id names the folder too. */
export function jsonView(message: Message, immutable: boolean, parentFolderIdOf: (folder: Folder) => string = folderId): Record<string, unknown> {
  return {
    id: immutable ? message.immutableId : Buffer.from(`${message.immutableId}|${message.folder}`).toString('base64url'),
    createdDateTime: message.createdDateTime,
    lastModifiedDateTime: message.lastModifiedDateTime,
    receivedDateTime: message.receivedDateTime,
    sentDateTime: message.sentDateTime,
    subject: message.subject,
    bodyPreview: text(message.body).slice(0, 255),
    body: message.body,
    isDraft: message.isDraft,
    parentFolderId: parentFolderIdOf(message.folder),
    conversationId: message.conversationId,
    internetMessageId: message.internetMessageId,
    from: message.from ? { emailAddress: message.from } : null,
    sender: message.from ? { emailAddress: message.from } : null,
    toRecipients: message.toRecipients.map((r) => ({ emailAddress: r })),
    ccRecipients: message.ccRecipients.map((r) => ({ emailAddress: r })),
    bccRecipients: message.bccRecipients.map((r) => ({ emailAddress: r })),
    replyTo: [],
    // Custom headers "just do not exist on the copy in Sent Items"
    // (https://github.com/microsoftgraph/microsoft-graph-docs/issues/2716, and again in
    // https://github.com/microsoftgraph/microsoft-graph-docs/issues/18761); its MIME keeps them.
    ...(message.folder === 'sentitems' ? {} : { internetMessageHeaders: message.headers }),
  };
}

/**
 * The message as RFC 5322, as Exchange writes it: its Message-ID, From/To/Cc (never Bcc), subject,
 * threading headers and custom `x-` headers; an HTML body goes out as multipart/alternative with
 * a plain-text part beside it.
 */
export async function mimeView(message: Message): Promise<Buffer> {
  if (message.mime) return message.mime;
  const body = message.body.contentType === 'html' ? { text: text(message.body), html: message.body.content } : { text: message.body.content };
  return await new MailComposer({
    messageId: message.internetMessageId,
    date: new Date(message.sentDateTime ?? message.lastModifiedDateTime),
    subject: message.subject,
    ...(message.from ? { from: message.from } : {}),
    ...(message.toRecipients.length > 0 ? { to: message.toRecipients } : {}),
    ...(message.ccRecipients.length > 0 ? { cc: message.ccRecipients } : {}),
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    ...(message.references.length > 0 ? { references: [...message.references] } : {}),
    headers: message.headers.map(({ name, value }) => ({ key: name, value })),
    ...body,
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}

/** A body as plain text: HTML tags dropped, line breaks kept, entities decoded. */
export function text(body: { contentType: string; content: string }): string {
  if (body.contentType !== 'html') return body.content;
  return body.content
    .replace(/<head[\s\S]*?<\/head>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}
