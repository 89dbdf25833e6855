/**
 * fleet: 1,000 Google accounts × 300 events (5% interviews) against the same local stand-in:
 * the first sync and plan of every account, then steady poll cycles (1% of the events changed in each).
 *
 * Ours: `syncWithLease` (what the daemon's sync worker runs: lease, syncAccount, account status)
 * for each account, as many at a time as the daemon's sync worker runs (`SYNC_CONCURRENCY`).
 * Baseline: the same number of bare HTTP requests to the same server, two at a time (the issue's
 * poller): a token request and the full listing's pages per account for the first sync, one
 * sync-token request per account for the poll. The figure is requests per second; the target is
 * ≥ 50% of the bare rate. A last sweep polls at 2, 4 and 8 at a time, ours and bare alike, which
 * is how the worker's concurrency was chosen.
 */
import { SYNC_CONCURRENCY, syncWithLease } from '../workers/sync.js';
import { actionJobIds } from '../src/queue/queues.js';
import { listInterviewIds } from '../src/store/interviews.js';
import { todayUtc } from './lib/calendar-data.js';
import { cpuMeter, profiled, type PhaseProfile } from './lib/cpu.js';
import { eachLimited, info, scaled, share, type Scenario, type ScenarioResult } from './lib/figures.js';
import { bareGoogle, startRemoteGoogle } from './lib/google.js';
import { describeProfile, type RedisProfile } from './lib/redis.js';
import { onOwnRedis } from './lib/session.js';

const DAY = 86_400_000;
/** The bare poller's concurrency, as the issue defines the baseline. */
const BARE_CONCURRENCY = 2;
/**
 * Poll cycles right after the first sync (reported, not the target's figure), then the steady
 * cycles the target is measured on.
 */
const EARLY_CYCLES = 3;
const STEADY_CYCLES = 7;
/** The poll cycles of the last sweep: each polls every account at this many at a time. */
const SWEEP = [2, 4, 8] as const;

