/**
 * A calendar and a mailbox of one account share its id: Google Calendar and Gmail are both
 * `google`, Outlook's calendar and mail both `microsoft` (config/schema-accounts.ts
 * defaultAccountId). The mailbox's outage and the sends held while the calendar awaits
 * confirmation (src/engine/held-sends.ts) each keep their own parked list, so that an action
 * waiting for the one is never told it waited for the other.
 */
import { mkdir, mkdtemp, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a mailbox outage on an account whose calendar has the same id', () => {
  it('records an action missed during the outage with the outage, not as held by the calendar', async () => {
    const maildir = await mkdtemp(join(tmpdir(), 'ringback-shared-id-'));
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, sub), { recursive: true });
    // The calendar of the harness is `cal`: the mailbox takes the same id, as Gmail does Google Calendar's.
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 }, mailbox: { type: 'maildir', id: 'cal', path: maildir } });
    const start = Math.floor(h.now() / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'shared-1', start: start + 40 * MINUTE })]);
    await rename(maildir, `${maildir}.away`);
    await h.start({ probeEveryMs: 200 });
    await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    const [iv] = await waitFor('the interview', async () => {
      const all = await listInterviews(h!.runtime.store);
      return all.length === 1 ? all : null;
    });
    await waitFor('the draft parked', async () => (await getActionRecords(h!.runtime.store, iv!.id)).find((r) => r.kind === 'confirmation-draft')?.state === 'parked');

    // 35 minutes on, the call is 5 minutes away: the reconciler drops the draft as missed.
    await h.advance(35 * MINUTE);
    const missed = await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === iv!.id && r.message.startsWith('confirmation draft'));
    expect(missed.message).toMatch(/^confirmation draft missed: cal could not be used since .+ \(still unusable\), and by the time it could /);
  }, 60_000);
});
