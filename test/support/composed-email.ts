/** A confirmation as the engine composes it, with a Message-ID of its own, for mailbox adapter tests. */
import { randomUUID } from 'node:crypto';
import type { ComposedEmail } from '../../src/domain/types.js';

export function composedEmail(overrides: Partial<ComposedEmail> = {}): ComposedEmail {
  return {
    messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
    from: { name: 'Ada Park', email: 'ada@example.org' },
    to: [{ name: 'Lee Chen', email: 'lee@corp.example' }],
    subject: 'Confirming our call on Tuesday at 10:00',
    text: 'Hello Lee,\n\nTalk on Tuesday at 10:00.\n\nAda',
    html: '<p>Hello Lee,</p>',
    date: Date.UTC(2031, 2, 4, 15),
    ...overrides,
  };
}
