/**
 * One email as a plain-text file: its headers as the recipient's mail client would show them
 * (Date is the time it is sent, RFC 5322), a blank line, then the body.
 */
import { DateTime } from 'luxon';
import type { ComposedEmail, Millis, Person } from '../domain/types.js';

function address(person: Person): string {
  return person.name === '' ? person.email : `${person.name} <${person.email}>`;
}

export function renderEmail(email: ComposedEmail, sentAt: Millis, zone: string): string {
  const headers = [
    `From: ${address(email.from)}`,
    // A draft for a counterpart without an address: the user writes the recipient in.
    `To: ${email.to.length === 0 ? '(none yet: the invitation came from a no-reply address; add the recipient in the draft)' : email.to.map(address).join(', ')}`,
    `Subject: ${email.subject}`,
    `Date: ${DateTime.fromMillis(sentAt, { zone }).toRFC2822() ?? ''}`,
    `Message-ID: ${email.messageId}`,
    ...(email.inReplyTo === undefined ? [] : [`In-Reply-To: ${email.inReplyTo}`]),
    ...(email.references === undefined ? [] : [`References: ${email.references.join(' ')}`]),
  ];
  return `${headers.join('\n')}\n\n${email.text}`;
}
