/**
 * crash-send: many confirmations fall due within a minute while the daemon process is SIGKILLed
 * again and again (at random, and right in the middle of sends) and started again. Every
 * confirmation must reach the SMTP server exactly once and be filed in Sent exactly once.
 *
 * One moment is left that no SMTP client can close: between the last byte of a message leaving
 * the process and the draft being filed in Sent (a few syscalls; docs/RELIABILITY.md, "What
 * remains"). A kill there sends that message again on restart. After every kill the harness
 * looks for such messages (at the server, but not in Sent once the process is dead), so that a
 * duplicate is either explained by that moment or counted as a failure.
 *
 * The daemon is chaos/daemon-child.ts (what `ringback start` builds) with a Maildir mailbox that
 * relays through a recording SMTP server with a password from the vault. Redis is private to the
 * run (AOF everysec), so that the harness may use keyspace notifications.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestRedis } from '../../test/support/redis-server.js';
import type { ReceivedMessage } from '../../test/support/smtp-server.js';
import { startChaosSmtpServer } from '../lib/smtp.js';
import { createQueues } from '../../src/queue/queues.js';
import { openRedis } from '../../src/store/connection.js';
import { key } from '../../src/store/store.js';
import { calendarToIcs, interviewer, type ChaosEvent } from '../lib/calendar.js';
import { startDaemonChild, type DaemonChild } from '../lib/child.js';
import { scanRedisForSecrets, findSecrets, type ScanFigures } from '../lib/scan.js';
import { armTrigger, type KillMode } from '../lib/triggers.js';
import { CALENDAR_ID, createWorld } from '../lib/world.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { readAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/store.js';

export interface CrashSendOptions {
  readonly confirmations: number;
  /** The sends fall due over this long, starting a few seconds after the first start. */
  readonly windowMs: number;
  readonly minKills: number;
  /** Kill modes to draw from while kills are still needed. */
  readonly modes: readonly KillMode[];
  /** Give up (and count what is missing as lost) after this long. */
  readonly deadlineMs: number;
  readonly log: (line: string) => void;
}

export interface CrashSendResult extends ScanFigures {
  readonly confirmations: number;
  readonly kills: number;
  readonly killsByMode: Partial<Record<KillMode, number>>;
  /** Sends cut short: claimed in Redis, but not yet handed to the SMTP server and filed, at a kill. */
  readonly sendsCutShort: number;
  /** How long after the first send fell due the last kill came. */
  readonly lastKillAfterFirstDueMs: number;
  readonly arrivedExactlyOnce: number;
  readonly lost: number;
  readonly duplicatedAtSmtp: number;
  /** Kills that landed between a message reaching the server and its filing in Sent. */
  readonly cutInHandOver: number;
  /** Duplicates not explained by a kill in the hand-over moment: must be 0. */
  readonly duplicatedUnexplained: number;
  readonly duplicatedInSent: number;
  readonly missingInSent: number;
  /** Messages at the SMTP server that are not one of the expected confirmations. */
  readonly unexpected: number;
  /** Confirmation drafts still in Drafts at the end (a duplicate draft left behind). */
  readonly leftoverDrafts: number;
  readonly smtpMessages: number;
  /** SMTP sessions cut by a kill (the server saw the connection reset). */
  readonly smtpSessionsCut: number;
  readonly durationMs: number;
  /**
   * Send jobs the queue failed for stalling too often (their process killed while they ran) that
   * ringback put back (audited once each), and those it failed for good at the bound
   * (src/engine/failed-actions.ts).
   */
  readonly stalledOutPutBack: number;
  readonly stalledOutFailed: number;
  /** For each confirmation lost or duplicated: its Message-ID and its audit trail. */
  readonly diagnosis: readonly string[];
}

