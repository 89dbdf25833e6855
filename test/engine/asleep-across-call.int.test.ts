/**
 * The computer asleep from before a call's confirmation was due until after the call began: the
 * daemon wakes with the send long overdue. The send is of no use any more and is recorded as
 * missed, and the audit says so once (DESIGN.md, Outages: "audited once as missed").
 * Real Redis and workers, the ics source, the Maildir.
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

describe('asleep from before the confirmation was due until after the call began', () => {
  it('records the send missed once', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30 } });
    const start = Math.floor((h.now() + 2 * 60 * MINUTE) / MINUTE) * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'asleep-across', start })]);
    await h.sync();
    await h.start();
    const id = interviewIdFor('cal', 'asleep-across');
    await h.advance(start + 15 * MINUTE + 1000 - h.now());
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === id);
    const send = (await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send');
    expect(send?.state).toBe('missed');
    await h.advance(MINUTE);
    const missed = (await h.audit(id)).filter((r) => r.type === 'missed');
    expect(missed.map((r) => r.message)).toHaveLength(1);
  });
});
