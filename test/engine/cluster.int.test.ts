/**
 * ringback on a real Redis Cluster (three primaries started here, `redis+cluster://` in the
 * config). Every key carries the `{prefix}` hash tag, so the store's and BullMQ's multi-key scripts
 * run in one slot; a key outside the tag would make a script fail with CROSSSLOT, or land on
 * another node, and these tests would see either. Skipped, with the reason in the suite's name,
 * only where redis-server or redis-cli cannot make a cluster.
 */
import { writeFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemonChild, type DaemonChild } from '../../chaos/lib/child.js';
import { calendarToIcs, interviewer } from '../../chaos/lib/calendar.js';
import { startChaosSmtpServer, type ChaosSmtpServer } from '../../chaos/lib/smtp.js';
import { createWorld, type World } from '../../chaos/lib/world.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { replan } from '../../src/engine/replan.js';
import { createQueues, listPendingActions } from '../../src/queue/queues.js';
import { readAudit } from '../../src/store/audit.js';
import { getCompany } from '../../src/store/companies.js';
import { redisServers } from '../../src/store/connection.js';
import { getActionRecords, getInterview, saveInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { clusterUnsupported, startTestCluster, type TestCluster } from '../support/redis-cluster.js';
import { countRoundTrips } from '../support/round-trips.js';

const HOUR = 60 * MINUTE;
const unsupported = await clusterUnsupported();
if (unsupported) process.stderr.write(`Redis Cluster tests skipped: ${unsupported}\n`);

/** Every key of the cluster, node by node. */
async function keysByNode(cluster: TestCluster): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const port of cluster.ports) {
    const node = new Redis({ port, host: '127.0.0.1' });
    try {
      out.set(port, await node.keys('*'));
    } finally {
      node.disconnect();
    }
  }
  return out;
}

