/**
 * For the tests of a user's edit while a confirmation is being sent (test/engine/*edit-while-sending*):
 * the engine whose mailbox lets the user act right after the send's last look at the call
 * (SendOptions.beforeSubmit), the latest moment before the hand-over. The adapter and the engine do
 * the real work; only the moment is chosen.
 */
import { expect } from 'vitest';
import { interviewIdFor, messageIdFor } from '../../src/domain/ids.js';
import { runAction } from '../../src/engine/actions.js';
import type { Engine } from '../../src/engine/context.js';
import type { Mailbox, SendOptions } from '../../src/providers/mail/types.js';
import { MINUTE, interviewEvent, type EngineHarness } from './engine-harness.js';

/** The engine whose mailbox lets `meanwhile` happen right after the send's last look at the call. */
export function afterLastLook(engine: Engine, meanwhile: () => Promise<void>): Engine {
  const real = engine.mailbox;
  if (!real) throw new Error('no mailbox connected');
  const mailbox = new Proxy(real, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property !== 'send' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (ref: unknown, options: SendOptions = {}) =>
        await (value as Mailbox['send']).call(target, ref as Parameters<Mailbox['send']>[0], {
          beforeSubmit: async () => {
            await options.beforeSubmit?.();
            await meanwhile();
          },
        });
    },
  }) as Mailbox;
  return { ...engine, mailbox };
}

export const sendJob = (id: string) => ({ interviewId: id, kind: 'confirmation-send' as const, revision: 1 });

/** A call 3 hours ahead in the harness's ics file, read, its confirmation drafted: its id and the draft's Message-ID. */
export async function draftedConfirmation(h: EngineHarness, uid: string): Promise<{ id: string; messageId: string }> {
  const start = Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000;
  await h.setEvents([interviewEvent({ uid, start })]);
  await h.sync();
  const id = interviewIdFor('cal', uid);
  expect(await runAction(h.engine, { interviewId: id, kind: 'confirmation-draft', revision: 1 })).toMatchObject({ state: 'done' });
  return { id, messageId: messageIdFor({ interviewId: id, kind: 'confirmation', revision: 1, domain: 'example.org' }) };
}