const SMTP_USER = 'ada-smtp';
const SMTP_PASSWORD = 'chaos-smtp-password-7f3a9c';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCrashSend(options: CrashSendOptions): Promise<CrashSendResult> {
  const began = Date.now();
  const redis = await startTestRedis({ appendfsync: 'everysec' });
  const smtp = await startChaosSmtpServer({ auth: { user: SMTP_USER, pass: SMTP_PASSWORD } });
  const world = await createWorld({
    redisUrl: redis.url,
    smtp: { host: smtp.host, port: smtp.port, username: SMTP_USER, password: SMTP_PASSWORD },
  });
  const queues = createQueues(world.store.redis, world.prefix);
  const arrivals = stampArrivals(smtp.messages as ReceivedMessage[]);
  const killTimes: Array<{ at: number; mode: string }> = [];
  let output = '';
  let child: DaemonChild | null = null;
  try {
    // Whole seconds (the .ics keeps no milliseconds); the first send falls due 6 s from now.
    const first = Math.ceil((Date.now() + 15 * 60_000 + 6_000) / 1000) * 1000;
    const events: ChaosEvent[] = Array.from({ length: options.confirmations }, (_, i) => ({
      uid: `crash-${i}@chaos.test`,
      organizer: interviewer(i),
      start: first + Math.floor((i * options.windowMs) / options.confirmations / 1000) * 1000,
      title: `Phone screen ${i} with Dana (Acme)`,
    }));
    await writeFile(world.calendarFile, calendarToIcs(events));
    const expected = events.map((event) => world.confirmationId(event.uid));
    const firstDue = first - 15 * 60_000;
    const lastDue = (events.at(-1)?.start ?? first) - 15 * 60_000;
    const cutShort = new Set<string>();
    const handOver = new Set<string>();
    const claimedButNotFiled = async (): Promise<string[]> => {
      const claims = await world.store.redis.keys(`{${world.prefix}}:claim:*`);
      const sent = await world.folderCounts('Sent');
      return claims.map((k) => k.slice(k.indexOf(':claim:') + 7)).filter((id) => !sent.has(id));
    };

    const connect = async () => {
      const connection = openRedis(redis.url);
      connection.on('error', () => undefined); // disconnected on purpose when a trigger is disarmed
      await connection.connect();
      return connection;
    };
    const context = {
      connect,
      auditKey: key(world.store, 'audit'),
      claimPattern: `{${world.prefix}}:claim:*`,
      sentDir: join(world.maildir, '.Sent', 'cur'),
      smtp,
    };
    const env = { RINGBACK_SECRET_KEY: world.secretKey, CHAOS_LOG_LEVEL: 'debug' };
    const spawn = () => startDaemonChild({ configFile: world.configFile, env, output: (text) => (output += text) });

    const arrivedAll = () => expected.every((id) => smtp.countByMessageId(id) >= 1);
    const confirmationJobsPending = async () => {
      const ids = await queues.actions.getRanges(['delayed', 'waiting', 'active', 'prioritized', 'paused'], 0, -1);
      return ids.filter((id) => id.includes('.confirmation-')).length;
    };

    let kills = 0;
    let lastKillAt = 0;
    const killsByMode: Partial<Record<KillMode, number>> = {};
    const deadline = began + options.deadlineMs;

    while (Date.now() < deadline) {
      const finished = arrivedAll() && (await confirmationJobsPending()) === 0;
      // Kill until enough kills happened and every send has fallen due, so that all are exposed.
      const enough = kills >= options.minKills && Date.now() >= lastDue + 2_000;
      if (finished && enough) break;
      const current = spawn();
      child = current;
      // The first start is killed in the middle of its first sync; then at random.
      const mode = kills === 0 ? 'mid-sync' : !enough ? (options.modes[Math.floor(Math.random() * options.modes.length)] as KillMode) : null;
      if (mode !== 'startup') {
        const up = await Promise.race([current.ready.then(() => true), current.exited.then(() => false)]);
        if (!up) throw new Error(`the daemon child failed to start:\n${output.slice(-2000)}`);
      }
      if (!mode) {
        // Enough kills: let this one run until every confirmation job has settled.
        while (Date.now() < deadline && !(arrivedAll() && (await confirmationJobsPending()) === 0)) await sleep(250);
        break;
      }
      let killedAt = 0;
      const armed = await armTrigger(mode, context, () => {
        killedAt = Date.now();
        current.crash();
      });
      let fired = false;
      void armed.fired.then(() => {
        fired = true;
      });
      while (!fired && current.alive() && Date.now() < deadline) {
        // Once every confirmation went out, modes that wait for a send would wait for ever.
        if ((mode === 'sent-audit' || mode === 'sent-file' || mode === 'claim' || mode === 'smtp-accept') && arrivedAll()) break;
        await sleep(50);
      }
      await armed.disarm();
      if (!fired) {
        killedAt = Date.now();
        current.crash();
      }
      await current.exited;
      killTimes.push({ at: killedAt, mode: fired ? mode : 'timer' });
      kills += 1;
      const used: KillMode = fired ? mode : 'timer';
      killsByMode[used] = (killsByMode[used] ?? 0) + 1;
      // Bytes already written by the dead process reach the server within moments.
      await sleep(300);
      let cut = 0;
      for (const id of await claimedButNotFiled()) {
        if (smtp.countByMessageId(id) > 0) handOver.add(id);
        if (cutShort.has(id)) continue;
        cutShort.add(id);
        cut += 1;
      }
      lastKillAt = killedAt;
      options.log(`kill ${kills} (${used}${fired ? '' : ', fallback'}): ${smtp.messages.length} messages so far, ${cut} sends cut short, ${handOver.size} cut in the hand-over so far`);
    }
    // A last quiet moment: a job retried late would show up as a duplicate now.
    await sleep(3_000);
    if (child) await child.stop();
    child = null;

    const sent = await world.folderCounts('Sent');
    const drafts = await world.folderCounts('Drafts');
    const expectedSet = new Set(expected);
    let once = 0;
    let lost = 0;
    let dupSmtp = 0;
    let dupUnexplained = 0;
    let dupSent = 0;
    let missingSent = 0;
    const diagnosis: string[] = [];
    for (const [i, id] of expected.entries()) {
      const atSmtp = smtp.countByMessageId(id);
      const inSent = sent.get(id) ?? 0;
      if (atSmtp === 0) lost += 1;
      if (atSmtp > 1) dupSmtp += 1;
      if (atSmtp > 1 && !handOver.has(id)) dupUnexplained += 1;
      if (inSent > 1) dupSent += 1;
      if (inSent === 0) missingSent += 1;
      if (atSmtp === 1 && inSent === 1) {
        once += 1;
        continue;
      }
      const times = smtp.messages.filter((m) => (m.ringbackRef ?? m.messageId) === id).map((m) => arrivals.get(m) ?? 0);
      const near = times.map((t) => {
        const kill = killTimes.find((k) => k.at >= t - 2_000);
        return kill ? `arrived ${t - kill.at} ms from the ${kill.mode} kill` : 'no kill near';
      });
      const why = handOver.has(id) ? ', killed between reaching the server and its filing in Sent' : '';
      diagnosis.push(await describe(world.store, interviewIdFor(CALENDAR_ID, events[i]?.uid ?? ''), `${id}: ${atSmtp} at SMTP (${near.join('; ')}), ${inSent} in Sent${why}`));
    }
    const unexpected = smtp.messages.filter((m) => !expectedSet.has(m.ringbackRef ?? m.messageId ?? '')).length;
    const leftoverDrafts = [...drafts.entries()].filter(([id]) => expectedSet.has(id)).reduce((sum, [, n]) => sum + n, 0);

    const stallLines = (await readAudit(world.store, { count: 100_000 })).filter((r) => /ringback stopped \d+ times while running it/.test(r.message));
    const stalledOutFailed = stallLines.filter((r) => /failed for good/.test(r.message)).length;

    const secrets = { smtpPassword: SMTP_PASSWORD, secretKey: world.secretKey };
    const scan = await scanRedisForSecrets(world.store.redis, secrets);
    const logHits = findSecrets('daemon output', output, secrets);
    return {
      confirmations: options.confirmations,
      kills,
      killsByMode,
      sendsCutShort: cutShort.size,
      lastKillAfterFirstDueMs: lastKillAt - firstDue,
      arrivedExactlyOnce: once,
      lost,
      duplicatedAtSmtp: dupSmtp,
      cutInHandOver: handOver.size,
      duplicatedUnexplained: dupUnexplained,
      duplicatedInSent: dupSent,
      missingInSent: missingSent,
      unexpected,
      leftoverDrafts,
      smtpMessages: smtp.messages.length,
      smtpSessionsCut: smtp.connectionErrors(),
      durationMs: Date.now() - began,
      stalledOutPutBack: stallLines.length - stalledOutFailed,
      stalledOutFailed,
      redisKeysScanned: scan.keys,
      logBytesScanned: Buffer.byteLength(output),
      secretHits: [...scan.hits, ...logHits],
      diagnosis,
    };
  } finally {
    child?.crash();
    await child?.exited;
    await queues.close();
    await world.close();
    await smtp.stop();
    await redis.stop();
  }
}

async function describe(store: Store, interviewId: string, headline: string): Promise<string> {
  const trail = await readAudit(store, { interviewId, count: 50, scan: 100_000 });
  return [headline, ...trail.map((r) => `  ${new Date(r.at).toISOString()} ${r.type}: ${r.message}`)].join('\n');
}

/** When each message reached the server's list (wraps the list's push). */
function stampArrivals(messages: ReceivedMessage[]): Map<ReceivedMessage, number> {
  const stamps = new Map<ReceivedMessage, number>();
  const push = messages.push.bind(messages);
  messages.push = (...items: ReceivedMessage[]) => {
    for (const item of items) stamps.set(item, Date.now());
    return push(...items);
  };
  return stamps;
}
