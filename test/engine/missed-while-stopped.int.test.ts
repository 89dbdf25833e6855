/**
 * An action whose time passes while ringback does not run (stopped, the computer asleep) and is of
 * no use by the time it could run is recorded once as missed, as after an outage, rather than left
 * "pending" with a due time in the past for good. Found by the randomised timelines
 * (timeline-stories.int.test.ts).
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

describe('an action whose time passed while ringback did not run', () => {
  it('is recorded once as missed when it is of no use any more', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 } });
    const start = Math.floor((h.now() + 12 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'asleep1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'asleep1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const send = async () => (await getActionRecords(h!.runtime.store, id)).find((r) => r.kind === 'confirmation-send');
    expect((await send())?.state).toBe('pending');

    // Four minutes go by at once (the send was due after one): the call is now 8 minutes away.
    await h.advance(4 * MINUTE);
    const missed = await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === id);
    expect(missed.message).toMatch(/^confirmation send missed: it was due .+ and did not run then \(ringback was not running\), and by the time it could the call was less than 10 minutes away$/);
    expect((await send())?.state).toBe('missed');
    await h.advance(MINUTE);
    expect((await h.audit(id)).filter((r) => r.type === 'missed')).toHaveLength(1);
    expect(await h.folder('Sent')).toHaveLength(0);
  });
});
