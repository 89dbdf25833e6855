/**
 * redis-crash: Redis (AOF, fsync every second) is SIGKILLed and restarted while the daemon syncs,
 * plans and sends; a SIGKILL loses up to the last second of writes. Meanwhile the calendar changes
 * (events moved, removed, added). In the end every confirmation that fell due arrived exactly once,
 * and the store and the queue hold what the calendar says: no planned action lost, none twice.
 */
import { writeFile } from 'node:fs/promises';
import { loadConfig } from '../../config/load.js';
import { createQueues, type Queues } from '../../src/queue/queues.js';
import { readAudit } from '../../src/store/audit.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { key, type Store } from '../../src/store/store.js';
import { startTestRedis } from '../../test/support/redis-server.js';
import { watchAof } from '../lib/aof.js';
import { calendarToIcs, interviewer, type ChaosEvent } from '../lib/calendar.js';
import { startDaemonChild, type DaemonChild } from '../lib/child.js';
import { findSecrets, scanRedisForSecrets, type ScanFigures } from '../lib/scan.js';
import { startChaosSmtpServer } from '../lib/smtp.js';
import { checkAgainstCalendars } from '../lib/state.js';
import { CALENDAR_ID, createWorld } from '../lib/world.js';

export interface RedisCrashOptions {
  /** Events whose confirmation falls due during the run. */
  readonly confirmations: number;
  /** Events hours ahead: drafts now, the rest planned. */
  readonly later: number;
  readonly windowMs: number;
  readonly redisKills: number;
  /** How many later events are moved, removed and added when the calendar changes. */
  readonly changes: number;
  readonly deadlineMs: number;
  /**
   * Also drop the last second of the AOF after each kill, as a power cut may with
   * `appendfsync everysec` (a SIGKILL alone loses nothing: the OS keeps the written pages).
   */
  readonly powerLoss: boolean;
  /** The daemon's reconcile period. @defaultValue the production 10 min */
  readonly reconcileEveryMs?: number;
  readonly log: (line: string) => void;
}

export interface RedisCrashResult extends ScanFigures {
  readonly redisKills: number;
  readonly downtimeMs: number;
  /** AOF bytes dropped to play power cuts (0 without powerLoss). */
  readonly aofBytesDropped: number;
  readonly confirmationsDue: number;
  readonly arrivedExactlyOnce: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly interviewsChecked: number;
  readonly actionsChecked: number;
  /** Differences between the store/queue and the calendar at the end (empty when all is well). */
  readonly problems: readonly string[];
  /** How long after the last Redis kill the state matched the calendar. */
  readonly convergedAfterMs: number | null;
  readonly durationMs: number;
  /** When the state did not converge: what the queue and the account hold. */
  readonly diagnosis: readonly string[];
}

const SMTP_USER = 'ada-smtp';
const SMTP_PASSWORD = 'chaos-redis-smtp-password-41b2';
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

