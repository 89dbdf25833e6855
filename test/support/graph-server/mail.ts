/**
 * The mail side of the local Graph server, as Exchange Online behaves towards Graph:
 * - `POST /me/messages` writes a draft into Drafts, keeping the `internetMessageId` it is given
 *   (generating one otherwise) and custom `internetMessageHeaders` (only `x-` names);
 * - `POST /me/messages/{id}/createReply` writes a reply draft in the same conversation, with
 *   In-Reply-To and References set and the original's sender as its recipient;
 * - `PATCH` updates a draft (a sent message's content cannot change), `DELETE` moves a message to
 *   Deleted Items (and deletes it for good from there), `/send` files the draft in Sent Items;
 * - ids: with `Prefer: IdType="ImmutableId"` a message keeps its id across folders; without it the
 *   id names the folder too, so that a draft's id no longer finds it once it has moved to Sent;
 * - `GET /me/mailFolders/{folder}/messages` with `$filter`, `$top` and `$skip`;
 * - `GET /me/messages/{id}/$value`: the message's MIME content (`text/plain`), built from its
 *   properties (`mail-message.ts`), so that it shows the user's edits.
 *
 * A user's edit in Outlook keeps the draft's id and its internetMessageId (only the body and the
 * modification time change): {@link Mail.userEditsDraft} does the same.
 *
 * Single-value extended properties are set on create or by PATCH and filtered with
 * `singleValueExtendedProperties/Any(…)` (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-post-singlevalueextendedproperties,
 * https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get); the copy in
 * Sent Items keeps them, which is how Microsoft says to find a sent message again: "tag the message
 * with a custom identifier, then find it in Sent Items after you've sent it"
 * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/3766). It does not keep custom
 * `internetMessageHeaders` in its JSON (see mail-message.ts).
 */
import { escapeHtml, folderId, jsonView as messageView, mimeView, otherFolderId, text, type Address, type Folder, type Message } from './mail-message.js';
import { headerFields, readHeaders } from '../../../src/providers/mail/mime.js';
import { matches, ODataError, parseFilter } from './odata.js';
import { graphError, json, parseJson, randomId, type Call, type Reply } from './types.js';

const FOLDERS: readonly Folder[] = ['drafts', 'sentitems', 'inbox', 'deleteditems'];

/** One message as it left through /send. */
export interface SentRecord {
  readonly internetMessageId: string;
  readonly subject: string;
  readonly recipients: readonly string[];
  readonly text: string;
  readonly inReplyTo: string | null;
}

const MESSAGE_ID = /^<[^<>\s]+@[^<>\s]+>$/;

/**
 * How `/send` delivers, when not at once. Real Exchange answers `/send` with 202 Accepted and no
 * body, and files the copy in Sent Items only once transport has taken the message: "A 202 Accepted
 * is the expected response for the send mail API" (https://github.com/microsoftgraph/msgraph-sdk-powershell/issues/1834;
 * https://learn.microsoft.com/en-us/graph/api/message-send), and "getting the message from Sent
 * Items might not succeed immediately after sending it: the copy is not created until the message
 * is sent, which can take time" (https://learn.microsoft.com/en-us/graph/outlook-immutable-id,
 * "Immutable ID with sending mail"). Until then the draft stays in Drafts.
 */
export interface SendDelivery {
  /** How long the draft stays in Drafts after the 202. */
  readonly delayMs: number;
  /** The copy in Sent Items gets a new id (the draft's id no longer finds it). */
  readonly newId: boolean;
  /**
   * The copy gets a new internetMessageId (and leaves with it), as a server that writes its own Message-ID on send
   * (classic Outlook sending a draft with a new Message-ID; Gmail, which does not promise to keep
   * it) would leave it.
   */
  readonly rewriteMessageId: boolean;
}

export class Mail {
  readonly sent: SentRecord[] = [];
  /** Null: `/send` files the draft in Sent Items at once (as does a `delayMs` of 0). */
  sendDelivery: SendDelivery | null = null;
  /**
   * How a message's `parentFolderId` is written. Graph documents it as "the unique identifier for
   * the message's parent mailFolder" and by default it is the id `/me/mailFolders/{name}` answers
   * with; no document promises the same encoding, and folders have no immutable ids of their own
   * (https://github.com/microsoftgraph/microsoft-graph-docs/issues/5825), so `'other'` writes the
   * same folder under another encoding, for the adapter to prove it does not rely on the match.
   */
  parentFolderIdForm: 'same' | 'other' = 'same';
  readonly #messages = new Map<string, Message>();
  /** The Message-ID a client gave each message that left with one Exchange wrote, by the new one. */
  readonly #given = new Map<string, string>();

