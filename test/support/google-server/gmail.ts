/**
 * Gmail v1 in memory: drafts (create, get, list, update, delete, send), messages (list with a
 * search, get), threads (get) and the profile, as the API reference and the drafts guide say:
 *
 * - A draft is a container with a stable id; every update replaces the message inside it (new
 *   message id); sending removes the draft and files a new message (new id) under SENT.
 * - A message joins the `threadId` it names only when its In-Reply-To/References name a message
 *   of that thread and the subjects match (ignoring Re:/Fwd:); otherwise it starts a thread.
 *   A `threadId` that does not exist answers 404.
 * - Search supports the operators ringback uses: `rfc822msgid:`, `in:sent|drafts|inbox|trash|
 *   spam|anywhere` (and `-in:` to leave a folder out), `from:`, `to:`, `after:`, `before:`. Anything else is refused with 400, so a
 *   typo in the adapter fails loudly. Trash and spam are left out unless `includeSpamTrash`.
 *
 * Pinned for the user-side helpers: editing a draft in Gmail's web UI keeps the draft id and the
 * thread, writes a new message (new message id) whose Message-ID Gmail's composer makes up
 * (`<CA…@mail.gmail.com>`) unless told to keep it, and drops unknown headers such as
 * X-Ringback-Ref. Discarding a draft deletes it for good.
 */
import { randomBytes } from 'node:crypto';
import { readHeaders, type MessageHeaders } from '../../../src/providers/mail/mime.js';
import { ApiError, badRequest, jsonBody, notFound, ok, type ApiRequest, type ApiResponse } from './http.js';

interface StoredMessage {
  readonly id: string;
  readonly threadId: string;
  readonly labelIds: Set<string>;
  readonly raw: Buffer;
  readonly headers: MessageHeaders;
  readonly internalDate: number;
}

export interface SentRecord {
  readonly messageId: string | null;
  readonly gmailId: string;
  readonly threadId: string;
  readonly raw: Buffer;
  readonly at: number;
}

export class FakeGmail {
  readonly #messages = new Map<string, StoredMessage>();
  /** draft id → message id */
  readonly #drafts = new Map<string, string>();
  readonly #sent: SentRecord[] = [];
  #counter = BigInt(`0x18f${randomBytes(5).toString('hex')}`);
  #history = 1000;

  /**
   * Sends with a Message-ID of Gmail's own, the original kept as X-Google-Original-Message-ID, as
   * reported of Gmail's SMTP (https://github.com/xhit/go-simple-mail/issues/47) and of mail sent
   * through Gmail (https://github.com/zkemail/email-wallet/issues/81); Google does not document
   * that drafts.send keeps the Message-ID it is given.
   */
  rewriteMessageIdOnSend = false;

  constructor(readonly userEmail: string) {}

  /** Every message sent through drafts.send, in order. */
  get sent(): readonly SentRecord[] {
    return this.#sent;
  }

  /** How many times a message with this Message-ID went out. */
  sentCount(messageId: string): number {
    return this.#sent.filter((record) => record.messageId === messageId).length;
  }

