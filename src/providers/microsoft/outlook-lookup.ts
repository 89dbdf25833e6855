/**
 * Finding a message of ours in Outlook again: by its immutable id, by its Message-ID in Drafts or
 * Sent Items, or by our reference property on the copy in Sent Items (outlook.ts says why).
 */
import { ExpectedStatus, PermanentError } from '../errors.js';
import type { DraftRef, FoundMessage } from '../mail/types.js';
import type { GraphApi } from './graph.js';
import { odataString, withQuery } from './graph-query.js';

export const SELECT = 'id,internetMessageId,conversationId,parentFolderId,isDraft';
/** Our reference as a MAPI named string property in a property set of ringback's own. */
export const REF_PROPERTY = 'String {8b0c7a1e-5d2f-4c39-9e61-3f4a2d7b9c10} Name X-Ringback-Ref';

export interface GraphMessage {
  readonly id: string;
  readonly internetMessageId?: string;
  readonly conversationId?: string;
  readonly parentFolderId?: string;
  readonly isDraft?: boolean;
  readonly subject?: string;
  readonly receivedDateTime?: string;
  readonly from?: { readonly emailAddress?: { readonly address?: string } } | null;
}

interface MessagePage {
  readonly value?: readonly GraphMessage[];
  readonly '@odata.nextLink'?: string;
}

type Located = { readonly state: 'draft' | 'sent'; readonly ref: DraftRef } | { readonly state: 'gone' };

export const notFound = (status: number): boolean => status === 404;
export const item = (id: string): string => `/me/messages/${encodeURIComponent(id)}`;
export const refOf = (message: GraphMessage, messageId: string): DraftRef => ({
  providerId: message.id,
  messageId,
  threadId: message.conversationId ?? null,
});

/** The id of the Drafts folder, asked for once; a failed lookup is not kept. */
export class DraftsFolder {
  #id: Promise<string> | null = null;

  constructor(private readonly api: GraphApi) {}

  id(): Promise<string> {
    this.#id ??= this.api.get<{ id: string }>('/me/mailFolders/drafts?$select=id', { what: 'reading the drafts folder' }).then((folder) => folder.id);
    const asked = this.#id;
    // A failed lookup is not kept: the next call asks again. (The failure itself reaches the caller.)
    void asked.catch(() => {
      if (this.#id === asked) this.#id = null;
    });
    return asked;
  }
}

/** Our message with this Message-ID in one folder, or null. */
async function findIn(api: GraphApi, folder: 'drafts' | 'sentitems', messageId: string): Promise<GraphMessage | null> {
  const page = await api.get<MessagePage>(
    withQuery(`/me/mailFolders/${folder}/messages`, { $filter: `internetMessageId eq ${odataString(messageId)}`, $select: SELECT, $top: '1' }),
    { what: `looking for ${messageId} in ${folder}` },
  );
  return page.value?.[0] ?? null;
}

/** Our sent message: by its Message-ID, else by our reference property (a Message-ID rewritten on send). */
export async function findSent(api: GraphApi, messageId: string): Promise<GraphMessage | null> {
  const byMessageId = await findIn(api, 'sentitems', messageId);
  if (byMessageId) return byMessageId;
  const page = await api.get<MessagePage>(
    withQuery('/me/mailFolders/sentitems/messages', {
      $filter: `singleValueExtendedProperties/Any(ep: ep/id eq ${odataString(REF_PROPERTY)} and ep/value eq ${odataString(messageId)})`,
      $select: SELECT,
      $top: '1',
    }),
    { what: `looking for ${messageId} in sentitems by its reference` },
  );
  return page.value?.[0] ?? null;
}

export async function findByMessageId(api: GraphApi, messageId: string): Promise<FoundMessage | null> {
  const draft = await findIn(api, 'drafts', messageId);
  if (draft) return { folder: 'drafts', ref: refOf(draft, messageId) };
  const sent = await findSent(api, messageId);
  return sent ? { folder: 'sent', ref: refOf(sent, messageId) } : null;
}

/** Where the draft behind `ref` stands now. */
export async function locate(api: GraphApi, drafts: DraftsFolder, ref: DraftRef, what: string): Promise<Located> {
  let message: GraphMessage | null = null;
  try {
    message = await api.get<GraphMessage>(`${item(ref.providerId)}?$select=${SELECT}`, { what, expect: (status) => status === 404 || status === 400 });
  } catch (error) {
    if (!(error instanceof ExpectedStatus)) throw error;
  }
  if (message && message.internetMessageId === ref.messageId) {
    if (message.isDraft === false) return { state: 'sent', ref: refOf(message, ref.messageId) };
    // The usual case costs nothing more: the parent is the id Drafts answered with. Nothing
    // promises that encoding, though (folders have no immutable ids), so a parent that differs
    // is settled by asking the folder by its well-known name whether it holds the draft.
    if (message.parentFolderId === (await drafts.id())) return { state: 'draft', ref: refOf(message, ref.messageId) };
    const inDrafts = await findIn(api, 'drafts', ref.messageId);
    if (inDrafts?.id === message.id) return { state: 'draft', ref: refOf(message, ref.messageId) };
    // A draft in Deleted Items (or moved out of Drafts) is the user's veto.
    return { state: 'gone' };
  }
  // Not under its id (an old ref, or an item rewritten elsewhere): look for the Message-ID.
  const found = await findByMessageId(api, ref.messageId);
  if (!found) return { state: 'gone' };
  return { state: found.folder === 'drafts' ? 'draft' : 'sent', ref: found.ref };
}

/** Every message of a listing, following Graph's next links within its API root. */
export async function listAll(api: GraphApi, path: string, what: string): Promise<GraphMessage[]> {
  const messages: GraphMessage[] = [];
  let page = await api.get<MessagePage>(path, { what });
  for (;;) {
    messages.push(...(page.value ?? []));
    const next = page['@odata.nextLink'];
    if (next === undefined) return messages;
    if (!api.owns(next)) throw new PermanentError('Microsoft Graph handed out a next link outside its API root');
    page = await api.follow<MessagePage>(next, { what });
  }
}
