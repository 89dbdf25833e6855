/**
 * Park, don't fail (DESIGN.md, Outages), through the daemon as `ringback start` runs it: actions
 * that fall due while the mailbox cannot be used wait, the account says what to fix (one audit
 * line per outage), and when the mailbox works again the health probe runs those still of use
 * within seconds; the others are recorded once as missed with the outage window.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getAccountStatus } from '../../src/store/accounts.js';
import { startRecordingSmtpServer } from '../support/smtp-server.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { endOutage } from '../../src/store/outages.js';
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

async function recordOf(harness: EngineHarness, interviewId: string, kind: string) {
  return (await getActionRecords(harness.runtime.store, interviewId)).find((r) => r.kind === kind);
}

/** The daemon started on one call 3 hours ahead, a file standing where the Drafts folder should be. */
async function draftsFolderBlocked(uid: string): Promise<EngineHarness> {
  const harness = await startEngineHarness();
  const start = Math.floor(harness.now() / 1000) * 1000;
  await harness.setEvents([interviewEvent({ uid, start: start + 180 * MINUTE })]);
  await writeFile(join(harness.maildir, '.Drafts'), 'not a folder');
  await harness.start({ probeEveryMs: 200 });
  return harness;
}

describe('mailbox outage', () => {
  it('parks the actions while the Maildir is missing, then sends what is still useful and audits the rest as missed', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 } });
    const start = Math.floor(h.now() / 1000) * 1000;
    // "later": its confirmation is still of use after the outage; "soon": its call is under the
    // minimum lead time by then.
    await h.setEvents([
      interviewEvent({ uid: 'later-1', start: start + 120 * MINUTE }),
      interviewEvent({ uid: 'soon-1', start: start + 40 * MINUTE, title: 'Phone screen with Sam (Beta)', organizer: { name: 'Sam Roe', email: 'sam@beta.example' } }),
    ]);
    const away = `${h.maildir}.away`;
    await rename(h.maildir, away);
    await h.start({ probeEveryMs: 200 });

    const began = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    expect(began.message).toContain('does not exist');
    const interviews = await waitFor('two interviews', async () => {
      const all = await listInterviews(h!.runtime.store);
      return all.length === 2 ? all : null;
    });
    const later = interviews.find((i) => i.start === start + 120 * MINUTE)!;
    const soon = interviews.find((i) => i.start === start + 40 * MINUTE)!;
    // Both confirmation drafts fall due now and wait for the mailbox.
    for (const iv of [later, soon]) await waitFor(`${iv.id} draft parked`, async () => (await recordOf(h!, iv.id, 'confirmation-draft'))?.state === 'parked');

    const status = await getAccountStatus(h.runtime.store, 'mail');
    expect(status.attention).toBe('unusable');
    expect(status.unusableSince).not.toBeNull();
    expect(status.fix).toContain(h.maildir);
    expect(status.fix).toContain('ringback connect maildir');

    // 35 minutes pass: "soon" is now 5 minutes ahead, and its send falls due during the outage.
    // The reconciler drops its draft and send from the plan: both are recorded as missed, once.
    await h.advance(35 * MINUTE);
    const missedSend = await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === soon.id && r.message.startsWith('confirmation send'));
    expect(missedSend.message).toMatch(/mail could not be used since .+ \(still unusable\), and by the time it could the call was less than 10 minutes away/);
    await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === soon.id && r.message.startsWith('confirmation draft'));
    expect((await recordOf(h, soon.id, 'confirmation-send'))?.state).toBe('missed');
    expect(await h.folder('Drafts')).toHaveLength(0);

    const restoredAt = Date.now();
    await rename(away, h.maildir);
    const resumed = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('works again (it could not be used'));
    expect(resumed.message).toMatch(/could not be used from .+ to .+: \d+ waiting actions? resumed/);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === later.id);
    const resumeMs = Date.now() - restoredAt;
    expect(resumeMs).toBeLessThan(60_000);


    // One line per outage, not one per action that ran into it.
    const lines = (await h.audit()).filter((r) => r.type === 'account' && r.message.includes('needs attention'));
    expect(lines).toHaveLength(1);
    const after = await getAccountStatus(h.runtime.store, 'mail');
    expect(after.attention).toBeNull();
    expect(after.unusableSince).toBeNull();
    // Exactly one draft: the useful one; nothing for the missed call.
    const drafts = await h.folder('Drafts');
    expect(drafts.map((d) => d.mail.subject)).toHaveLength(1);
    expect(drafts[0]?.mail.to && 'text' in drafts[0].mail.to ? drafts[0].mail.to.text : '').toContain('dana@acme.example');
    expect((await h.audit(soon.id)).filter((r) => r.type === 'missed')).toHaveLength(2);
  }, 60_000);

  it('parks at once when a file stands where the Drafts folder should be, and resumes when it is removed', async () => {
    h = await draftsFolderBlocked('folder-1');
    const began = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'));
    expect(began.message).toContain('is not a folder');
    expect((await getAccountStatus(h.runtime.store, 'mail')).attention).toBe('unusable');
    expect((await h.audit()).filter((r) => r.type === 'error')).toHaveLength(0);
    await rm(join(h.maildir, '.Drafts'));
    await h.waitForAudit((r) => r.type === 'drafted');
    expect(await h.folder('Drafts')).toHaveLength(1);
  }, 60_000);

  it('runs the parked actions when the probe that ended the outage was killed before running them', async () => {
    h = await draftsFolderBlocked('killed-1');
    const [iv] = await waitFor('the interview', async () => {
      const all = await listInterviews(h!.runtime.store);
      return all.length === 1 ? all : null;
    });
    await waitFor('the draft parked', async () => (await recordOf(h!, iv!.id, 'confirmation-draft'))?.state === 'parked');
    // What a process killed in the middle of the resume leaves (src/engine/outage.ts
    // resumeIfUsable): the outage ended as it ends it, the job still waiting for PARK_RECHECK_MS.
    expect((await endOutage(h.runtime.store, 'mail', h.now()))?.parked.map((p) => p.interviewId)).toEqual([iv!.id]);
    await rm(join(h.maildir, '.Drafts'));
    // Run by the next probe once that end is 30 s old (before, the process that ended it may be running them).
    await h.advance(30_000, { sync: false, reconcile: false });
    const resumed = await h.waitForAudit((r) => r.type === 'account' && r.message.startsWith('mail works again'), 10_000);
    expect(resumed.message).toMatch(/^mail works again \(it could not be used from .+ to .+\): 1 waiting action resumed$/);
    await h.waitForAudit((r) => r.type === 'drafted', 10_000);
    expect(await h.folder('Drafts')).toHaveLength(1);
    // Released once: nothing is left to release again.
    const prefix = `{${h.runtime.store.prefix}}`;
    await waitFor('the release done', async () => (await h!.runtime.redis.exists(`${prefix}:parked:mail`, `${prefix}:releasing:mail`)) === 0);
    expect((await h.audit()).filter((r) => r.message.startsWith('mail works again'))).toHaveLength(1);
  }, 60_000);

  it('parks a send after a few tries when the SMTP relay is down, and sends it once when the server is back', async () => {
    const gone = await startRecordingSmtpServer();
    const port = gone.port;
    await gone.stop();
    const maildir = await mkdtemp(join(tmpdir(), 'ringback-relay-down-'));
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, sub), { recursive: true });
    h = await startEngineHarness({
      timing: { confirmLeadMinutes: 15, minLeadMinutes: 10 },
      mailbox: { type: 'maildir', id: 'mail', path: maildir, smtp: { host: '127.0.0.1', port } },
    });
    const start = Math.floor(h.now() / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'relay-1', start: start + 60 * MINUTE })]);
    await h.start({ probeEveryMs: 200 });
    await h.waitForAudit((r) => r.type === 'drafted');
    await h.advance(46 * MINUTE);
    const began = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'), 40_000);
    expect(began.message).toMatch(/SMTP 127\.0\.0\.1/);
    const status = await getAccountStatus(h.runtime.store, 'mail');
    expect(status.attention).toBe('unreachable');
    expect(status.fix).toContain('the mail server 127.0.0.1');
    const [iv] = await listInterviews(h.runtime.store);
    await waitFor('the send parked', async () => (await recordOf(h!, iv!.id, 'confirmation-send'))?.state === 'parked');

    const server = await startRecordingSmtpServer({ port });
    try {
      const sent = await h.waitForAudit((r) => r.type === 'sent');
      expect(sent.message).toContain('dana@acme.example');
      expect(server.messages).toHaveLength(1);
      expect((await h.audit()).filter((r) => r.type === 'error')).toHaveLength(0);
    } finally {
      await server.stop();
      await rm(maildir, { recursive: true, force: true });
    }
  }, 90_000);

  // An outage of more than an hour across a confirmation's send time, over before the call: the
  // mailbox goes away 110 minutes before a call whose confirmation is due 90 minutes before it
  // (ringback notices at the send time), and comes back 10 minutes after the hour, 15 minutes
  // before the call (the minimum lead is 10). The confirmation goes once when it is back, nothing
  // else is lost, and the audit says what happened: one line when the outage began, one when it
  // ended with its window, none for each look in between.
  it('sends a confirmation whose send time fell in an hour-long outage once the mailbox is back, still before the call', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 90, minLeadMinutes: 10 } });
    const start = Math.floor(h.now() / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'hour-1', start: start + 180 * MINUTE })]);
    await h.start({ probeEveryMs: 200 });
    await h.waitForAudit((r) => r.type === 'drafted');
    const [iv] = await listInterviews(h.runtime.store);

    // Up for 70 minutes, then gone (T-110); the send falls due at T-90 and waits.
    await h.advance(70 * MINUTE);
    const away = `${h.maildir}.away`;
    await rename(h.maildir, away);
    await h.advance(25 * MINUTE);
    const began = await h.waitForAudit((r) => r.type === 'account' && r.message.includes('needs attention'), 40_000);
    expect(began.message).toContain('does not exist');
    await waitFor('the send parked', async () => (await recordOf(h!, iv!.id, 'confirmation-send'))?.state === 'parked', 40_000);
    // The next hour, ten minutes at a time: the parked send looks again, the probe finds it down.
    for (let step = 0; step < 6; step += 1) await h.advance(10 * MINUTE);
    expect((await recordOf(h, iv!.id, 'confirmation-send'))?.state).toBe('parked');
    expect(await h.folder('Sent').catch(() => [])).toHaveLength(0);

    // Back at T-15 (h.now() is 155 minutes in): the confirmation goes, once.
    await rename(away, h.maildir);
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === iv!.id, 40_000);
    expect(sent.message).toContain('dana@acme.example');
    expect(await h.folder('Sent')).toHaveLength(1);
    expect(await h.folder('Drafts')).toHaveLength(0);
    const audit = await h.audit();
    expect(audit.filter((r) => r.type === 'account' && r.message.includes('needs attention'))).toHaveLength(1);
    const resumed = audit.find((r) => r.type === 'account' && r.message.includes('works again (it could not be used'));
    expect(resumed?.message).toMatch(/could not be used from .+ to .+: 1 waiting action resumed/);
    expect(audit.filter((r) => r.type === 'missed' || r.type === 'error')).toHaveLength(0);
    // A later round sends nothing more.
    await h.advance(2 * MINUTE);
    expect(await h.folder('Sent')).toHaveLength(1);
  }, 120_000);

  it('runs the actions of a mailbox that could not be opened at start once it can', async () => {
    // An IMAP mailbox whose password is not in the vault (Redis restarted without its data):
    // the daemon starts anyway, and the confirmation waits instead of being skipped for good.
    h = await startEngineHarness({
      mailbox: { type: 'imap', id: 'work', host: '127.0.0.1', port: 1, secure: false, username: 'ada', smtp: { host: '127.0.0.1', port: 1, secure: false } },
      allowProblems: true,
    });
    const start = Math.floor(h.now() / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'imap-1', start: start + 180 * MINUTE })]);
    await h.start({ probeEveryMs: 200 });
    const began = await h.waitForAudit((r) => r.type === 'account' && r.accountId === 'work');
    expect(began.message).toContain('needs attention');
    const [iv] = await waitFor('the interview', async () => {
      const all = await listInterviews(h!.runtime.store);
      return all.length === 1 ? all : null;
    });
    await waitFor('the draft parked', async () => (await recordOf(h!, iv!.id, 'confirmation-draft'))?.state === 'parked');
    expect((await h.audit()).filter((r) => r.type === 'skipped' || r.type === 'error')).toHaveLength(0);
    const status = await getAccountStatus(h.runtime.store, 'work');
    expect(status.attention).not.toBeNull();
    expect(status.fix).toMatch(/ringback connect imap|check/);
  }, 60_000);
});


