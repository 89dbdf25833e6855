/**
 * A call cancelled or removed from the calendar while the mailbox cannot be used (its Drafts folder
 * gone): the calendar's sync withdraws it as usual and does not fail for the mailbox's fault (the
 * calendar would be shown as failing and its sends held for a read that worked), and the unsent
 * draft is deleted once the mailbox works again. Found by the randomised timelines
 * (timeline-stories.int.test.ts, seed 6: a series removed, then the Drafts folder gone).
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('a call withdrawn while the mailbox cannot be used', () => {
  it.each([
    ['cancelled by its organizer', 'cancelled'],
    ['removed from the calendar', 'removed'],
  ] as const)('%s: the sync withdraws it, and the draft goes when the mailbox is back', async (_label, how) => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 } });
    const event = interviewEvent({ uid: 'down-1', start: Math.floor((h.now() + 5 * 60 * MINUTE) / 1000) * 1000, sequence: 1 });
    const id = interviewIdFor('cal', event.uid);
    await h.setEvents([event]);
    await h.start({ probeEveryMs: 200 });
    await h.sync();
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(await h.folder('Drafts')).toHaveLength(1);

    const drafts = join(h.maildir, '.Drafts');
    await rename(drafts, `${drafts}.away`);
    await h.setEvents(how === 'cancelled' ? [{ ...event, sequence: 2, status: 'CANCELLED' }] : []);
    await h.sync();
    expect((await getInterview(h.engine.store, id))?.status).toBe('cancelled');
    expect((await getAccountStatus(h.runtime.store, 'cal')).attention).toBeNull();
    await h.waitForAudit((r) => r.type === 'account' && r.accountId === 'mail' && r.message.includes('needs attention'));

    await rename(`${drafts}.away`, drafts);
    await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(await h.folder('Drafts')).toHaveLength(0);
    expect(await h.folder('Sent')).toHaveLength(0);
  });
});
