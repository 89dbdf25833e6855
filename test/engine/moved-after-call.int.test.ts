/**
 * An event moved after its call took place (the user tidying the calendar) gives the thank-you of
 * its new time in place of the earlier one, never beside it, and a cancel then leaves no draft.
 * Found by the randomised timelines (timeline-stories.int.test.ts): the earlier thank-you stayed in
 * Drafts, out of ringback's sight; and a confirmation draft job that was already under way when
 * the call went by wrote a confirmation of a call that was over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { runAction } from '../../src/engine/actions.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const thankYous = async (harness: EngineHarness) => (await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes('.thankyou.'));

describe('an event moved after its call', () => {
  it('keeps one thank-you draft, of the new time, and removes it when the event goes', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 20 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'after1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'after1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    // The call goes by; no outcome is recorded, so it is assumed held and a thank-you follows.
    await h.advance(3 * 60 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('thank-you'));
    expect((await thankYous(h)).map((f) => f.mail.messageId)).toEqual([`<ringback.${id}.thankyou.1@example.org>`]);

    await h.setEvents([interviewEvent({ uid: 'after1', start: start + 45 * MINUTE })]);
    await h.sync();
    for (let tries = 0; (await h.audit(id)).filter((r) => r.type === 'drafted' && r.message.startsWith('thank-you')).length < 2; tries++) {
      if (tries > 200) throw new Error('no second thank-you draft');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await thankYous(h)).map((f) => f.mail.messageId)).toEqual([`<ringback.${id}.thankyou.2@example.org>`]);

    await h.setEvents([]);
    await h.sync();
    expect(await h.folder('Drafts')).toHaveLength(0);
  });
});

describe('a confirmation draft job that runs after its call was overtaken', () => {
  it.each([
    ['the call got an outcome', 'outcome'],
    ['the call is under the minimum lead time', 'late'],
  ] as const)('writes nothing when %s', async (_, what) => {
    // The queue's worker is not started: the job is run as a worker picks it up, late.
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 20 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'late1', start })]);
    await h.sync();
    const id = interviewIdFor('cal', 'late1');
    if (what === 'outcome') await recordOutcome(h.engine, id, 'held', 'cli');
    else await h.advance(15 * MINUTE);
    const result = await runAction(h.engine, { interviewId: id, kind: 'confirmation-draft', revision: 1 });
    expect(result.state).toBe('skipped');
    expect(await h.folder('Drafts')).toHaveLength(0);
  });
});
