/**
 * The Drafts folder of a Maildir vanishing while ringback runs (a mail client removed or renamed
 * it, a sync tool replaced it) is an outage, not the user deleting each draft: the send waits, and
 * goes once the folder is back. Found by the randomised timelines (timeline-stories.int.test.ts):
 * the folder was made again empty, the pending confirmation was recorded as vetoed, and the draft
 * came back unsent with the folder, to stay in Drafts after the invitation was declined.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('the Drafts folder vanishing', () => {
  it('parks the send until the folder is back, then sends the draft once', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 30, minLeadMinutes: 10, reviewMinutes: 5 } });
    const start = Math.floor((h.now() + 40 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'vanish1', start })]);
    await h.start({ probeEveryMs: 200 });
    await h.sync();
    const id = interviewIdFor('cal', 'vanish1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);

    const drafts = join(h.maildir, '.Drafts');
    await rename(drafts, `${drafts}.away`);
    await h.advance(12 * MINUTE);
    const began = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    expect(began.message).toContain('the Drafts folder');
    expect((await getAccountStatus(h.runtime.store, 'mail')).attention).toBe('unusable');
    expect((await h.audit(id)).filter((r) => r.type === 'vetoed')).toHaveLength(0);

    await rename(`${drafts}.away`, drafts);
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(sent.message).toContain('dana@acme.example');
    expect(await h.folder('Sent')).toHaveLength(1);
    expect(await h.folder('Drafts')).toHaveLength(0);
  });
});
