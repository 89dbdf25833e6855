/**
 * A provider's sending limit, through the daemon: Gmail refuses every email of an account past its
 * daily limit "550 5.4.5 Daily user sending quota exceeded." (gen-smtp/gen_smtp#140) and lets it
 * send again "for up to 24 hours" later (Google Workspace Admin Help, "Gmail sending limits in
 * Google Workspace", support.google.com/a/answer/166852: "After reaching one of these limits,
 * users can't send new messages for up to 24 hours"). The SMTP login works all along, so a check
 * of the account that is a login ended the outage every few minutes, all day, for the next send to
 * be refused again; and the whole account waited, drafts included, though only sending is limited.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resumeIfUsable } from '../../src/engine/outage.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { currentOutage } from '../../src/store/outages.js';
import { MINUTE, interviewEvent } from '../support/engine-harness.js';
import { startRelayedHarness, type RelayedHarness } from '../support/relayed-harness.js';

let relayed: RelayedHarness | null = null;
afterEach(async () => {
  await relayed?.stop();
  relayed = null;
});

/** The daemon's engine on a Maildir relaying through a recording SMTP server, sends due 15 minutes before a call. */
async function relayedHarness(): Promise<RelayedHarness> {
  relayed = await startRelayedHarness('sending-limit', { timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 } });
  return relayed;
}

describe('a sending limit reached', () => {
  it('holds the sends for a quarter of an hour without checking, keeps writing drafts, and misses a confirmation whose call comes meanwhile', async () => {
    const { harness, relay } = await relayedHarness();
    const start = Math.floor(harness.now() / 1000) * 1000;
    const soon = interviewEvent({ uid: 'limit-soon', start: start + 30 * MINUTE });
    await harness.setEvents([soon]);
    // The daemon's own check kept out of the way: the test makes each check itself.
    await harness.start({ probeEveryMs: 24 * 60 * MINUTE });
    await harness.waitForAudit((r) => r.type === 'drafted');

    relay.refuseAll({ stage: 'mail', code: 550, message: '5.4.5 Daily user sending quota exceeded. o65sm25351206pga.71 - gsmtp' });
    await harness.advance(16 * MINUTE);
    const began = await harness.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'), 40_000);
    expect(began.message).toContain('5.4.5 Daily user sending quota exceeded');
    expect(began.message).toContain('Its sends wait');
    const status = await getAccountStatus(harness.runtime.store, 'mail');
    expect(status.fix).toMatch(/sending limit/);
    expect(status.fix).toMatch(/lifts by itself/);
    expect(status.fix).not.toMatch(/folder|sender/);
    const [call] = await listInterviews(harness.runtime.store);
    const sendOf = async () => (await getActionRecords(harness.runtime.store, call!.id)).find((r) => r.kind === 'confirmation-send');
    await expect.poll(async () => (await sendOf())?.state, { timeout: 20_000 }).toBe('parked');

    // A new call during the limit: its confirmation draft is written all the same.
    const later = interviewEvent({ uid: 'limit-later', start: start + 6 * 60 * MINUTE, title: 'Phone screen with Sam (Beta)', organizer: { name: 'Sam Roe', email: 'sam@beta.example' } });
    await harness.setEvents([soon, later]);
    await harness.advance(1 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId !== call!.id);

    // The SMTP login passes meanwhile: the account is not checked, so the outage does not end
    // for the send to be refused again.
    expect(await resumeIfUsable(harness.engine)).toBeNull();
    expect(await currentOutage(harness.runtime.store, 'mail')).not.toBeNull();

    // The call is 3 minutes away: its confirmation can no longer go, and is recorded missed.
    await harness.advance(10 * MINUTE);
    const missed = await harness.waitForAudit((r) => r.type === 'missed' && r.interviewId === call!.id, 40_000);
    expect(missed.message).toMatch(/^confirmation send missed/);
    expect(relay.messages).toHaveLength(0);

    // Still within the quarter of an hour (14 minutes in): not checked. After it (16 minutes in),
    // the limit lifted: checked, and the outage ends. (An hour, SENDING_LIMIT_RECHECK_MS before,
    // held every confirmation due in the 45 minutes more.)
    relay.refuseAll(null);
    await harness.advance(3 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBeNull();
    await harness.advance(2 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).not.toBeNull();
    expect(await currentOutage(harness.runtime.store, 'mail')).toBeNull();
    expect(relay.messages).toHaveLength(0);
    expect((await harness.audit()).filter((r) => r.type === 'account' && r.message.includes('needs attention'))).toHaveLength(1);
  }, 120_000);

  it('keeps the limit and its recheck time when another fault comes and goes meanwhile, and says both', async () => {
    const { harness, relay, folder } = await relayedHarness();
    const start = Math.floor(harness.now() / 1000) * 1000;
    const soon = interviewEvent({ uid: 'both-soon', start: start + 40 * MINUTE });
    await harness.setEvents([soon]);
    await harness.start({ probeEveryMs: 24 * 60 * MINUTE });
    await harness.waitForAudit((r) => r.type === 'drafted');

    // The limit (gen-smtp/gen_smtp#140's reply): only the sends wait, checked again in a quarter of an hour.
    relay.refuseAll({ stage: 'mail', code: 550, message: '5.4.5 Daily user sending quota exceeded. o65sm25351206pga.71 - gsmtp' });
    await harness.advance(26 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'), 40_000);
    const limit = await currentOutage(harness.runtime.store, 'mail');
    expect(limit?.sendsOnly).toBe(true);
    expect(limit?.recheckAt).toBeGreaterThan(harness.now());

    // A second fault meanwhile: the Drafts folder is gone, and a new call's draft cannot be written.
    const drafts = join(folder, '.Drafts');
    await rename(drafts, `${drafts}.away`);
    const later = interviewEvent({ uid: 'both-later', start: start + 6 * 60 * MINUTE, title: 'Phone screen with Sam (Beta)', organizer: { name: 'Sam Roe', email: 'sam@beta.example' } });
    await harness.setEvents([soon, later]);
    await harness.advance(1 * MINUTE);
    const fault = await harness.waitForAudit((r) => r.type === 'account' && r.message.includes('Drafts folder'), 40_000);
    // Both facts: the whole account waits now, and the limit's recheck time is kept.
    expect(fault.message).toMatch(/sending limit/);
    const both = await currentOutage(harness.runtime.store, 'mail');
    expect(both?.sendsOnly).toBeFalsy();
    expect(both?.recheckAt).toBe(limit?.recheckAt);
    const status = await getAccountStatus(harness.runtime.store, 'mail');
    expect(status.fix).toMatch(/Drafts/);
    expect(status.fix).toMatch(/sending limit/);

    // The folder back before the limit's time: the fault is over, the limit is not. The draft is
    // written; the send still waits for the limit, which is not checked before its time.
    await rename(`${drafts}.away`, drafts);
    await harness.advance(1 * MINUTE, { reconcile: false });
    expect(await resumeIfUsable(harness.engine)).toBe(1);
    const laterId = (await listInterviews(harness.runtime.store)).find((i) => i.title.includes('Sam'))!.id;
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === laterId, 40_000);
    const after = await currentOutage(harness.runtime.store, 'mail');
    expect(after?.sendsOnly).toBe(true);
    expect(after?.recheckAt).toBe(limit?.recheckAt);
    expect((await getAccountStatus(harness.runtime.store, 'mail')).fix).not.toMatch(/Drafts/);
    expect(await resumeIfUsable(harness.engine)).toBeNull();
    expect(relay.messages).toHaveLength(0);
  }, 120_000);
});
