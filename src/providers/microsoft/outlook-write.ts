/**
 * What ringback writes into an Outlook draft: our content as Graph JSON, checked first, and a
 * reply made with `createReply` so that Exchange threads it.
 */
import type { ComposedEmail, Person } from '../../domain/types.js';
import { ExpectedStatus, PermanentError } from '../errors.js';
import type { DraftRef } from '../mail/types.js';
import type { GraphApi } from './graph.js';
import { findByMessageId, item, notFound, REF_PROPERTY, refOf, type GraphMessage } from './outlook-lookup.js';

const MESSAGE_ID = /^<[^<>\s"]+@[^<>\s"]+>$/;
/** One plain address: no name, list or group syntax that a hostile attendee value could smuggle in. */
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+$/;

/** The draft's fields as Graph takes them, our Message-ID in the header and in our property. */
export function content(email: ComposedEmail): Record<string, unknown> {
  return {
    subject: email.subject,
    body: { contentType: 'text', content: email.text },
    toRecipients: email.to.map(recipient),
    ccRecipients: [],
    bccRecipients: [],
    internetMessageId: email.messageId,
    singleValueExtendedProperties: [{ id: REF_PROPERTY, value: email.messageId }],
  };
}

/** A reply draft to `replyTo`, found by its Message-ID when its id no longer answers, with our content. */
export async function createReply(api: GraphApi, email: ComposedEmail, replyTo: DraftRef): Promise<DraftRef> {
  const what = `creating the reply draft ${email.messageId}`;
  let originalId = replyTo.providerId;
  let reply: GraphMessage;
  try {
    reply = await api.post<GraphMessage>(`${item(originalId)}/createReply`, {}, { what, expect: notFound });
  } catch (error) {
    if (!(error instanceof ExpectedStatus)) throw error;
    const original = await findByMessageId(api, replyTo.messageId);
    if (!original) throw new PermanentError(`the message ${replyTo.messageId} that ${email.messageId} answers is gone from Outlook`);
    originalId = original.ref.providerId;
    reply = await api.post<GraphMessage>(`${item(originalId)}/createReply`, {}, { what });
  }
  try {
    const written = await api.patch<GraphMessage>(item(reply.id), content(email), { what });
    return refOf(written, email.messageId);
  } catch (error) {
    // Never leave Outlook's half-made reply (quoting the original, to the wrong person) behind.
    await api.delete(item(reply.id), { what: `removing the unfinished reply draft for ${email.messageId}`, expect: notFound }).catch((cleanup: unknown) => {
      if (!(cleanup instanceof ExpectedStatus)) throw new AggregateError([error, cleanup], `could not finish or remove the reply draft for ${email.messageId}`);
    });
    throw error;
  }
}

function recipient(person: Person): { emailAddress: { name: string; address: string } } {
  return { emailAddress: { name: person.name, address: person.email } };
}

/**
 * The rules every adapter keeps for what it writes (see mail/mime.ts): no CR or LF in a header
 * value, a well-formed Message-ID, and each address one plain address. Graph would take some of
 * these as they are; the check keeps header injection and extra recipients out whatever Exchange
 * does with them.
 */
export function checkEmail(email: ComposedEmail): void {
  const label = JSON.stringify(email.messageId.slice(0, 80));
  const values = [email.messageId, email.subject, email.from.name, email.from.email, ...email.to.flatMap((person) => [person.name, person.email])];
  if (values.some((value) => /[\r\n]/.test(value))) throw new PermanentError(`refusing to write ${label}: a header value contains a line break`);
  if (!MESSAGE_ID.test(email.messageId)) throw new PermanentError(`refusing to write a message: Message-ID ${label} is not <local@domain>`);
  if (!ADDRESS.test(email.from.email)) throw new PermanentError(`refusing to write ${label}: the From address is not one address`);
  // No recipient at all is a draft for the user to address (domain/plan.ts NO_RECIPIENT); never sent by ringback.
  if (email.to.some((person) => !ADDRESS.test(person.email))) {
    throw new PermanentError(`refusing to write ${label}: a recipient is not one plain address`);
  }
}