export async function runRedisCrash(options: RedisCrashOptions): Promise<RedisCrashResult> {
  const began = Date.now();
  const redis = await startTestRedis({ appendfsync: 'everysec' });
  const aof = watchAof(redis.dir);
  const smtp = await startChaosSmtpServer({ auth: { user: SMTP_USER, pass: SMTP_PASSWORD } });
  const world = await createWorld({
    redisUrl: redis.url,
    smtp: { host: smtp.host, port: smtp.port, username: SMTP_USER, password: SMTP_PASSWORD },
  });
  const queues = createQueues(world.store.redis, world.prefix);
  let output = '';
  let child: DaemonChild | null = null;
  try {
    const config = await loadConfig({ file: world.configFile, env: {}, cwd: world.dir });
    const first = Math.ceil((Date.now() + 15 * 60_000 + 8_000) / 1000) * 1000;
    const soon: ChaosEvent[] = Array.from({ length: options.confirmations }, (_, i) => ({
      uid: `soon-${i}@chaos.test`,
      organizer: interviewer(i),
      start: first + Math.floor((i * options.windowMs) / options.confirmations / 1000) * 1000,
    }));
    const laterBase = Math.ceil((Date.now() + 3 * HOUR) / 60_000) * 60_000;
    let later: ChaosEvent[] = Array.from({ length: options.later }, (_, i) => ({ uid: `later-${i}@chaos.test`, organizer: interviewer(10_000 + i), start: laterBase + i * 60_000 }));
    const removed: string[] = [];
    await writeFile(world.calendarFile, calendarToIcs([...soon, ...later]));
    const expected = soon.map((event) => world.confirmationId(event.uid));

    child = startDaemonChild({
      configFile: world.configFile,
      env: {
        RINGBACK_SECRET_KEY: world.secretKey,
        ...(options.reconcileEveryMs ? { CHAOS_RECONCILE_MS: String(options.reconcileEveryMs) } : {}),
      },
      output: (text) => (output += text),
    });
    await child.ready;

    // Kill times: the first during the first sync, the rest spread over the window.
    const lastDue = (soon.at(-1)?.start ?? first) - 15 * 60_000;
    const span = Math.max(2_000, lastDue - Date.now());
    const killAt = [Date.now() + between(100, 1_200), ...Array.from({ length: options.redisKills - 1 }, () => Date.now() + between(2_000, span))].sort((a, b) => a - b);
    const changeAt = Date.now() + span / 2;
    let changed = false;
    let downtime = 0;
    let dropped = 0;
    let lastKill = 0;
    for (const at of killAt) {
      if (!changed && changeAt < at) {
        await sleep(Math.max(0, changeAt - Date.now()));
        later = changeCalendar(later, options.changes, laterBase, removed);
        await writeFile(world.calendarFile, calendarToIcs([...soon, ...later]));
        changed = true;
        options.log(`calendar changed: ${options.changes} moved, ${options.changes} removed, ${options.changes} added`);
      }
      await sleep(Math.max(0, at - Date.now()));
      const down = between(300, 2_000);
      await redis.kill();
      lastKill = Date.now();
      if (options.powerLoss) dropped += await aof.dropLast(1_000);
      await sleep(down);
      await redis.restart();
      downtime += down;
      options.log(`redis killed${options.powerLoss ? `, last second of its AOF dropped` : ''}, restarted after ${down} ms: ${smtp.messages.length} messages so far`);
    }
    if (!changed) {
      later = changeCalendar(later, options.changes, laterBase, removed);
      await writeFile(world.calendarFile, calendarToIcs([...soon, ...later]));
    }

    const truth = () => [{ sourceId: CALENDAR_ID, present: [...soon, ...later].map((e) => ({ eventId: e.uid, start: e.start })), removed }];
    let converged: number | null = null;
    let report = { interviewsChecked: 0, actionsChecked: 0, problems: ['not checked'] as readonly string[] };
    while (Date.now() < began + options.deadlineMs) {
      const arrived = expected.every((id) => smtp.countByMessageId(id) >= 1);
      report = await checkAgainstCalendars(world.store, queues, config, truth(), Date.now());
      if (arrived && report.problems.length === 0) {
        converged = Date.now() - lastKill;
        break;
      }
      await sleep(2_000);
    }
    await sleep(3_000); // a late duplicate would show now
    await child.stop();
    child = null;
    report = await checkAgainstCalendars(world.store, queues, config, truth(), Date.now());
    const diagnosis = report.problems.length > 0 ? await describeQueue(world.store, queues, report.problems) : [];

    let once = 0;
    let lost = 0;
    let duplicated = 0;
    for (const id of expected) {
      const n = smtp.countByMessageId(id);
      if (n === 0) lost += 1;
      else if (n === 1) once += 1;
      else duplicated += 1;
    }
    const secrets = { smtpPassword: SMTP_PASSWORD, secretKey: world.secretKey };
    const scan = await scanRedisForSecrets(world.store.redis, secrets);
    return {
      redisKills: killAt.length,
      downtimeMs: downtime,
      aofBytesDropped: dropped,
      confirmationsDue: expected.length,
      arrivedExactlyOnce: once,
      lost,
      duplicated,
      interviewsChecked: report.interviewsChecked,
      actionsChecked: report.actionsChecked,
      problems: report.problems,
      convergedAfterMs: converged,
      durationMs: Date.now() - began,
      redisKeysScanned: scan.keys,
      logBytesScanned: Buffer.byteLength(output),
      secretHits: [...scan.hits, ...findSecrets('daemon output', output, secrets)],
      diagnosis: [...diagnosis, ...output.split('\n').filter((line) => /warn|error/i.test(line)).slice(-20)],
    };
  } finally {
    aof.stop();
    child?.crash();
    await child?.exited;
    await queues.close();
    await world.close();
    await smtp.stop();
    await redis.stop();
  }
}

/** Moves the first `n` later events by an hour, removes the next `n`, adds `n` new ones. */
function changeCalendar(later: ChaosEvent[], n: number, base: number, removed: string[]): ChaosEvent[] {
  const moved = later.slice(0, n).map((event) => ({ ...event, start: event.start + HOUR }));
  for (const event of later.slice(n, 2 * n)) removed.push(event.uid);
  const kept = later.slice(2 * n);
  const added = Array.from({ length: n }, (_, i) => ({ uid: `added-${i}@chaos.test`, organizer: interviewer(20_000 + i), start: base + 2 * HOUR + i * 60_000 }));
  return [...moved, ...kept, ...added];
}

async function describeQueue(store: Store, queues: Queues, problems: readonly string[]): Promise<string[]> {
  const trails: string[] = [];
  for (const id of [...new Set(problems.map((p) => /^(iv[0-9a-f]+):/.exec(p)?.[1]).filter((x): x is string => x !== undefined))].slice(0, 3)) {
    trails.push(`${id}: ${JSON.stringify(await getActionRecords(store, id))}`);
    for (const r of await readAudit(store, { interviewId: id, count: 30, scan: 100_000 })) trails.push(`  ${new Date(r.at).toISOString()} ${r.type}: ${r.message.slice(0, 200)}`);
  }
  const schedulers = await queues.sync.getJobSchedulers(0, -1);
  const counts = await queues.sync.getJobCounts();
  const lease = await store.redis.pttl(key(store, 'lease', CALENDAR_ID));
  const cursor = await store.redis.exists(key(store, 'cursor', CALENDAR_ID));
  const account = await store.redis.hgetall(key(store, 'account', CALENDAR_ID));
  const audit = await readAudit(store, { count: 15 });
  return [
    `schedulers: ${schedulers.map((s) => `${s.key} next ${s.next ? new Date(s.next).toISOString() : '-'}`).join('; ')}`,
    `sync queue: ${JSON.stringify(counts)}`,
    `lease ttl ${lease} ms, cursor ${cursor ? 'present' : 'absent'}, account ${JSON.stringify(account)}`,
    ...audit.map((r) => `audit ${new Date(r.at).toISOString()} ${r.type}: ${r.message.slice(0, 160)}`),
    ...trails,
  ];
}
