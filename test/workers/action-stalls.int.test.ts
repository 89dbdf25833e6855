/**
 * A send job whose process dies again and again while it runs (a crash loop: the smtp-window chaos
 * scenario of 7 Dec 2026 lost 2 of 60 confirmations so, docs/RELIABILITY.md). Real Redis, real
 * BullMQ, the engine as `ringback start` runs it on a Maildir. A "dying process" is a BullMQ worker
 * that takes the job (getNextJob, as a worker does) and never finishes it nor renews its lock, as
 * a SIGKILLed process leaves it; its stalled check (BullMQ's moveStalledJobsToWait, with the
 * actions' maxStalledCount) finds the lock gone and counts a stall. Past ACTION_MAX_STALLS the
 * queue fails the job as "job stalled more than allowable limit" when a worker next takes it.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Worker } from 'bullmq';
import { reconcile } from '../../src/engine/reconcile.js';
import { ACTIONS_QUEUE, actionJobId, legacyActionJobId } from '../../src/queue/jobs.js';
import { bullPrefix } from '../../src/queue/queues.js';
import { ACTION_MAX_STALLS, ACTION_STALLS_IN_ALL } from '../../src/queue/stalls.js';
import { openRedis } from '../../src/store/connection.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { actionFailedListener } from '../../workers/actions.js';
import { MINUTE, draftedAhead, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
let dying: { worker: Worker; close: () => Promise<void> } | null = null;
afterEach(async () => {
  await dying?.close();
  dying = null;
  await h?.stop();
  h = null;
});

/** A confirmation drafted by the daemon, the daemon stopped, its send due now and waiting. */
async function sendDueWithDaemonStopped(uid: string): Promise<{ harness: EngineHarness; id: string; sendJob: string }> {
  const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 } });
  const { id } = await draftedAhead(harness, uid, 50 * MINUTE);
  await harness.stopDaemon();
  // The send (planned 5 minutes after the draft) falls due; the calendar was read just now.
  await harness.advance(6 * MINUTE);
  await harness.sync();
  const sendJob = actionJobId(id, 'confirmation-send', 1);
  expect(await harness.runtime.queues.actions.getJobState(sendJob)).toBe('waiting');
  return { harness, id, sendJob };
}

/** The dying process: takes jobs and lets them stall (see the file's head). */
async function dyingProcess(harness: EngineHarness): Promise<{ worker: Worker; close: () => Promise<void> }> {
  const connection = openRedis(inject('redisUrl'), { forWorkers: true });
  const worker = new Worker(ACTIONS_QUEUE, null, {
    connection,
    prefix: bullPrefix(harness.config.prefix),
    lockDuration: 150,
    stalledInterval: 50,
    maxStalledCount: ACTION_MAX_STALLS,
    autorun: false,
  });
  await worker.startStalledCheckTimer();
  return {
    worker,
    close: async () => {
      await worker.close(true);
      connection.disconnect();
    },
  };
}

/**
 * The dying process takes the job and dies with it: resolves once the stalled check has moved it
 * back, or with false when the worker failed the job as it took it (a stall past the limit).
 */
async function stallOnce(worker: Worker, jobId: string): Promise<boolean> {
  let onStalled: (id: string) => void = () => undefined;
  const stalled = new Promise<void>((resolve) => {
    onStalled = (id) => {
      if (id === jobId) resolve();
    };
    worker.on('stalled', onStalled);
  });
  try {
    const job = await worker.getNextJob(randomUUID(), { block: false });
    if (!job) return false;
    expect(job.id).toBe(jobId);
    await stalled;
    return true;
  } finally {
    worker.off('stalled', onStalled);
  }
}

