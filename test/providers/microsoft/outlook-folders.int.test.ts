/**
 * Whether a message's `parentFolderId` equals the id `/me/mailFolders/drafts` answers with: the
 * Outlook mailbox must not depend on it. Pinned here against the local Graph server, in both of
 * the forms the server can write: the same encoding, and the same folder under another encoding.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mailbox } from '../../../src/providers/mail/types.js';
import { createOutlookMailbox } from '../../../src/providers/microsoft/outlook.js';
import { startGraphServer, type GraphServer } from '../../support/graph-server.js';
import { composedEmail as email } from '../../support/composed-email.js';
import { signIn } from '../../support/graph-server/sign-in.js';


describe('outlook mailbox: Drafts known by its well-known name', () => {
  let server: GraphServer;
  let mailbox: Mailbox;

  beforeEach(async () => {
    server = await startGraphServer();
    const { auth } = await signIn(server);
    mailbox = createOutlookMailbox({ id: 'microsoft-test', getToken: auth.getToken, baseUrl: server.apiRoot, userEmail: server.user.mail, fetch: server.fetch, zone: 'UTC' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('pins the server: a draft’s parentFolderId is the id /me/mailFolders/drafts answers with, and one look-up settles it', async () => {
    const ref = await mailbox.createDraft(email());
    const token = await server.issueAccessToken();
    const ask = async (path: string) =>
      (await (await server.fetch(`${server.apiRoot}${path}`, { method: 'GET', headers: { authorization: `Bearer ${token}`, prefer: 'IdType="ImmutableId"' } })).json()) as Record<string, unknown>;
    const drafts = await ask('/me/mailFolders/drafts');
    const message = await ask(`/me/messages/${encodeURIComponent(ref.providerId)}`);
    expect(message.parentFolderId).toBe(drafts.id);
    const before = server.graphRequests().length;
    expect((await mailbox.draftState(ref)).state).toBe('draft');
    // The message, then Drafts' id once; no search of the folder.
    expect(server.graphRequests().slice(before).map((r) => r.url.split('?')[0])).toEqual([
      `/v1.0/me/messages/${encodeURIComponent(ref.providerId)}`,
      '/v1.0/me/mailFolders/drafts',
    ]);
  });

  it('still tells a draft from a deleted one when parentFolderId is written in another encoding', async () => {
    server.mail.parentFolderIdForm = 'other';
    const kept = await mailbox.createDraft(email());
    const deleted = await mailbox.createDraft(email());
    server.mail.userDeletesDraft(deleted.providerId);
    expect(await mailbox.draftState(kept)).toEqual({ state: 'draft', ref: kept });
    expect(await mailbox.draftState(deleted)).toEqual({ state: 'gone' });
    // And a send goes out from Drafts, not refused as a veto.
    await mailbox.send(kept);
    expect(server.mail.sentCount(kept.messageId)).toBe(1);
  });
});
