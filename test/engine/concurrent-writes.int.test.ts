/**
 * Two writers of one interview's record at the same moment (real Redis, the real sync on the ics
 * source, the outcome as the dashboard records it from a connection of its own): the sync
 * rewriting an event the interviewer moved, and the user recording how the call went. Each reads
 * the record, changes it and writes it whole; whichever wrote last used to take out the other's
 * change: the outcome (and the company's no-show with it), or the event's new start.
 *
 * The moment is made exact with Redis itself: `CLIENT PAUSE … WRITE` lets both writers read and
 * holds both writes, in the order they were sent, until `CLIENT UNPAUSE`. The test runs on a Redis
 * of its own, so that the pause holds no other test's writes.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import type { Engine } from '../../src/engine/context.js';
import { markEvent } from '../../src/engine/mark.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { syncAccount } from '../../src/engine/sync.js';
import { getCompany, recordCompanyOutcome } from '../../src/store/companies.js';
import { getActionRecords, getInterview, replaceActionRecords, updateActionState } from '../../src/store/interviews.js';
import { createInterviews, updateInterview } from '../../src/store/interview-writes.js';
import { storedInterview } from '../support/interview-record.js';
import { createStore, type Store } from '../../src/store/store.js';
import type { ActionRecord } from '../../src/domain/actions.js';
import { MINUTE, interviewEvent, openSecondEngine, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';

const HOUR = 60 * MINUTE;
let redis: TestRedis;
let control: Redis;
let h: EngineHarness | null = null;
const closing: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  control = new Redis(redis.url, { lazyConnect: true });
  await control.connect();
});
afterAll(async () => {
  control.disconnect();
  await redis.stop();
});
afterEach(async () => {
  await control.client('UNPAUSE');
  for (const close of closing.splice(0)) await close();
  await h?.stop();
  h = null;
});

/** The engine of a second process on the same store, as `ringback outcome` or the dashboard opens one. */
async function secondEngine(harness: EngineHarness): Promise<Engine> {
  const second = await openSecondEngine(harness);
  closing.push(second.close);
  return second.engine;
}

async function clientId(engine: Engine): Promise<number> {
  return (await (engine.store.redis as Redis).client('ID')) as number;
}