  /** The drafts as they stand, with their Message-IDs and decoded text (for assertions). */
  drafts(): Array<{ draftId: string; gmailId: string; threadId: string; messageId: string | null; raw: Buffer }> {
    return [...this.#drafts].map(([draftId, gmailId]) => {
      const message = this.#messages.get(gmailId)!;
      return { draftId, gmailId, threadId: message.threadId, messageId: message.headers.messageId, raw: message.raw };
    });
  }

  /** The user edits the draft in Gmail's web UI (see the pinned behaviour above). */
  userEditsDraft(draftId: string, text: string, options: { keepMessageId?: boolean } = {}): { messageId: string; gmailId: string } {
    const gmailId = this.#drafts.get(draftId);
    const old = gmailId ? this.#messages.get(gmailId) : undefined;
    if (!old) throw new Error(`fake gmail: no draft ${draftId} to edit`);
    const messageId = options.keepMessageId && old.headers.messageId ? old.headers.messageId : `<CA+${randomBytes(18).toString('base64url')}@mail.gmail.com>`;
    const kept = ['from', 'to', 'cc', 'subject', 'in-reply-to', 'references'];
    const lines = rawHeaderLines(old.raw).filter(([name]) => kept.includes(name.toLowerCase()));
    const raw = Buffer.from(
      [
        ...lines.map(([name, value]) => `${name}: ${value}`),
        `Date: ${new Date().toUTCString()}`,
        `Message-ID: ${messageId}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset="UTF-8"',
        '',
        text,
        '',
      ].join('\r\n'),
    );
    this.#messages.delete(old.id);
    const replaced = this.#store(raw, old.threadId, ['DRAFT']);
    this.#drafts.set(draftId, replaced.id);
    return { messageId, gmailId: replaced.id };
  }

  /**
   * The user writes a recipient into the draft in Gmail's web UI: saved as a new message of the
   * same draft, with a Message-ID of Gmail's own, as {@link userEditsDraft}; the body is kept.
   */
  userAddressesDraft(draftId: string, to: { readonly name: string; readonly email: string }): { messageId: string; gmailId: string } {
    const gmailId = this.#drafts.get(draftId);
    const old = gmailId ? this.#messages.get(gmailId) : undefined;
    if (!old) throw new Error(`fake gmail: no draft ${draftId} to address`);
    const messageId = `<CA+${randomBytes(18).toString('base64url')}@mail.gmail.com>`;
    const kept = ['from', 'cc', 'subject', 'in-reply-to', 'references', 'mime-version', 'content-type', 'content-transfer-encoding'];
    const lines = rawHeaderLines(old.raw).filter(([name]) => kept.includes(name.toLowerCase()));
    const before = rawHeaderLines(old.raw).filter(([name]) => name.toLowerCase() === 'to').map(([, value]) => value);
    const text = old.raw.toString('utf8');
    const bodyAt = text.search(/\r?\n\r?\n/);
    const body = bodyAt === -1 ? '' : text.slice(bodyAt).replace(/^\r?\n\r?\n/, '');
    const raw = Buffer.from(
      [
        ...lines.map(([name, value]) => `${name}: ${value}`),
        `To: ${[...before, `"${to.name}" <${to.email}>`].join(', ')}`,
        `Date: ${new Date().toUTCString()}`,
        `Message-ID: ${messageId}`,
        '',
        body,
      ].join('\r\n'),
    );
    this.#messages.delete(old.id);
    const replaced = this.#store(raw, old.threadId, ['DRAFT']);
    this.#drafts.set(draftId, replaced.id);
    return { messageId, gmailId: replaced.id };
  }

  /** The user discards the draft in Gmail. */
  userDeletesDraft(draftId: string): void {
    const gmailId = this.#drafts.get(draftId);
    if (!gmailId) throw new Error(`fake gmail: no draft ${draftId} to delete`);
    this.#drafts.delete(draftId);
    this.#messages.delete(gmailId);
  }

  /** The user sends the draft from Gmail: it leaves Drafts for Sent, as a send through the API does. */
  userSendsDraft(draftId: string): void {
    this.#send(draftId);
  }

  /** Mail arrives from someone else, answering `inReplyTo` (threaded as Gmail would). */
  deliverReply(reply: { from: string; inReplyTo: string; subject: string; date: number; text?: string }): { messageId: string; gmailId: string; threadId: string } {
    const messageId = `<reply-${randomBytes(8).toString('hex')}@example.com>`;
    const parent = [...this.#messages.values()].find((message) => message.headers.messageId === reply.inReplyTo);
    const references = parent ? [...parent.headers.references, reply.inReplyTo] : [reply.inReplyTo];
    const raw = Buffer.from(
      [
        `From: ${reply.from}`,
        `To: ${this.userEmail}`,
        `Subject: ${reply.subject}`,
        `Date: ${new Date(reply.date).toUTCString()}`,
        `Message-ID: ${messageId}`,
        `In-Reply-To: ${reply.inReplyTo}`,
        `References: ${references.join(' ')}`,
        'Content-Type: text/plain; charset="UTF-8"',
        '',
        reply.text ?? 'Thanks, talk soon.',
        '',
      ].join('\r\n'),
    );
    const threadId = parent && sameSubject(parent.headers.subject, reply.subject) ? parent.threadId : null;
    const stored = this.#store(raw, threadId, ['INBOX', 'UNREAD'], reply.date);
    return { messageId, gmailId: stored.id, threadId: stored.threadId };
  }

  /** A message arrives in the inbox exactly as given (a delivery report, say), received at `date`. */
  deliverRaw(raw: Buffer, date: number): string {
    return this.#store(raw, null, ['INBOX', 'UNREAD'], date).id;
  }

  handle(request: ApiRequest): ApiResponse | null {
    const [, , , users, userId, collection, id, action] = request.segments; // ['', 'gmail', 'v1', 'users', ...]
    if (users !== 'users' || userId === undefined) return null;
    if (userId !== 'me' && userId !== this.userEmail) throw new ApiError(403, 'forbidden', 'Delegation denied for ' + userId);
    const method = request.method;
    if (collection === 'profile' && method === 'GET' && id === undefined) {
      return ok({ emailAddress: this.userEmail, messagesTotal: this.#messages.size, threadsTotal: this.#threadIds().size, historyId: String(this.#history) });
    }
    if (collection === 'drafts') {
      if (id === undefined && method === 'POST') return this.#createDraft(request);
      if (id === undefined && method === 'GET') return this.#listDrafts(request.query);
      if (id === 'send' && action === undefined && method === 'POST') return this.#sendDraft(request);
      if (id !== undefined && action === undefined) {
        if (method === 'GET') return ok(this.#draftView(id, request.query));
        if (method === 'PUT') return this.#updateDraft(id, request);
        if (method === 'DELETE') {
          const gmailId = this.#drafts.get(id);
          if (!gmailId) throw notFound();
          this.#drafts.delete(id);
          this.#messages.delete(gmailId);
          return { status: 204 };
        }
      }
    }
    if (collection === 'messages' && method === 'GET') {
      if (id === undefined) return this.#listMessages(request.query);
      if (action === undefined) {
        const message = this.#messages.get(id);
        if (!message) throw notFound();
        return ok(this.#view(message, request.query));
      }
    }
    if (collection === 'threads' && method === 'GET' && id !== undefined && action === undefined) {
      const messages = [...this.#messages.values()].filter((message) => message.threadId === id);
      if (messages.length === 0) throw notFound();
      messages.sort((a, b) => a.internalDate - b.internalDate);
      return ok({ id, historyId: String(this.#history), messages: messages.map((message) => this.#view(message, request.query)) });
    }
    return null;
  }

  #createDraft(request: ApiRequest): ApiResponse {
    const { raw, threadId } = draftBody(request);
    const message = this.#store(raw, this.#threadFor(raw, threadId), ['DRAFT']);
    const draftId = `r${(this.#counter++).toString(10)}`;
    this.#drafts.set(draftId, message.id);
    return ok({ id: draftId, message: brief(message) });
  }

  #updateDraft(draftId: string, request: ApiRequest): ApiResponse {
    const gmailId = this.#drafts.get(draftId);
    if (!gmailId) throw notFound();
    const { raw, threadId } = draftBody(request);
    const old = this.#messages.get(gmailId)!;
    // A draft keeps its own conversation; naming another one follows the joining rules.
    const thread = threadId === null || threadId === old.threadId ? old.threadId : this.#threadFor(raw, threadId);
    this.#messages.delete(gmailId);
    const message = this.#store(raw, thread, ['DRAFT']);
    this.#drafts.set(draftId, message.id);
    return ok({ id: draftId, message: brief(message) });
  }

  #sendDraft(request: ApiRequest): ApiResponse {
    const body = jsonBody(request);
    return ok(brief(this.#send(typeof body.id === 'string' ? body.id : '')));
  }

  #send(draftId: string): StoredMessage {
    const gmailId = this.#drafts.get(draftId);
    if (!gmailId) throw notFound();
    const draft = this.#messages.get(gmailId)!;
    if (draft.headers.to.length === 0 && draft.headers.cc.length === 0) throw badRequest('Invalid To header', 'invalidArgument');
    this.#drafts.delete(draftId);
    this.#messages.delete(gmailId);
    const raw = this.rewriteMessageIdOnSend ? gmailMessageId(draft.raw) : draft.raw;
    const sent = this.#store(raw, draft.threadId, ['SENT']);
    // Counted under the Message-ID it was given, whatever it left with.
    this.#sent.push({ messageId: draft.headers.messageId, gmailId: sent.id, threadId: sent.threadId, raw: sent.raw, at: Date.now() });
    return sent;
  }

  #listDrafts(query: URLSearchParams): ApiResponse {
    const filter = parseSearch(query.get('q') ?? '');
    const includeSpamTrash = query.get('includeSpamTrash') === 'true';
    const drafts = [...this.#drafts]
      .map(([draftId, gmailId]) => ({ draftId, message: this.#messages.get(gmailId)! }))
      .filter(({ message }) => matches(message, filter, includeSpamTrash));
    const page = paginate(drafts, query);
    return ok({
      ...(page.items.length > 0 ? { drafts: page.items.map(({ draftId, message }) => ({ id: draftId, message: { id: message.id, threadId: message.threadId } })) } : {}),
      ...(page.next ? { nextPageToken: page.next } : {}),
      resultSizeEstimate: drafts.length,
    });
  }

  #listMessages(query: URLSearchParams): ApiResponse {
    const filter = parseSearch(query.get('q') ?? '');
    const labels = query.getAll('labelIds');
    const includeSpamTrash = query.get('includeSpamTrash') === 'true';
    const found = [...this.#messages.values()]
      .filter((message) => labels.every((label) => message.labelIds.has(label)) && matches(message, filter, includeSpamTrash))
      .sort((a, b) => b.internalDate - a.internalDate);
    const page = paginate(found, query);
    return ok({
      ...(page.items.length > 0 ? { messages: page.items.map((message) => ({ id: message.id, threadId: message.threadId })) } : {}),
      ...(page.next ? { nextPageToken: page.next } : {}),
      resultSizeEstimate: found.length,
    });
  }

  #draftView(draftId: string, query: URLSearchParams): Record<string, unknown> {
    const gmailId = this.#drafts.get(draftId);
    if (!gmailId) throw notFound();
    return { id: draftId, message: this.#view(this.#messages.get(gmailId)!, query) };
  }

  #view(message: StoredMessage, query: URLSearchParams): Record<string, unknown> {
    const format = query.get('format') ?? 'full';
    if (!['minimal', 'full', 'raw', 'metadata'].includes(format)) throw badRequest(`Invalid format: ${format}`, 'invalidArgument');
    const base = {
      ...brief(message),
      snippet: '',
      sizeEstimate: message.raw.length,
      historyId: String(this.#history),
      internalDate: String(message.internalDate),
    };
    if (format === 'minimal') return base;
    if (format === 'raw') return { ...base, raw: message.raw.toString('base64url') };
    const wanted = format === 'metadata' ? query.getAll('metadataHeaders').map((name) => name.toLowerCase()) : [];
    const headers = rawHeaderLines(message.raw)
      .filter(([name]) => wanted.length === 0 || wanted.includes(name.toLowerCase()))
      .map(([name, value]) => ({ name, value }));
    return { ...base, payload: { partId: '', mimeType: 'text/plain', filename: '', headers, body: { size: 0 } } };
  }

  #threadFor(raw: Buffer, threadId: string | null): string | null {
    if (threadId === null) return null;
    const thread = [...this.#messages.values()].filter((message) => message.threadId === threadId);
    if (thread.length === 0) throw notFound();
    const headers = readHeaders(raw);
    const named = new Set([...headers.inReplyTo, ...headers.references]);
    const linked = thread.some((message) => message.headers.messageId !== null && named.has(message.headers.messageId));
    const subject = thread[0]!.headers.subject;
    return linked && sameSubject(subject, headers.subject) ? threadId : null;
  }

  #store(raw: Buffer, threadId: string | null, labels: string[], internalDate = Date.now()): StoredMessage {
    const id = (this.#counter++).toString(16);
    this.#history += 1;
    const message: StoredMessage = { id, threadId: threadId ?? id, labelIds: new Set(labels), raw, headers: readHeaders(raw), internalDate };
    this.#messages.set(id, message);
    return message;
  }

  #threadIds(): Set<string> {
    return new Set([...this.#messages.values()].map((message) => message.threadId));
  }
}

function draftBody(request: ApiRequest): { raw: Buffer; threadId: string | null } {
  const body = jsonBody(request);
  const message = (typeof body.message === 'object' && body.message !== null ? body.message : {}) as { raw?: unknown; threadId?: unknown };
  if (typeof message.raw !== 'string' || message.raw.length === 0) throw badRequest('Missing draft message', 'invalidArgument');
  const raw = Buffer.from(message.raw, 'base64url');
  if (readHeaders(raw).from.length === 0 && readHeaders(raw).to.length === 0) throw badRequest('Invalid raw message', 'invalidArgument');
  return { raw, threadId: typeof message.threadId === 'string' ? message.threadId : null };
}

function brief(message: StoredMessage): { id: string; threadId: string; labelIds: string[] } {
  return { id: message.id, threadId: message.threadId, labelIds: [...message.labelIds] };
}

function rawHeaderLines(raw: Buffer): Array<[string, string]> {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const block = end === -1 ? text : text.slice(0, end);
  const fields: Array<[string, string]> = [];
  for (const line of block.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) last[1] += ' ' + line.trim();
    else if (line.includes(':')) fields.push([line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]);
  }
  return fields;
}

function sameSubject(a: string, b: string): boolean {
  const bare = (subject: string): string => subject.replace(/^\s*((re|fwd?|aw|wg)\s*:\s*)+/i, '').trim().toLowerCase();
  return bare(a) === bare(b);
}

interface SearchFilter {
  readonly messageIds: string[];
  readonly labels: string[];
  readonly withoutLabels: string[];
  readonly anywhere: boolean;
  readonly from: string[];
  readonly to: string[];
  readonly after: number | null;
  readonly before: number | null;
}

const IN_LABELS: Record<string, string> = { sent: 'SENT', drafts: 'DRAFT', draft: 'DRAFT', inbox: 'INBOX', trash: 'TRASH', spam: 'SPAM' };

function parseSearch(q: string): SearchFilter {
  const filter = { messageIds: [] as string[], labels: [] as string[], withoutLabels: [] as string[], anywhere: false, from: [] as string[], to: [] as string[], after: null as number | null, before: null as number | null };
  for (const term of q.split(/\s+/).filter((part) => part.length > 0)) {
    const colon = term.indexOf(':');
    const operator = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
    const value = term.slice(colon + 1);
    if (operator === '-in' && IN_LABELS[value.toLowerCase()]) filter.withoutLabels.push(IN_LABELS[value.toLowerCase()]!);
    else if (operator === 'rfc822msgid') filter.messageIds.push(value.replace(/^<|>$/g, ''));
    else if (operator === 'in' && value === 'anywhere') filter.anywhere = true;
    else if (operator === 'in' && IN_LABELS[value.toLowerCase()]) filter.labels.push(IN_LABELS[value.toLowerCase()]!);
    else if (operator === 'from') filter.from.push(value.toLowerCase());
    else if (operator === 'to') filter.to.push(value.toLowerCase());
    else if (operator === 'after' || operator === 'before') {
      const at = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replace(/\//g, '-'));
      if (!Number.isFinite(at)) throw badRequest(`fake gmail: unreadable date in ${term}`, 'invalidArgument');
      filter[operator] = at;
    } else throw badRequest(`fake gmail: unsupported search term ${JSON.stringify(term)}`, 'invalidArgument');
  }
  return filter;
}

function matches(message: StoredMessage, filter: SearchFilter, includeSpamTrash: boolean): boolean {
  const hidden = message.labelIds.has('TRASH') || message.labelIds.has('SPAM');
  const askedForHidden = filter.anywhere || filter.labels.includes('TRASH') || filter.labels.includes('SPAM');
  if (hidden && !includeSpamTrash && !askedForHidden) return false;
  if (!filter.labels.every((label) => message.labelIds.has(label))) return false;
  if (filter.withoutLabels.some((label) => message.labelIds.has(label))) return false;
  const ownId = message.headers.messageId?.replace(/^<|>$/g, '') ?? null;
  if (!filter.messageIds.every((id) => id === ownId)) return false;
  if (!filter.from.every((from) => message.headers.from.some((address) => address.includes(from)))) return false;
  if (!filter.to.every((to) => message.headers.to.some((address) => address.includes(to)))) return false;
  if (filter.after !== null && message.internalDate < filter.after) return false;
  if (filter.before !== null && message.internalDate >= filter.before) return false;
  return true;
}

function paginate<T>(items: readonly T[], query: URLSearchParams): { items: T[]; next: string | null } {
  const max = Math.min(Number(query.get('maxResults') ?? 100), 500);
  const offset = Number(query.get('pageToken') ?? 0);
  if (!Number.isInteger(max) || max < 1 || !Number.isInteger(offset) || offset < 0) throw badRequest('Invalid paging', 'invalidArgument');
  const page = items.slice(offset, offset + max);
  return { items: page, next: offset + max < items.length ? String(offset + max) : null };
}

/** The message with a Message-ID Gmail made, and the original kept as X-Google-Original-Message-ID. */
function gmailMessageId(raw: Buffer): Buffer {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const head = end === -1 ? text : text.slice(0, end);
  const original = /^message-id:[ \t]*(.*)$/im.exec(head)?.[1]?.trim() ?? '';
  const own = `<${randomBytes(8).toString('hex')}.${randomBytes(4).toString('hex')}@mx.google.com>`;
  const rewritten = head.replace(/^message-id:.*$/im, `Message-ID: ${own}`) + (original ? `\r\nX-Google-Original-Message-ID: ${original}` : '');
  return Buffer.from(rewritten + (end === -1 ? '' : text.slice(end)), 'utf8');
}