async function jobState(harness: EngineHarness, jobId: string, wanted: readonly string[], timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await harness.runtime.queues.actions.getJobState(jobId);
    if (wanted.includes(state)) return state;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a send job stalled past the queue limit by a crash loop', () => {
  it('is run again when the daemon comes back, and the confirmation is sent once', async () => {
    const { harness, id, sendJob } = await sendDueWithDaemonStopped('stall1');
    h = harness;
    dying = await dyingProcess(h);
    for (let i = 0; i <= ACTION_MAX_STALLS; i++) expect(await stallOnce(dying.worker, sendJob)).toBe(true);
    await dying.close();
    dying = null;
    // Eleven stalls: the next worker to take it fails it (BullMQ), before running it.
    expect(await h.runtime.queues.actions.getJobState(sendJob)).toBe('waiting');

    await h.start();
    const end = await h.waitForAudit((r) => r.interviewId === id && (r.type === 'sent' || /failed for good/.test(r.message)));
    expect(end.message).not.toMatch(/failed for good/);
    expect(end.type).toBe('sent');
    const sent = await h.folder('Sent');
    expect(sent.map((m) => m.mail.messageId)).toEqual([`<ringback.${id}.confirmation.1@example.org>`]);
    expect(await h.folder('Drafts')).toHaveLength(0);
    const audit = await h.audit(id);
    expect(audit.filter((r) => /ringback stopped 11 times while running it/.test(r.message))).toHaveLength(1);
    expect((await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send')?.state).toBe('sent');
  });

  it('is failed for good after ACTION_STALLS_IN_ALL stalls in all (a job that kills its process every time), saying so', async () => {
    const { harness, id, sendJob } = await sendDueWithDaemonStopped('stall2');
    h = harness;
    dying = await dyingProcess(h);
    // The worker's own listener decides what a failed job becomes, as in the daemon.
    const errors: Error[] = [];
    dying.worker.on('failed', actionFailedListener(h.engine, { onError: (e) => errors.push(e) }));
    let stalls = 0;
    for (;;) {
      if (await stallOnce(dying.worker, sendJob)) {
        stalls++;
        continue;
      }
      // Failed as the dying process took it (put back at once, it is taken again in the same
      // getNextJob): its listener gave up, or is putting it back.
      const state = await jobState(h, sendJob, ['waiting', 'failed']);
      const records = await getActionRecords(h.runtime.store, id);
      if (state === 'failed' && records.find((r) => r.kind === 'confirmation-send')?.state === 'failed') break;
      expect(stalls).toBeLessThanOrEqual(ACTION_STALLS_IN_ALL);
    }
    await h.waitForAudit((r) => r.interviewId === id && /failed for good/.test(r.message));
    expect(errors).toEqual([]);
    expect(stalls).toBe(ACTION_STALLS_IN_ALL);
    const audit = await h.audit(id);
    // Said once when first put back, and once when given up; nothing sent, the draft kept.
    expect(audit.filter((r) => /ringback stopped \d+ times while running it/.test(r.message)).map((r) => r.message)).toEqual([
      expect.stringMatching(/^confirmation send: ringback stopped 11 times while running it .*given up after 30 such stops\)$/),
      expect.stringMatching(/^confirmation send failed for good \(.*\): ringback stopped 30 times while running it \(killed or crashed each time\): it is not run again.*its draft, if written, is in Drafts for you to send$/),
    ]);
    expect(await h.folder('Sent')).toHaveLength(0);
    // The draft, for the user to send, and the note to them that it was not sent (missed-notice.int.test.ts).
    await h.waitForAudit((r) => r.interviewId === id && r.message.includes('not sent is in your Drafts'));
    expect((await h.folder('Drafts')).map((f) => f.mail.messageId?.split('.')[2]).sort()).toEqual(['confirmation', 'notice']);
  });

  it('is put back by the reconciler when the process died before its failed listener ran', async () => {
    const { harness, id, sendJob } = await sendDueWithDaemonStopped('stall3');
    h = harness;
    dying = await dyingProcess(h);
    for (let i = 0; i <= ACTION_MAX_STALLS; i++) expect(await stallOnce(dying.worker, sendJob)).toBe(true);
    // The dying process takes it once more and fails it (BullMQ), with no listener: nothing recorded.
    expect(await stallOnce(dying.worker, sendJob)).toBe(false);
    await dying.close();
    dying = null;
    expect(await h.runtime.queues.actions.getJobState(sendJob)).toBe('failed');
    expect((await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send')?.state).toBe('pending');

    expect((await reconcile(h.engine)).unrecorded).toBe(1);
    expect(await h.runtime.queues.actions.getJobState(sendJob)).toBe('waiting');
    await h.start();
    const end = await h.waitForAudit((r) => r.interviewId === id && (r.type === 'sent' || /failed for good/.test(r.message)));
    expect(end.type).toBe('sent');
    expect((await h.folder('Sent')).map((m) => m.mail.messageId)).toEqual([`<ringback.${id}.confirmation.1@example.org>`]);
    // A second reconcile finds nothing left to do.
    expect((await reconcile(h.engine)).unrecorded).toBe(0);
  });

  it('is put back under its own id when it was queued by an earlier version (the id of the earlier form)', async () => {
    h = await startEngineHarness();
    const legacy = legacyActionJobId('ivstall00004', 'confirmation-send', 1);
    await h.runtime.queues.actions.add('action', { interviewId: 'ivstall00004', kind: 'confirmation-send', revision: 1 }, { jobId: legacy, attempts: 25 });
    dying = await dyingProcess(h);
    const errors: Error[] = [];
    dying.worker.on('failed', actionFailedListener(h.engine, { onError: (e) => errors.push(e) }));
    for (let i = 0; i <= ACTION_MAX_STALLS; i++) expect(await stallOnce(dying.worker, legacy)).toBe(true);
    // Taken once more, it is failed (BullMQ) and its listener puts it back.
    await stallOnce(dying.worker, legacy);
    await h.waitForAudit((r) => r.interviewId === 'ivstall00004' && /ringback stopped 11 times while running it/.test(r.message));
    expect(await jobState(h, legacy, ['waiting', 'active'])).toBeDefined();
    expect(errors).toEqual([]);
  });
});