/** Waits until Redis holds a write of this client under the pause (flag `b`). */
async function heldUnderPause(id: number): Promise<void> {
  const until = Date.now() + 10_000;
  for (;;) {
    const line = (await control.client('LIST', 'ID', String(id))) as string;
    if (/ flags=\S*b/.test(line)) return;
    if (Date.now() > until) throw new Error(`client ${id} never wrote while writes were paused: ${line.trim()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Starts `first`, waits until Redis holds its write, then `second` likewise, and lets both writes
 * through in that order: both decided on the record as it was before either wrote.
 */
async function atTheSameMoment(first: { id: number; run: () => Promise<unknown> }, second: { id: number; run: () => Promise<unknown> }): Promise<void> {
  await control.client('PAUSE', 10_000, 'WRITE');
  const running: Promise<unknown>[] = [];
  try {
    running.push(first.run());
    await heldUnderPause(first.id);
    running.push(second.run());
    await heldUnderPause(second.id);
  } finally {
    await control.client('UNPAUSE');
    await Promise.all(running);
  }
}

describe('a sync rewriting a moved interview while the user records its outcome', () => {
  it('keeps both the outcome (and the company no-show) and the new start, whichever writes last', async () => {
    h = await startEngineHarness({ redisUrl: redis.url });
    const harness = h;
    const start = Math.floor((harness.now() + 30 * HOUR) / 1000) * 1000;
    const uids = ['race-1', 'race-2', 'race-3', 'race-4'];
    const events = uids.map((uid, i) => interviewEvent({ uid, start: start + i * 24 * HOUR }));
    await harness.setEvents(events);
    expect((await harness.sync()).interviewsNew).toBe(uids.length);
    const user = await secondEngine(harness);
    const [syncClient, userClient] = [await clientId(harness.engine), await clientId(user)];
    const signal = new AbortController().signal;

    for (const [i, uid] of uids.entries()) {
      const id = interviewIdFor('cal', uid);
      const event = events[i]!;
      const movedTo = event.start + HOUR;
      events[i] = { ...event, start: movedTo, end: event.end + HOUR };
      await harness.setEvents(events);
      const sync = { id: syncClient, run: () => syncAccount(harness.engine, 'cal', signal) };
      const outcome = { id: userClient, run: () => recordOutcome(user, id, 'interviewer-no-show', 'dashboard') };
      // Even: the user's write reaches Redis first, and the sync's rewrite after it.
      if (i % 2 === 0) await atTheSameMoment(outcome, sync);
      else await atTheSameMoment(sync, outcome);

      const stored = await getInterview(harness.runtime.store, id);
      expect({ uid, start: stored?.start, rescheduled: stored?.rescheduled, revision: stored?.revision, outcome: stored?.outcome, source: stored?.outcomeSource }).toEqual({
        uid,
        start: movedTo,
        rescheduled: 1,
        revision: 2,
        outcome: 'interviewer-no-show',
        source: 'dashboard',
      });
      // Both replanned, each with the revision it wrote: the plan of the new one is what stays.
      expect(new Set((await getActionRecords(harness.runtime.store, id)).map((r) => r.revision))).toEqual(new Set([2]));
    }
    expect((await getCompany(harness.runtime.store, 'acme.example')).noShows).toEqual(uids.map((uid) => interviewIdFor('cal', uid)));
  });

  it('keeps both the new start and the mark the user gives the interview as it was shown', async () => {
    h = await startEngineHarness({ redisUrl: redis.url });
    const harness = h;
    const start = Math.floor((harness.now() + 30 * HOUR) / 1000) * 1000;
    const uids = ['mark-1', 'mark-2'];
    const events = uids.map((uid, i) => interviewEvent({ uid, start: start + i * 24 * HOUR }));
    await harness.setEvents(events);
    await harness.sync();
    const user = await secondEngine(harness);
    const [syncClient, userClient] = [await clientId(harness.engine), await clientId(user)];
    const signal = new AbortController().signal;

    for (const [i, uid] of uids.entries()) {
      const id = interviewIdFor('cal', uid);
      // What `ringback mark` or the dashboard showed the user, before the event moved.
      const shown = await getInterview(user.store, id);
      if (!shown) throw new Error(`no interview ${uid}`);
      const event = events[i]!;
      events[i] = { ...event, start: event.start + HOUR, end: event.end + HOUR };
      await harness.setEvents(events);
      const sync = { id: syncClient, run: () => syncAccount(harness.engine, 'cal', signal) };
      const mark = { id: userClient, run: () => markEvent(user, { interview: shown }, { kind: 'phone', direction: 'candidate-calls', number: '+1 212 555 0177' }) };
      if (i % 2 === 0) await atTheSameMoment(mark, sync);
      else await atTheSameMoment(sync, mark);

      expect(await getInterview(harness.runtime.store, id)).toMatchObject({
        start: event.start + HOUR,
        direction: 'candidate-calls',
        number: '+12125550177',
        decidedBy: 'you',
        review: false,
        revision: 3,
      });
    }
  });

  it('keeps both of two no-shows recorded at once at one company', async () => {
    h = await startEngineHarness({ redisUrl: redis.url });
    const harness = h;
    const other = await secondEngine(harness);
    const [one, two] = [await clientId(harness.engine), await clientId(other)];
    const policy = harness.config.policy;
    await createInterviews(harness.engine.store, ['iv-a', 'iv-b'].map((id) => storedInterview(id, { company: 'globex.example', outcome: 'interviewer-no-show', outcomeSource: 'cli' })));
    await atTheSameMoment(
      { id: one, run: () => recordCompanyOutcome(harness.engine.store, 'globex.example', 'iv-a', policy) },
      { id: two, run: () => recordCompanyOutcome(other.store, 'globex.example', 'iv-b', policy) },
    );
    expect((await getCompany(harness.runtime.store, 'globex.example')).noShows).toEqual(['iv-a', 'iv-b']);
  });
});

describe('two outcomes recorded for one interview at the same moment', () => {
  it('counts at the company the outcome the interview ends with, whichever company write lands last', async () => {
    h = await startEngineHarness({ redisUrl: redis.url });
    const harness = h;
    const other = await secondEngine(harness);
    const [user, company] = [await clientId(harness.engine), await clientId(other)];
    const policy = harness.config.policy;
    await createInterviews(harness.engine.store, [storedInterview('iv-c', { company: 'globex.example', outcome: 'interviewer-no-show', outcomeSource: 'cli' })]);
    // The user corrects the outcome to held; the company's write, computed from the no-show it read
    // before the correction landed, is held after it.
    await atTheSameMoment(
      { id: user, run: () => updateInterview(harness.engine.store, 'iv-c', (current) => ({ ...current, outcome: 'held', outcomeSource: 'dashboard' })) },
      { id: company, run: () => recordCompanyOutcome(other.store, 'globex.example', 'iv-c', policy) },
    );
    expect((await getInterview(harness.runtime.store, 'iv-c'))?.outcome).toBe('held');
    expect((await getCompany(harness.runtime.store, 'globex.example')).noShows).toEqual([]);
  });

  it('ends with the interview and its company agreeing when both outcomes go through the engine', async () => {
    h = await startEngineHarness({ redisUrl: redis.url });
    const harness = h;
    const start = Math.floor((harness.now() + 30 * HOUR) / 1000) * 1000;
    await harness.setEvents([interviewEvent({ uid: 'twice-1', start })]);
    await harness.sync();
    const other = await secondEngine(harness);
    const id = interviewIdFor('cal', 'twice-1');
    const [one, two] = [await clientId(harness.engine), await clientId(other)];
    await atTheSameMoment(
      { id: one, run: () => recordOutcome(harness.engine, id, 'interviewer-no-show', 'cli') },
      { id: two, run: () => recordOutcome(other, id, 'held', 'dashboard') },
    );
    const stored = await getInterview(harness.runtime.store, id);
    const noShows = (await getCompany(harness.runtime.store, 'acme.example')).noShows;
    expect(noShows.includes(id)).toBe(stored?.outcome === 'interviewer-no-show');
  });
});

describe('a job noting its state while a replan writes the newer revision', () => {
  it('leaves the newer revision’s record as the replan wrote it', async () => {
    const prefix = `concurrent-${Date.now()}`;
    const stores = [0, 1].map(() => createStore(new Redis(redis.url), prefix));
    closing.push(async () => {
      for (const store of stores) store.redis.disconnect();
    });
    const [job, sync] = stores as [Store, Store];
    const interviewId = 'ivconcurrent01';
    await replaceActionRecords(sync, interviewId, [{ kind: 'confirmation-send', dueAt: 1_000, state: 'pending', revision: 1 }]);
    const newer: ActionRecord = { kind: 'confirmation-send', dueAt: 2_000, state: 'pending', revision: 2 };
    // The replan's write is held first; the job then reads revision 1 and its write is held after it.
    await atTheSameMoment(
      { id: (await sync.redis.client('ID')) as number, run: () => replaceActionRecords(sync, interviewId, [newer]) },
      { id: (await job.redis.client('ID')) as number, run: () => updateActionState(job, interviewId, 'confirmation-send', 1, 'parked', 'waiting for the mailbox') },
    );
    expect(await getActionRecords(job, interviewId)).toEqual([newer]);
  });
});
