/**
 * An outage whose light check passes while the account still cannot take a write: an Outlook
 * mailbox that is full still answers reads (403 ErrorQuotaExceeded on writes only,
 * microsoftgraph/microsoft-graph-docs-contrib#6596). The check ends the outage, the waiting steps
 * run, are refused again, and a new outage begins; checked every 15 s, the account flipped between
 * "needs attention" and "works again" four times a minute, each time in the audit and the log,
 * and each waiting step wrote to the mailbox again. An outage that begins again right after one
 * ended is given twice the time the last one lasted before the next check (at most 10 minutes).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resumeIfUsable } from '../../src/engine/outage.js';
import { currentOutage } from '../../src/store/outages.js';
import { startGraphServer, type GraphServer } from '../support/graph-server.js';
import { signIn } from '../support/graph-server/sign-in.js';
import { trustForThisProcess } from '../support/graph-server/trust.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const ACCOUNT = 'microsoft';

let server: GraphServer;
let untrust: (() => Promise<void>) | null = null;
let h: EngineHarness | null = null;

beforeAll(async () => {
  server = await startGraphServer();
  untrust = await trustForThisProcess(server.ca);
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await untrust?.();
  await server?.close();
});

describe('an outage that begins again as soon as it ended', () => {
  it('waits twice as long as the last one lasted before it checks the account again', async () => {
    const { storage } = await signIn(server);
    const tokenCache = storage.saved();
    if (!tokenCache) throw new Error('the sign-in saved no token cache');
    const entry = { id: ACCOUNT, account: server.user.mail, authority: server.authority, apiRoot: server.apiRoot };
    h = await startEngineHarness({
      calendars: [{ type: 'microsoft', ...entry }],
      mailbox: { type: 'microsoft', ...entry },
      secrets: { [ACCOUNT]: { clientId: server.clientId, tokenCache } },
    });
    const harness = h;
    server.calendar.putHarnessEvent(interviewEvent({ uid: `full-${randomUUID()}`, start: Math.floor((harness.now() + 20 * HOUR) / 1000) * 1000 }));
    await syncOnce(harness.engine, ACCOUNT);
    // The mailbox is full: every write is refused, reads go on.
    server.fault({ method: 'POST', status: 403, code: 'ErrorQuotaExceeded', message: 'Mailbox has exceeded maximum mailbox size.', times: 1_000 });
    // The daemon's own check kept out of the way: the test makes each check itself.
    await harness.start({ probeEveryMs: 24 * HOUR });
    const attentions = async () => (await harness.audit()).filter((r) => r.type === 'account' && r.message.includes('needs attention')).length;
    await harness.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    const first = await currentOutage(harness.runtime.store, ACCOUNT);
    expect(first).not.toBeNull();

    // Three minutes later the check passes (reads work): the waiting draft runs and is refused again.
    await harness.advance(3 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeGreaterThan(0);
    await expect.poll(attentions, { timeout: 20_000 }).toBe(2);

    // Five minutes on: well past the usual 15 s, but not yet twice the three minutes the last lasted.
    await harness.advance(5 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeNull();
    expect(await currentOutage(harness.runtime.store, ACCOUNT)).not.toBeNull();
    expect(await attentions()).toBe(2);

    // Seven minutes after it began again: checked, and resumed.
    await harness.advance(2 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeGreaterThan(0);
  });
});