describe('calendar outage', () => {
  it('withdraws no interview while the calendar cannot be read, says so once, and duplicates none when it is back', async () => {
    h = await startEngineHarness();
    const start = Math.floor(h.now() / 1000) * 1000;
    const events = [interviewEvent({ uid: 'cal-1', start: start + 180 * MINUTE }), interviewEvent({ uid: 'cal-2', start: start + 300 * MINUTE })];
    await h.setEvents(events);
    await h.sync();
    const before = await listInterviews(h.runtime.store);
    expect(before).toHaveLength(2);

    const file = h.config.calendars[0] && 'path' in h.config.calendars[0] ? (h.config.calendars[0].path as string) : '';
    await rename(file, `${file}.away`);
    for (let i = 0; i < 3; i++) await expect(h.sync()).rejects.toThrow(/does not exist/);
    const during = await listInterviews(h.runtime.store);
    expect(during.map((i) => [i.id, i.status, i.revision])).toEqual(before.map((i) => [i.id, i.status, i.revision]));
    const lines = (await h.audit()).filter((r) => r.type === 'account' && r.accountId === 'cal');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toContain('does not exist');

    await rename(`${file}.away`, file);
    const back = await h.sync();
    expect(back.withdrawn).toBe(0);
    expect(back.interviewsNew).toBe(0);
    const after = await listInterviews(h.runtime.store);
    expect(after.map((i) => [i.id, i.status, i.revision])).toEqual(before.map((i) => [i.id, i.status, i.revision]));
    expect((await getAccountStatus(h.runtime.store, 'cal')).attention).toBeNull();
  });
});
