/**
 * A confirmation draft the user deleted is a "don't" for the interview: when the event moves
 * afterwards, no new confirmation is written or sent. Found with the randomised timelines
 * (timeline-stories.int.test.ts): deleted before the move, the rewrite found no draft, wrote a new
 * one and sent it at the new time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('a confirmation draft deleted by the user, then the event moves', () => {
  it.each([
    ['before its send fell due', false],
    ['after its send fell due', true],
  ])('writes and sends nothing at the new time (deleted %s)', async (_, sendFirst) => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 60 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'veto1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'veto1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    await h.userDeletes(draft?.path as string);
    if (sendFirst) {
      await h.advance(46 * MINUTE);
      await h.waitForAudit((r) => r.type === 'vetoed' && r.interviewId === id);
    }

    await h.setEvents([interviewEvent({ uid: 'veto1', start: start + 30 * MINUTE })]);
    await h.sync();
    if (!sendFirst) {
      const vetoed = await h.waitForAudit((r) => r.type === 'vetoed' && r.interviewId === id);
      expect(vetoed.message).toContain('at its new time either');
    }
    // The new send time comes and goes.
    await h.advance(sendFirst ? 30 * MINUTE : 76 * MINUTE);
    for (let tries = 0; ; tries++) {
      const send = (await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send' && r.revision === 2);
      if (send && send.state !== 'pending') break;
      if (tries > 100) throw new Error(`the send of the new time did not run: ${JSON.stringify(send)}\n${(await h.audit(id)).map((r) => `${r.type} ${r.message}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await h.folder('Sent')).toHaveLength(0);
    expect(await h.folder('Drafts')).toHaveLength(0);
    expect((await h.audit(id)).filter((r) => r.type === 'drafted')).toHaveLength(1);
  });
});
