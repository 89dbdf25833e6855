/**
 * A confirmation draft the user edited, then its interview cancelled: the draft goes from Drafts
 * (the call is off, and nothing sends it), and what it said, the user's words included, stays in
 * the audit: a cancellation that came from a calendar answering badly loses nothing the user wrote.
 * The engine with its own Redis, the ics file and the Maildir of the harness.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const USER_WORDS = 'Looking forward to it. If the line drops, my second number is 555 0199.';

describe('a draft the user edited, then its interview cancelled', () => {
  it('is removed from Drafts with its text, the user\'s words included, in the audit', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 40 * MINUTE) / 1000) * 1000;
    const event = interviewEvent({ uid: 'edited-1', start });
    await h.setEvents([event]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', event.uid);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    if (!draft) throw new Error('no draft written');
    await h.userEdits(draft.path, `Hello Dana, confirming our call. ${USER_WORDS}`);
    expect((await h.folder('Drafts')).map((f) => f.mail.text ?? '')).toEqual([expect.stringContaining(USER_WORDS)]);

    await h.setEvents([]);
    expect((await h.sync()).withdrawn).toBe(1);
    const removed = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toMatch(/^confirmation draft removed from Drafts \(".+"\); it read: "Hello Dana, confirming our call\. /);
    expect(removed.message).toContain(USER_WORDS);
    expect(await h.folder('Drafts')).toHaveLength(0);
  });
});
