/**
 * A confirmation whose send failed (the Maildir's Sent folder was a file) is still a draft of
 * ringback's: when the event is then removed, the draft goes too. Found by the randomised
 * timelines (timeline-stories.int.test.ts): the record said "submitted", and the cancel, which
 * looked only for drafts, left it in Drafts.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('an event removed after its confirmation failed to send', () => {
  it('takes the draft out of Drafts', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 20 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'failed1', start })]);
    await h.start({ probeEveryMs: 200 });
    await h.sync();
    const id = interviewIdFor('cal', 'failed1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);

    const sent = join(h.maildir, '.Sent');
    await rm(sent, { recursive: true, force: true });
    await writeFile(sent, 'not a folder\n');
    await h.advance(6 * MINUTE);
    const began = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    // The Sent folder is named, not the draft that could not be moved into it.
    expect(began.message).toContain(`maildir: ${sent} is not a folder (a file is in the way)`);
    expect(await h.folder('Drafts')).toHaveLength(1);

    await h.setEvents([]);
    await h.sync();
    await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(await h.folder('Drafts')).toHaveLength(0);
  });
});