  constructor(
    private readonly apiRoot: string,
    private readonly owner: Address,
  ) {}

  handle(call: Call, path: string): Reply | Promise<Reply> | null {
    const immutable = /IdType="ImmutableId"/i.test(call.headers['prefer'] ?? '');
    const folderMatch = /^\/me\/mailFolders\/([^/]+)(\/messages)?$/.exec(path);
    if (folderMatch && call.method === 'GET') {
      const folder = this.#folder(decodeURIComponent(folderMatch[1]!));
      if (!folder) return graphError(404, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      return folderMatch[2] ? this.#list(call, folder, immutable) : json(200, { id: folderId(folder), displayName: folder, wellKnownName: folder });
    }
    if (path === '/me/messages' && call.method === 'POST') return this.#create(call, immutable);
    const itemMatch = /^\/me\/messages\/([^/]+)(\/createReply|\/send|\/\$value)?$/.exec(path);
    if (!itemMatch) return null;
    const message = this.#find(decodeURIComponent(itemMatch[1]!));
    if (!message) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const action = itemMatch[2];
    if (action === '/createReply' && call.method === 'POST') return this.#reply(message, immutable);
    if (action === '/send' && call.method === 'POST') return this.#send(message);
    if (action === '/$value' && call.method === 'GET') return mimeView(message).then((mime) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: mime }));
    if (action !== undefined) return graphError(405, 'ErrorInvalidRequest', 'Method not allowed.');
    if (call.method === 'GET') return json(200, withHeadersIfSelected(this.#view(message, immutable), call.url.searchParams));
    if (call.method === 'PATCH') return this.#patch(call, message, immutable);
    if (call.method === 'DELETE') {
      this.#delete(message);
      return { status: 204 };
    }
    return graphError(405, 'ErrorInvalidRequest', 'Method not allowed.');
  }

  /* What happens outside ringback. */


  /** The user edits the draft in Outlook: new body, same id, same internetMessageId. */
  userEditsDraft(id: string, text: string): void {
    const message = this.#find(id);
    if (!message || message.folder !== 'drafts') throw new Error(`test server: no draft ${id}`);
    message.body = { contentType: 'html', content: `<html><body><div>${escapeHtml(text)}</div></body></html>` };
    message.lastModifiedDateTime = new Date().toISOString();
  }

  /** The user adds a recipient to the draft in Outlook: same id, same internetMessageId, the body kept. */
  userAddressesDraft(id: string, to: Address): void {
    const message = this.#find(id);
    if (!message || message.folder !== 'drafts') throw new Error(`test server: no draft ${id}`);
    message.toRecipients = [...message.toRecipients, to];
    message.lastModifiedDateTime = new Date().toISOString();
  }

  /** The user deletes the draft in Outlook: it goes to Deleted Items. */
  userDeletesDraft(id: string): void {
    const message = this.#find(id);
    if (!message || message.folder !== 'drafts') throw new Error(`test server: no draft ${id}`);
    this.#delete(message);
  }

  /** A message arrives in the inbox; Exchange files it in the conversation of the message it answers. */
  deliverReply(options: { from: string; inReplyTo: string; subject: string; date: number }): string {
    // Named by the Message-ID ringback gave it; the counterpart answers the one it received.
    const original = [...this.#messages.values()].find((m) => m.internetMessageId === options.inReplyTo || this.#given.get(m.internetMessageId) === options.inReplyTo);
    const inReplyTo = original?.internetMessageId ?? options.inReplyTo;
    const internetMessageId = `<${randomId(16)}@${options.from.split('@')[1] ?? 'sender.example'}>`;
    const at = new Date(options.date).toISOString();
    this.#add({
      folder: 'inbox',
      isDraft: false,
      internetMessageId,
      conversationId: original?.conversationId ?? conversationIdNew(),
      subject: options.subject,
      body: { contentType: 'text', content: 'Thanks, talk soon.' },
      toRecipients: [this.owner],
      ccRecipients: [],
      bccRecipients: [],
      from: { name: '', address: options.from },
      headers: [],
      extendedProperties: [],
      inReplyTo,
      references: [inReplyTo],
      createdDateTime: at,
      lastModifiedDateTime: at,
      receivedDateTime: at,
      sentDateTime: at,
    });
    return internetMessageId;
  }