export const fleet: Scenario = {
  name: 'fleet',
  what: '1,000 Google accounts × 300 events: first sync and plan, then a steady poll cycle, vs bare HTTP requests',
  async run(context): Promise<ScenarioResult> {
    const began = Date.now();
    const accounts = scaled(1_000, context, 4, 2);
    const events = context.tiny ? 60 : 300;
    const changedPerAccount = Math.max(1, Math.round(events * 0.01));
    return await onOwnRedis(context, async ({ redis, openEngine, defer }) => {
      const google = await startRemoteGoogle();
      defer(() => google.stop());
      const ids = Array.from({ length: accounts }, (_, i) => ({ accountId: `g${i}`, calendarId: `acct${i}@bench.example`, index: i }));
      const base = todayUtc();
      for (let i = 0; i < ids.length; i += 100) {
        await google.call({
          op: 'seed',
          calendars: ids.slice(i, i + 100).map((a) => ({ id: a.calendarId, shape: { account: a.index, count: events, interviewShare: 0.05, base } })),
        });
      }
      context.progress(`seeded ${accounts} calendars × ${events} events`);
      const sources = new Map();
      for (const a of ids) sources.set(a.accountId, await google.source(a.accountId, a.calendarId));
      const engine = (await openEngine({ sources })).engine;
      const bare = bareGoogle(google);

      const cpu: Record<string, PhaseProfile> = {};
      type Timed = { requests: number; seconds: number; rate: number; processMs: number; redisMs: number };
      const timed = async (label: string, work: () => Promise<void>): Promise<Timed> => {
        const before = await google.stats();
        const meter = await cpuMeter(redis);
        const t0 = performance.now();
        await work();
        const seconds = (performance.now() - t0) / 1000;
        const { processMs, redisMs } = await meter.stop();
        const requests = (await google.stats()).requests - before.requests;
        context.progress(
          `${label}: ${requests} requests in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)}/s); CPU ${processMs.toFixed(0)} ms here + ${redisMs.toFixed(0)} ms Redis`,
        );
        return { requests, seconds, rate: requests / seconds, processMs, redisMs };
      };
      const every = (what: string, work: (a: (typeof ids)[number]) => Promise<void>, concurrency: number) => async () => {
        let done = 0;
        await eachLimited(ids, concurrency, async (a) => {
          await work(a);
          if (++done % Math.max(1, Math.floor(accounts / 5)) === 0) context.progress(`${what}: ${done}/${accounts} accounts`);
        });
      };

      // Baseline, first sync: a token and every page of the window, per account.
      const syncTokens = new Map<string, string>();
      const bareFirst = await timed(
        'bare first listing',
        every('bare first listing', async (a) => {
          const token = await bare.accessToken(await google.call<string>({ op: 'token' }));
          const now = Date.now();
          const listed = await bare.listAll(token, a.calendarId, { timeMin: new Date(now - DAY).toISOString(), timeMax: new Date(now + 30 * DAY).toISOString() });
          if (listed.nextSyncToken) syncTokens.set(a.calendarId, `${token} ${listed.nextSyncToken}`);
        }, BARE_CONCURRENCY),
      );

      await redis.resetStats();
      const signal = new AbortController().signal;
      const ourFirst = await timed('engine first sync and plan', () =>
        profiled(context, 'fleet-first-sync', every('engine first sync', async (a) => {
          const summary = await syncWithLease(engine, a.accountId, signal);
          if (!summary?.full || summary.events !== events) throw new Error(`first sync of ${a.accountId}: ${summary?.events} of ${events} events`);
        }, SYNC_CONCURRENCY), cpu),
      );
      const firstProfile: RedisProfile = await redis.profile();
      const interviews = (await listInterviewIds(engine.store)).length;
      const jobs = (await actionJobIds(engine.queues)).pending.size;

      // Poll cycles: 1% of each calendar changes, then the bare client and the engine each poll
      // every account once. The first cycles follow the first sync at once, while this process is
      // still compiling the poll's code and collecting the first sync's garbage: their CPU per
      // account falls from cycle to cycle (bench/README.md, 2026-12-06). They are reported as
      // they are, and the steady figure is taken from the cycles after them, which measure what a
      // daemon does after its first minutes; both sides are measured over the same cycles.
      const earlyCycles = context.tiny ? 1 : EARLY_CYCLES;
      const cycles = earlyCycles + (context.tiny ? 1 : STEADY_CYCLES);
      const barePolls: Timed[] = [];
      const ourPolls: Timed[] = [];
      const bareOne = async (a: (typeof ids)[number]) => {
        const [token, syncToken] = (syncTokens.get(a.calendarId) ?? '').split(' ');
        const page = await bare.list(token ?? '', a.calendarId, { syncToken: syncToken ?? '' });
        if ((page.items?.length ?? 0) !== changedPerAccount) throw new Error(`bare poll of ${a.calendarId}: ${page.items?.length} items`);
        syncTokens.set(a.calendarId, `${token} ${page.nextSyncToken}`);
      };
      const ourOne = async (a: (typeof ids)[number]) => {
        const summary = await syncWithLease(engine, a.accountId, signal);
        if (summary?.full || summary?.changed !== changedPerAccount) throw new Error(`poll of ${a.accountId}: ${summary?.changed} changed`);
      };
      let round = 0;
      // Interviews moved by each cycle's changes (the rest are meetings renamed): a moved interview
      // is replanned, far more work than a renamed meeting. The bench's rounds move none but the
      // ninth, one per account: 4.8% of the changes of cycles 4–10, the calendars' share.
      const moved: number[] = [];
      const change = async () => {
        round++;
        let interviewsMoved = 0;
        for (const a of ids) {
          interviewsMoved += (await google.call<{ interviews: number }>({ op: 'change', calendarId: a.calendarId, count: changedPerAccount, round })).interviews;
        }
        moved.push(interviewsMoved);
      };
      await redis.resetStats();
      let earlyProfile: RedisProfile | null = null;
      for (let cycle = 1; cycle <= cycles; cycle++) {
        if (cycle === earlyCycles + 1) {
          earlyProfile = await redis.profile();
          await redis.resetStats();
        }
        await change();
        barePolls.push(await timed(`bare poll cycle ${cycle}`, every('bare poll', bareOne, BARE_CONCURRENCY)));
        // Profiled: the last early cycle and the last steady one.
        const poll = every('engine poll', ourOne, SYNC_CONCURRENCY);
        const profile = cycle === earlyCycles || cycle === cycles;
        ourPolls.push(await timed(`engine poll cycle ${cycle}`, () => (profile ? profiled(context, `fleet-poll-${cycle}`, poll, cpu) : poll())));
      }
      const rateOf = (polls: { requests: number; seconds: number }[]) =>
        polls.reduce((n, p) => n + p.requests, 0) / polls.reduce((n, p) => n + p.seconds, 0);
      const secondsOf = (polls: { seconds: number }[]) => polls.reduce((n, p) => n + p.seconds, 0) / polls.length;
      const early = { ours: ourPolls.slice(0, earlyCycles), bare: barePolls.slice(0, earlyCycles) };
      const steady = { ours: ourPolls.slice(earlyCycles), bare: barePolls.slice(earlyCycles) };
      const pollProfile = await redis.profile();

      // The sweep: one poll cycle per concurrency, ours and bare at the same number at a time.
      const sweep: { concurrency: number; ours: number; bare: number }[] = [];
      for (const concurrency of context.tiny ? [] : SWEEP) {
        await change();
        const b = await timed(`bare poll, ${concurrency} at a time`, every('bare poll', bareOne, concurrency));
        const o = await timed(`engine poll, ${concurrency} at a time`, every('engine poll', ourOne, concurrency));
        sweep.push({ concurrency, ours: o.rate, bare: b.rate });
      }

      return {
        scenario: 'fleet',
        what: this.what,
        size: { accounts, eventsPerAccount: events, interviewShare: '5%', changedPerAccountInPoll: changedPerAccount, pollCycles: cycles, earlyPollCycles: earlyCycles, concurrency: SYNC_CONCURRENCY, bareConcurrency: BARE_CONCURRENCY },
        figures: [
          share('first sync and plan: request rate', ourFirst.rate, bareFirst.rate, 'req/s', 'bare HTTP', 0.5),
          share(`steady poll cycles (${earlyCycles + 1}–${cycles}): request rate`, rateOf(steady.ours), rateOf(steady.bare), 'req/s', 'bare HTTP', 0.5),
          info(`first poll cycles (1–${earlyCycles}, right after the first sync): request rate`, rateOf(early.ours), 'req/s', { baseline: rateOf(early.bare), label: 'bare HTTP', kind: 'share' }),
          info('first sync and plan: accounts per second', accounts / ourFirst.seconds, 'accounts/s'),
          info('steady poll cycle: accounts per second (mean of the cycles)', accounts / secondsOf(steady.ours), 'accounts/s'),
          ...cpuFigures('first sync', [ourFirst], [bareFirst], accounts),
          ...cpuFigures('steady poll', steady.ours, steady.bare, accounts * steady.ours.length),
          ...cpuFigures('first poll cycles', early.ours, early.bare, accounts * early.ours.length),
          info('steady poll cycles: interviews moved (the other changes rename meetings)', moved.slice(earlyCycles, cycles).reduce((n, m) => n + m, 0), 'interviews', {
            baseline: (cycles - earlyCycles) * accounts * changedPerAccount,
            label: 'events changed',
            kind: 'share',
          }),
          info('first sync: requests (ours = bare)', ourFirst.requests, 'requests', { baseline: bareFirst.requests, label: 'bare HTTP', kind: 'share' }),
          info('interviews planned', interviews, 'interviews'),
          info('action jobs queued', jobs, 'jobs'),
          ...sweep.map((s) =>
            info(`poll cycle, ${s.concurrency} accounts at a time: request rate`, s.ours, 'req/s', { baseline: s.bare, label: `bare HTTP, ${s.concurrency} at a time`, kind: 'share' }),
          ),
        ],
        notes: [
          `Ours runs syncWithLease (lease, syncAccount, account status) per account, ${SYNC_CONCURRENCY} at a time like the daemon's sync worker; the Google adapter is the real one: google-auth-library's OAuth client for the token, events.list on Node's own HTTP client (src/providers/google/http-get.ts).`,
          `The baseline sends the same requests with fetch and JSON.parse only, ${BARE_CONCURRENCY} at a time: a token, then the pages of the window (first sync); one sync-token request (poll).`,
          `Poll cycles: the first ${earlyCycles} right after the first sync (the process still compiling the poll's code and collecting the first sync's garbage) are reported apart; the steady figures are cycles ${earlyCycles + 1}–${cycles}, ours and bare over the same cycles.`,
          `The sweep rows poll once more at ${SWEEP.join(', ')} accounts at a time, ours and bare alike.`,
          'The Google stand-in runs in a child process, so both share the same server cost; Redis runs on the same 2 cores.',
          'CPU per account: process.cpuUsage of this process (the stand-in excluded) and used_cpu_user + used_cpu_sys from Redis INFO, over the phase, divided by the accounts synced; the bare client uses no Redis.',
        ],
        profile: {
          redisFirstSync: firstProfile,
          redisEarlyPolls: earlyProfile ?? pollProfile,
          redisPolls: pollProfile,
          cpu,
          summary: `first sync: ${describeProfile(firstProfile)}. steady poll cycles: ${describeProfile(pollProfile)}`,
        },
        durationMs: Date.now() - began,
        files: [],
      };
    });
  },
};

/** CPU milliseconds per account of one phase, this process and Redis, ours against the bare client's. */
function cpuFigures(phase: string, ours: readonly { processMs: number; redisMs: number }[], bare: readonly { processMs: number }[], accounts: number) {
  const sum = (rows: readonly { processMs: number }[]) => rows.reduce((n, r) => n + r.processMs, 0) / accounts;
  const redisMs = ours.reduce((n, r) => n + r.redisMs, 0) / accounts;
  return [
    info(`${phase}: CPU per account, this process`, sum(ours), 'ms', { baseline: sum(bare), label: 'bare HTTP', kind: 'times' }),
    info(`${phase}: CPU per account, Redis`, redisMs, 'ms'),
  ];
}