describe.skipIf(unsupported !== null)(`on a Redis Cluster${unsupported ? ` (skipped: ${unsupported})` : ''}`, () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startTestCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('refuses a script over keys of two slots, so a key outside the hash tag would fail the tests below', async () => {
    const node = new Redis({ port: cluster.ports[0], host: '127.0.0.1' });
    try {
      await expect(node.eval("return redis.call('mget', KEYS[1], KEYS[2])", 2, '{a}:x', '{b}:x')).rejects.toThrow(/CROSSSLOT|MOVED/);
    } finally {
      node.disconnect();
    }
  });

  it('runs one interview from the calendar to a sent confirmation and the thank-you draft, every key in one slot', async () => {
    let h: EngineHarness | null = null;
    try {
      h = await startEngineHarness({
        redisUrl: cluster.url,
        timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, thankYouDelayMinutes: 60 },
      });
      expect(h.runtime.redis.isCluster).toBe(true);
      const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
      await h.setEvents([interviewEvent({ uid: 'c1', start })]);
      // Synced before the workers start: their own first sync would otherwise race this one.
      expect((await h.sync()).interviewsNew).toBe(1);
      await h.start();
      const id = interviewIdFor('cal', 'c1');

      await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
      expect(await h.folder('Drafts')).toHaveLength(1);
      await h.advance(2 * HOUR - 15 * MINUTE);
      await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
      const sent = await h.folder('Sent');
      expect(sent.map((f) => f.mail.messageId)).toEqual([`<ringback.${id}.confirmation.1@example.org>`]);

      // The call is held; the thank-you draft follows the end of the call by thankYouDelay.
      await recordOutcome(h.engine, id, 'held', 'cli');
      await h.advance(15 * MINUTE + 30 * MINUTE + 60 * MINUTE + MINUTE);
      await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('thank-you'));
      const drafts = await h.folder('Drafts');
      expect(drafts.map((f) => f.mail.messageId)).toEqual([`<ringback.${id}.thankyou.1@example.org>`]);
      expect((await getInterview(h.runtime.store, id))?.outcome).toBe('held');
      expect(await h.folder('Sent')).toHaveLength(1);

      // The compare-and-set writes (a new record, an outcome, the company's record, a sync's
      // rewrite of a moved event) are scripts and transactions over keys of the one slot.
      const later = Math.floor((h.now() + 48 * HOUR) / 1000) * 1000;
      await h.setEvents([interviewEvent({ uid: 'c1', start }), interviewEvent({ uid: 'c2', start: later })]);
      expect((await h.sync()).interviewsNew).toBe(1);
      const second = interviewIdFor('cal', 'c2');
      await recordOutcome(h.engine, second, 'interviewer-no-show', 'cli');
      await h.setEvents([interviewEvent({ uid: 'c1', start }), interviewEvent({ uid: 'c2', start: later + HOUR })]);
      expect((await h.sync()).interviewsUpdated).toBe(1);
      expect(await getInterview(h.runtime.store, second)).toMatchObject({ start: later + HOUR, revision: 2, outcome: 'interviewer-no-show' });
      expect((await getCompany(h.runtime.store, 'acme.example')).noShows).toEqual([second]);

      // Every key the store and BullMQ wrote carries the tag, so all sit on the node of its slot.
      const tag = `{${h.config.prefix}}:`;
      const byNode = await keysByNode(cluster);
      const all = [...byNode.values()].flat();
      expect(all.length).toBeGreaterThan(5);
      expect(all.filter((k) => !k.startsWith(tag))).toEqual([]);
      expect([...byNode.values()].filter((keys) => keys.length > 0)).toHaveLength(1);
    } finally {
      await h?.stop();
    }
  }, 90_000);

  it('plans a new interview in one transaction on the node of its slot, and a known one by the general path', async () => {
    let h: EngineHarness | null = null;
    try {
      h = await startEngineHarness({ redisUrl: cluster.url });
      const start = Math.floor((h.now() + 48 * HOUR) / MINUTE) * MINUTE;
      await h.setEvents([interviewEvent({ uid: 'c2', start })]);
      await h.sync();
      const synced = await getInterview(h.runtime.store, interviewIdFor('cal', 'c2'));
      if (!synced) throw new Error('the sync recorded no interview');
      const fresh = { ...synced, id: 'ivclusterfresh', eventId: 'fresh@test' };
      await saveInterview(h.runtime.store, fresh);

      let counting = countRoundTrips(h.runtime.redis);
      const first = await replan(h.engine, fresh, null);
      expect(counting.stop().roundTrips).toBe(1);
      // Planned again: not new any more, the general path finds the records and adds nothing.
      counting = countRoundTrips(h.runtime.redis);
      const again = await replan(h.engine, fresh, null);
      expect(counting.stop().roundTrips).toBe(2);

      expect(again).toEqual(first);
      const queued = (await listPendingActions(h.runtime.queues)).filter((p) => p.interviewId === fresh.id);
      expect(queued.map((p) => p.kind).sort()).toEqual(first.actions.map((a) => a.kind).sort());
      expect((await getActionRecords(h.runtime.store, fresh.id)).map((r) => r.kind).sort()).toEqual(
        [...first.actions, ...first.skipped].map((a) => a.kind).sort(),
      );
      expect((await readAudit(h.runtime.store, { interviewId: fresh.id })).map((r) => r.type)).toEqual(['planned', 'planned']);
    } finally {
      await h?.stop();
    }
  }, 60_000);

  it('a send killed in the middle and retried by the next process goes out exactly once', async () => {
    const smtp: ChaosSmtpServer = await startChaosSmtpServer({ auth: { user: 'ada-smtp', pass: 'cluster-smtp-password-1' } });
    const world: World = await createWorld({
      redisUrl: cluster.url,
      smtp: { host: smtp.host, port: smtp.port, username: 'ada-smtp', password: 'cluster-smtp-password-1' },
    });
    const queues = createQueues(world.store.redis, world.prefix);
    const watchers: Redis[] = [];
    let child: DaemonChild | null = null;
    let output = '';
    try {
      // Whole seconds (the .ics keeps no milliseconds); sends fall due 6 to 8 s from now.
      const first = Math.ceil((Date.now() + 15 * MINUTE + 6_000) / 1000) * 1000;
      const events = [0, 1, 2].map((i) => ({ uid: `cluster-${i}@chaos.test`, organizer: interviewer(i), start: first + i * 1_000 }));
      await writeFile(world.calendarFile, calendarToIcs(events));
      const expected = events.map((e) => world.confirmationId(e.uid));
      const spawn = () =>
        startDaemonChild({
          configFile: world.configFile,
          env: { RINGBACK_SECRET_KEY: world.secretKey, CHAOS_LOG_LEVEL: 'info' },
          output: (text) => (output += text),
        });

      // The kill lands the moment a send claims its Message-ID, before the message leaves: the
      // claim is written on the node of the tag's slot, so every primary is watched.
      let killedAt = 0;
      const claimPattern = `{${world.prefix}}:claim:*`;
      for (const port of cluster.ports) {
        const watcher = new Redis({ port, host: '127.0.0.1' });
        watchers.push(watcher);
        await watcher.config('SET', 'notify-keyspace-events', 'K$');
        watcher.on('pmessage', (_pattern: string, _channel: string, event: string) => {
          if (event !== 'set' || killedAt > 0 || !child) return;
          killedAt = Date.now();
          child.crash();
        });
        await watcher.psubscribe(`__keyspace@0__:${claimPattern}`);
      }

      const doomed = spawn();
      child = doomed;
      const killed = await Promise.race([doomed.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 40_000))]);
      expect(killed, `no send was claimed within 40 s:\n${output.slice(-2000)}`).toBe(true);
      expect(killedAt).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 300));
      // A claim whose message had reached the server before the kill landed may go out twice: the
      // one moment no SMTP client can close (docs/RELIABILITY.md, "What remains").
      const claims = (await Promise.all(redisServers(world.store.redis).map((node) => node.keys(claimPattern)))).flat();
      const cutShort = claims.map((k) => k.slice(k.indexOf(':claim:') + 7));
      expect(cutShort.length).toBeGreaterThan(0);
      const reachedBeforeKill = cutShort.filter((mid) => smtp.countByMessageId(mid) > 0);

      child = spawn();
      const pending = async () =>
        (await queues.actions.getRanges(['delayed', 'waiting', 'active', 'prioritized', 'paused'], 0, -1)).filter((j) => j.includes('.confirmation-')).length;
      const until = Date.now() + 45_000;
      while (Date.now() < until && !(expected.every((mid) => smtp.countByMessageId(mid) >= 1) && (await pending()) === 0)) {
        await new Promise((r) => setTimeout(r, 250));
      }
      // A quiet moment: a retry arriving late would show up as a second copy now.
      await new Promise((r) => setTimeout(r, 2_000));
      await child.stop();
      child = null;

      const sentFolder = await world.folderCounts('Sent');
      const draftFolder = await world.folderCounts('Drafts');
      for (const mid of expected) {
        const allowed = reachedBeforeKill.includes(mid) ? 2 : 1;
        expect(smtp.countByMessageId(mid), `${mid} at the SMTP server\n${output.slice(-3000)}`).toBeGreaterThanOrEqual(1);
        expect(smtp.countByMessageId(mid), `${mid} at the SMTP server`).toBeLessThanOrEqual(allowed);
        expect(sentFolder.get(mid), `${mid} in Sent`).toBe(1);
        expect(draftFolder.get(mid) ?? 0, `${mid} left in Drafts`).toBe(0);
      }
    } finally {
      child?.crash();
      await child?.exited;
      for (const watcher of watchers) watcher.disconnect();
      await queues.close();
      await world.close();
      await smtp.stop();
    }
  }, 120_000);
});

