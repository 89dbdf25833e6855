/**
 * sync-steady: one Google calendar of 5,000 events, 1% of them changed between polls.
 *
 * Ours: the whole engine sync (`syncAccount`: cursor, event hashes, detect, replan, audit) over
 * the Google adapter (`createGoogleCalendarSource`, real googleapis client), against the local
 * Google stand-in running in a child process. Baseline: a naive poller that re-lists the whole
 * window each time (events.list with timeMin/timeMax, every page), as polling triggers in
 * workflow tools do. Bytes are response bodies as the server counted them; requests include the
 * OAuth token request when one happened.
 */
import { syncAccount, type SyncSummary } from '../src/engine/sync.js';
import { todayUtc } from './lib/calendar-data.js';
import { fewer, info, limit, scaled, type Figure, type Scenario, type ScenarioResult } from './lib/figures.js';
import { bareGoogle, startRemoteGoogle } from './lib/google.js';
import { describeProfile } from './lib/redis.js';
import { onOwnRedis } from './lib/session.js';

const DAY = 86_400_000;
const CALENDAR = 'steady@bench.example';

interface Measured {
  readonly requests: number;
  readonly bytes: number;
  readonly ms: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export const syncSteady: Scenario = {
  name: 'sync-steady',
  what: 'one Google calendar, 1% changed between polls: engine sync vs a naive re-listing poll',
  async run(context): Promise<ScenarioResult> {
    const began = Date.now();
    const events = scaled(5_000, context, 200, 100);
    const perPoll = Math.max(1, Math.round(events * 0.01));
    const polls = context.tiny ? 2 : 5;
    return await onOwnRedis(context, async ({ redis, openEngine, defer }) => {
      const google = await startRemoteGoogle();
      defer(() => google.stop());
      await google.call({ op: 'seed', calendars: [{ id: CALENDAR, shape: { account: 0, count: events, interviewShare: 0.05, base: todayUtc() } }] });
      const source = await google.source('google', CALENDAR);
      const engine = (await openEngine({ sources: new Map([['google', source]]) })).engine;

      const measure = async (work: () => Promise<SyncSummary | void>): Promise<Measured & { summary: SyncSummary | void }> => {
        const before = await google.stats();
        const t0 = performance.now();
        const summary = await work();
        const ms = performance.now() - t0;
        const after = await google.stats();
        return { requests: after.requests - before.requests, bytes: after.bytes - before.bytes, ms, summary };
      };
      const sync = () => syncAccount(engine, 'google', new AbortController().signal);

      context.progress(`first sync of ${events} events`);
      const first = await measure(sync);
      const firstSummary = first.summary as SyncSummary;
      if (!firstSummary.full || firstSummary.events !== events) throw new Error(`first sync saw ${firstSummary.events} of ${events} events`);

      await redis.resetStats();
      const changed: Measured[] = [];
      for (let round = 1; round <= polls; round++) {
        const change = await google.call<{ changed: number; interviews: number }>({ op: 'change', calendarId: CALENDAR, count: perPoll, round });
        const m = await measure(sync);
        const s = m.summary as SyncSummary;
        if (s.full || s.changed !== perPoll || s.interviewsUpdated !== change.interviews) {
          throw new Error(`poll ${round}: ${perPoll} events changed (${change.interviews} interviews moved); the engine saw ${s.changed} (${s.interviewsUpdated} interviews updated, full: ${s.full})`);
        }
        changed.push(m);
        context.progress(`poll ${round}/${polls} with ${perPoll} changed: ${m.requests} requests, ${m.bytes} bytes, ${m.ms.toFixed(0)} ms`);
      }
      const changedProfile = await redis.profile();

      const idle: Measured[] = [];
      for (let round = 1; round <= polls; round++) {
        const m = await measure(sync);
        if ((m.summary as SyncSummary).changed !== 0) throw new Error('an idle poll saw changes');
        idle.push(m);
      }
      context.progress(`idle polls: ${idle.map((m) => m.requests).join(', ')} requests`);

      const bare = bareGoogle(google);
      const token = await bare.accessToken(await google.call<string>({ op: 'token' }));
      const naive: Measured[] = [];
      for (let round = 1; round <= polls; round++) {
        const now = Date.now();
        let listed = 0;
        const m = await measure(async () => {
          listed = (await bare.listAll(token, CALENDAR, { timeMin: new Date(now - DAY).toISOString(), timeMax: new Date(now + 30 * DAY).toISOString() })).items;
        });
        if (listed !== events) throw new Error(`the naive poll listed ${listed} of ${events} events`);
        naive.push(m);
      }
      context.progress(`naive polls: ${naive[0]?.requests} requests, ${naive[0]?.bytes} bytes each`);

      const naiveRequests = mean(naive.map((m) => m.requests));
      const naiveBytes = mean(naive.map((m) => m.bytes));
      const naiveMs = mean(naive.map((m) => m.ms));
      const figures: Figure[] = [
        limit('requests per poll, nothing changed', mean(idle.map((m) => m.requests)), 'requests', { max: 1 }, { baseline: naiveRequests, label: 'naive poll', kind: 'fewer' }),
        fewer('bytes per poll, 1% changed', mean(changed.map((m) => m.bytes)), naiveBytes, 'bytes', 'naive poll', 50),
        info('bytes per poll, nothing changed', mean(idle.map((m) => m.bytes)), 'bytes', { baseline: naiveBytes, label: 'naive poll', kind: 'fewer' }),
        info('requests per poll, 1% changed', mean(changed.map((m) => m.requests)), 'requests', { baseline: naiveRequests, label: 'naive poll', kind: 'fewer' }),
        info('time per poll, 1% changed (whole engine sync)', mean(changed.map((m) => m.ms)), 'ms', { baseline: naiveMs, label: 'naive poll (listing only)', kind: 'fewer' }),
        info('time per poll, nothing changed', mean(idle.map((m) => m.ms)), 'ms', { baseline: naiveMs, label: 'naive poll (listing only)', kind: 'fewer' }),
        info('first sync: requests', first.requests, 'requests'),
        info('first sync: bytes', first.bytes, 'bytes'),
        info('first sync: time (whole engine sync)', first.ms, 'ms'),
      ];
      return {
        scenario: 'sync-steady',
        what: this.what,
        size: { events, changedPerPoll: perPoll, polls, interviews: Math.ceil(events / 20), pageSize: 250 },
        figures,
        notes: [
          'Ours drives the whole engine sync (syncAccount: cursor, event hashes, detect, replan, audit) over createGoogleCalendarSource and the real googleapis client.',
          'The Google stand-in (test/support/google-server.ts) runs in a child process; bytes are response bodies it served.',
          'The naive poll lists [now - 1 day, now + 30 days] with timeMin/timeMax, 250 per page (Google\'s default), every page, and does nothing else.',
          `The first sync made ${firstSummary.interviewsNew} interviews and planned their jobs.`,
        ],
        profile: { redisDuringChangedPolls: changedProfile, summary: describeProfile(changedProfile) },
        durationMs: Date.now() - began,
        files: [],
      };
    });
  },
};