  /**
   * A message arrives in the inbox exactly as given (a delivery report, say), received at `date`:
   * its subject and sender read from its headers, its MIME content kept for `$value`. Exchange's
   * own reports come from its system mailbox as "Undeliverable: …"
   * (https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online).
   */
  deliverRaw(raw: Buffer, date: number): string {
    const headers = readHeaders(raw);
    const at = new Date(date).toISOString();
    return this.#add({
      folder: 'inbox',
      isDraft: false,
      internetMessageId: headers.messageId ?? generatedMessageId(),
      conversationId: conversationIdNew(),
      subject: headers.subject,
      body: { contentType: 'text', content: '' },
      toRecipients: [this.owner],
      ccRecipients: [],
      bccRecipients: [],
      from: { name: '', address: headers.from[0] ?? '' },
      // A received message's internetMessageHeaders are the headers it arrived with, transport
      // headers included (https://learn.microsoft.com/en-us/graph/api/resources/internetmessageheader),
      // less the address headers, which Graph leaves out of them and gives as properties
      // (https://github.com/microsoftgraph/microsoft-graph-docs/issues/3066).
      headers: headerFields(raw)
        .filter(([name]) => !['from', 'to', 'cc', 'bcc', 'sender'].includes(name))
        .map(([name, value]) => ({ name, value })),
      inReplyTo: headers.inReplyTo[0] ?? null,
      references: headers.references,
      createdDateTime: at,
      lastModifiedDateTime: at,
      receivedDateTime: at,
      sentDateTime: at,
      mime: raw,
      extendedProperties: [],
    }).immutableId;
  }

  /** How many times a message with this internetMessageId left through /send. */
  sentCount(internetMessageId: string): number {
    return this.sentMessages(internetMessageId).length;
  }

  sentMessages(internetMessageId: string): SentRecord[] {
    return this.sent.filter((record) => record.internetMessageId === internetMessageId);
  }

  /** The folders holding a message with this internetMessageId. */
  folderOf(internetMessageId: string): Folder[] {
    return [...this.#messages.values()].filter((m) => m.internetMessageId === internetMessageId).map((m) => m.folder);
  }

  /* The API. */

  #view(message: Message, immutable: boolean): Record<string, unknown> {
    return messageView(message, immutable, this.parentFolderIdForm === 'same' ? folderId : otherFolderId);
  }


  #create(call: Call, immutable: boolean): Reply {
    const body = parseJson(call);
    const headers = Array.isArray(body.internetMessageHeaders) ? (body.internetMessageHeaders as Array<{ name: string; value: string }>) : [];
    const bad = headers.find((h) => typeof h.name !== 'string' || !h.name.toLowerCase().startsWith('x-'));
    if (bad) return graphError(400, 'InvalidInternetMessageHeader', `The internet message header name '${String(bad.name)}' should start with 'x-' or 'X-'.`);
    const given = body.internetMessageId;
    if (given !== undefined && (typeof given !== 'string' || !MESSAGE_ID.test(given))) {
      return graphError(400, 'ErrorInvalidInternetMessageId', 'The internet message id is invalid.');
    }
    const properties = extendedProperties(body.singleValueExtendedProperties);
    if (properties === null) return graphError(400, 'BadRequest', 'Invalid singleValueExtendedProperties.');
    const now = new Date().toISOString();
    const message = this.#add({
      folder: 'drafts',
      isDraft: true,
      internetMessageId: typeof given === 'string' ? given : generatedMessageId(),
      conversationId: conversationIdNew(),
      subject: typeof body.subject === 'string' ? body.subject : '',
      body: itemBody(body.body) ?? { contentType: 'text', content: '' },
      toRecipients: recipients(body.toRecipients),
      ccRecipients: recipients(body.ccRecipients),
      bccRecipients: recipients(body.bccRecipients),
      from: this.owner,
      headers,
      extendedProperties: properties,
      inReplyTo: null,
      references: [],
      createdDateTime: now,
      lastModifiedDateTime: now,
      receivedDateTime: now,
      sentDateTime: null,
    });
    return json(201, this.#view(message, immutable));
  }

  #reply(original: Message, immutable: boolean): Reply {
    const now = new Date().toISOString();
    const message = this.#add({
      folder: 'drafts',
      isDraft: true,
      internetMessageId: generatedMessageId(),
      conversationId: original.conversationId,
      subject: `RE: ${original.subject}`,
      body: { contentType: 'html', content: `<html><body><hr><div>${escapeHtml(text(original.body))}</div></body></html>` },
      toRecipients: original.from ? [original.from] : [],
      ccRecipients: [],
      bccRecipients: [],
      from: this.owner,
      headers: [],
      extendedProperties: [],
      inReplyTo: original.internetMessageId,
      references: [...original.references, original.internetMessageId],
      createdDateTime: now,
      lastModifiedDateTime: now,
      receivedDateTime: now,
      sentDateTime: null,
    });
    return json(201, this.#view(message, immutable));
  }

  #patch(call: Call, message: Message, immutable: boolean): Reply {
    const body = parseJson(call);
    if ('internetMessageHeaders' in body) return graphError(400, 'ErrorInvalidPropertyUpdate', 'Internet message headers can only be set on create.');
    const contentKeys = ['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'internetMessageId'];
    if (!message.isDraft && contentKeys.some((key) => key in body)) {
      return graphError(400, 'ErrorInvalidPropertyUpdateSentMessage', 'Update operation is invalid for property of a sent message.');
    }
    if ('internetMessageId' in body) {
      if (typeof body.internetMessageId !== 'string' || !MESSAGE_ID.test(body.internetMessageId)) {
        return graphError(400, 'ErrorInvalidInternetMessageId', 'The internet message id is invalid.');
      }
      message.internetMessageId = body.internetMessageId;
    }
    if ('singleValueExtendedProperties' in body) {
      const properties = extendedProperties(body.singleValueExtendedProperties);
      if (properties === null) return graphError(400, 'BadRequest', 'Invalid singleValueExtendedProperties.');
      for (const property of properties) {
        const kept = message.extendedProperties.find((p) => p.id.toLowerCase() === property.id.toLowerCase());
        if (kept) kept.value = property.value;
        else message.extendedProperties.push(property);
      }
    }
    if (typeof body.subject === 'string') message.subject = body.subject;
    const content = itemBody(body.body);
    if (content) message.body = content;
    if ('toRecipients' in body) message.toRecipients = recipients(body.toRecipients);
    if ('ccRecipients' in body) message.ccRecipients = recipients(body.ccRecipients);
    if ('bccRecipients' in body) message.bccRecipients = recipients(body.bccRecipients);
    message.lastModifiedDateTime = new Date().toISOString();
    return json(200, this.#view(message, immutable));
  }

  #send(message: Message): Reply {
    if (!message.isDraft || message.folder !== 'drafts') return graphError(400, 'ErrorInvalidOperation', 'Only a draft can be sent.');
    const all = [...message.toRecipients, ...message.ccRecipients, ...message.bccRecipients];
    if (all.length === 0) return graphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid.');
    this.sent.push({
      internetMessageId: message.internetMessageId,
      subject: message.subject,
      recipients: all.map((r) => r.address.toLowerCase()),
      text: text(message.body),
      // Counted under the Message-IDs ringback gave, whatever they left with.
      inReplyTo: message.inReplyTo === null ? null : (this.#given.get(message.inReplyTo) ?? message.inReplyTo),
    });
    const delivery = this.sendDelivery;
    if (!delivery) {
      this.#file(message);
      return { status: 202 };
    }
    const deliver = (): void => {
      // Deleted, or already filed by an earlier /send of the same draft, meanwhile.
      if (this.#messages.get(message.immutableId) !== message || message.folder !== 'drafts') return;
      const copy: Message = {
        ...message,
        immutableId: delivery.newId ? randomId(24) : message.immutableId,
        internetMessageId: delivery.rewriteMessageId ? `<${randomId(20)}@${this.owner.address.split('@')[1] ?? 'outlook.example'}>` : message.internetMessageId,
        extendedProperties: message.extendedProperties.map((p) => ({ ...p })),
      };
      if (copy.internetMessageId !== message.internetMessageId) this.#given.set(copy.internetMessageId, message.internetMessageId);
      this.#messages.delete(message.immutableId);
      this.#messages.set(copy.immutableId, copy);
      this.#file(copy);
    };
    if (delivery.delayMs <= 0) {
      deliver();
      return { status: 202 };
    }
    setTimeout(deliver, delivery.delayMs).unref();
    return { status: 202 };
  }

  /** Files a message that left in Sent Items. */
  #file(message: Message): void {
    const now = new Date().toISOString();
    message.folder = 'sentitems';
    message.isDraft = false;
    message.sentDateTime = now;
    message.receivedDateTime = now;
    message.from = this.owner;
  }

  #delete(message: Message): void {
    if (message.folder === 'deleteditems') this.#messages.delete(message.immutableId);
    else message.folder = 'deleteditems';
  }

  #list(call: Call, folder: Folder, immutable: boolean): Reply {
    const query = call.url.searchParams;
    let filter;
    try {
      filter = parseFilter(query.get('$filter') ?? '');
    } catch (error) {
      if (error instanceof ODataError && (query.get('$filter') ?? '') !== '') return graphError(400, 'BadRequest', error.message);
      filter = null;
    }
    const top = Number(query.get('$top') ?? '10');
    const skip = Number(query.get('$skip') ?? '0');
    const all = [...this.#messages.values()]
      .filter((m) => m.folder === folder)
      // Extended properties can be filtered on; they are returned only when asked for with $expand.
      .filter((m) => filter === null || matches(filter, { ...this.#view(m, immutable), singleValueExtendedProperties: m.extendedProperties }))
      .map((m) => withHeadersIfSelected(this.#view(m, immutable), query));
    const body: Record<string, unknown> = { value: all.slice(skip, skip + top) };
    if (skip + top < all.length) {
      const kept = [...query.entries()].filter(([key]) => key !== '$skip').map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
      body['@odata.nextLink'] = `${this.apiRoot}/me/mailFolders/${folder}/messages?${[...kept, `$skip=${skip + top}`].join('&')}`;
    }
    return json(200, body);
  }

  #add(fields: Omit<Message, 'immutableId'>): Message {
    const message: Message = { immutableId: `AAkALg${randomId(24)}`, ...fields };
    this.#messages.set(message.immutableId, message);
    return message;
  }

  #find(id: string): Message | undefined {
    const byImmutable = this.#messages.get(id);
    if (byImmutable) return byImmutable;
    const [immutableId, folder] = Buffer.from(id, 'base64url').toString('utf8').split('|');
    const message = immutableId === undefined ? undefined : this.#messages.get(immutableId);
    return message && message.folder === folder ? message : undefined;
  }

  #folder(name: string): Folder | null {
    const known = FOLDERS.find((f) => f === name.toLowerCase() || folderId(f) === name || otherFolderId(f) === name);
    return known ?? null;
  }
}

/**
 * Graph returns a message's `internetMessageHeaders` "only on applying a $select query option"
 * (https://learn.microsoft.com/en-us/graph/api/resources/message): a GET or a listing that does not
 * name them gets none.
 */
function withHeadersIfSelected(view: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const selected = (query.get('$select') ?? '').split(',').map((name) => name.trim().toLowerCase());
  if (selected.includes('internetmessageheaders')) return view;
  const { internetMessageHeaders: _left, ...rest } = view;
  return rest;
}

function conversationIdNew(): string {
  return `AAQkAD${randomId(20)}=`;
}

function generatedMessageId(): string {
  return `<${randomId(20)}@PH0PR11MB0000.namprd11.prod.outlook.example>`;
}

function recipients(value: unknown): Address[] {
  if (!Array.isArray(value)) return [];
  return value.map((entry) => {
    const email = (entry as { emailAddress?: { name?: unknown; address?: unknown } }).emailAddress;
    return { name: typeof email?.name === 'string' ? email.name : '', address: typeof email?.address === 'string' ? email.address : '' };
  });
}

/** `[{ id, value }]` with string ids and values, or null when malformed. */
function extendedProperties(value: unknown): Array<{ id: string; value: string }> | null {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return null;
  const properties: Array<{ id: string; value: string }> = [];
  for (const entry of value as Array<{ id?: unknown; value?: unknown }>) {
    if (typeof entry?.id !== 'string' || typeof entry.value !== 'string') return null;
    properties.push({ id: entry.id, value: entry.value });
  }
  return properties;
}

function itemBody(value: unknown): { contentType: string; content: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { contentType, content } = value as { contentType?: unknown; content?: unknown };
  if (typeof content !== 'string') return null;
  return { contentType: typeof contentType === 'string' ? contentType.toLowerCase() : 'text', content };
}
