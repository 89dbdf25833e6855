/**
 * Several `ringback start` processes on one Redis and one mailbox (README, "Several processes"):
 * two, then four daemon processes (chaos/daemon-child.ts: what `ringback start` builds) share one
 * calendar and one Maildir while confirmations are drafted and fall due. Every confirmation is
 * drafted and sent exactly once, none is lost, and more than one process did the work. In the
 * round of four, one process is SIGKILLed while the sends go out: the others take over its jobs
 * (their locks run out after 3 s) and still nothing is lost or sent twice.
 *
 * Which process did what: each child prints the action jobs it starts and completes (every child
 * prints every audit line, so the audit alone cannot tell them apart).
 */
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { calendarToIcs, interviewer, type ChaosEvent } from '../../chaos/lib/calendar.js';
import { startDaemonChild, type DaemonChild } from '../../chaos/lib/child.js';
import { CALENDAR_ID, createWorld, type World } from '../../chaos/lib/world.js';
import { interviewIdFor } from '../../src/domain/ids.js';
import { createQueues, syncNow, type Queues } from '../../src/queue/queues.js';
import { readAudit } from '../../src/store/audit.js';
import { listInterviewIds } from '../../src/store/interviews.js';

const COUNT = 24;
/** The sends fall due over this long, starting a few seconds after the calendar is read. */
const WINDOW_MS = 6_000;
const LEAD_MS = 15 * 60_000;

interface Process {
  readonly child: DaemonChild;
  /** Action job ids this process started, and completed. */
  readonly started: Set<string>;
  readonly completed: Set<string>;
  output(): string;
}

function launch(world: World): Process {
  const started = new Set<string>();
  const completed = new Set<string>();
  let output = '';
  let partial = '';
  const child = startDaemonChild({
    configFile: world.configFile,
    env: { RINGBACK_SECRET_KEY: world.secretKey, CHAOS_LOG_LEVEL: 'warn' },
    output: (text) => {
      output += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const [word, event, id] = line.split(' ');
        if (word !== 'job' || !id) continue;
        (event === 'active' ? started : completed).add(id);
      }
    },
  });
  return { child, started, completed, output: () => output };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Round {
  readonly sentPerMessage: readonly number[];
  readonly draftsLeft: number;
  readonly sentAudits: readonly number[];
  readonly draftedAudits: readonly number[];
  /** Action jobs completed by each process, in start order. */
  readonly completedBy: readonly number[];
  readonly victim: { readonly index: number; readonly inFlight: number; readonly sentBefore: number } | null;
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

async function round(processes: number, options: { killOne: boolean }): Promise<Round> {
  const world = await createWorld({ redisUrl: inject('redisUrl') });
  const queues: Queues = createQueues(world.store.redis, world.prefix);
  const running: Process[] = [];
  cleanup = async () => {
    for (const p of running) p.child.crash();
    await Promise.all(running.map((p) => p.child.exited));
    await queues.close();
    await world.close();
  };
  for (let i = 0; i < processes; i++) running.push(launch(world));
  await Promise.all(running.map((p) => p.child.ready)).catch((error: unknown) => {
    throw new Error(`${String(error)}\n${running.map((p) => p.output().slice(-1500)).join('\n---\n')}`);
  });
  // The first sync (of the still empty calendar) and the reconcile at start are over.
  await until(async () => {
    const counts = await queues.sync.getJobCounts('active', 'waiting');
    return (counts.active ?? 0) + (counts.waiting ?? 0) === 0;
  }, 20_000, () => 'the syncs at start');

  // Whole seconds (the .ics keeps no milliseconds); the first send falls due 10 s from now, so that
  // a slow sync of the 24 interviews on a loaded machine still ends before the sends begin, and
  // the kill falls while sends are still due.
  const first = Math.ceil((Date.now() + LEAD_MS + 10_000) / 1000) * 1000;
  const events: ChaosEvent[] = Array.from({ length: COUNT }, (_, i) => ({
    uid: `multi-${i}@chaos.test`,
    organizer: interviewer(i),
    start: first + Math.floor((i * WINDOW_MS) / COUNT / 1000) * 1000,
    title: `Phone screen ${i} with Dana (Acme)`,
  }));
  await writeFile(world.calendarFile, calendarToIcs(events));
  const expected = events.map((event) => world.confirmationId(event.uid));
  // Read now rather than at the next poll; a sync already running (another process's) skips it.
  let askedAt = 0;
  await until(async () => {
    if (Date.now() - askedAt > 3_000) {
      askedAt = Date.now();
      await syncNow(queues, CALENDAR_ID);
    }
    return (await listInterviewIds(world.store)).length >= COUNT;
  }, 20_000, () => `the sync of ${COUNT} interviews`);

  const sentCount = async () => {
    const sent = await world.folderCounts('Sent');
    return expected.filter((id) => (sent.get(id) ?? 0) > 0).length;
  };
  let victim: Round['victim'] = null;
  if (options.killOne) {
    // Mid-way: a third sent. The victim is a process with an action in hand, when there is one.
    await until(async () => (await sentCount()) >= COUNT / 3, 30_000, () => 'a third of the sends');
    const inFlight = (p: Process) => [...p.started].filter((id) => !p.completed.has(id)).length;
    const busiest = () => running.reduce((best, p, i) => (inFlight(p) > inFlight(running[best]!) ? i : best), 0);
    // Sends go out in a few seconds; one of them in hand is the case worth a kill.
    // Failing that by the middle of the window, the busiest process goes anyway, with sends still due.
    await until(() => inFlight(running[busiest()]!) > 0 || Date.now() > first - LEAD_MS + WINDOW_MS / 2, 10_000, () => 'a send in hand');
    const index = busiest();
    const chosen = running[index]!;
    const held = inFlight(chosen);
    chosen.child.crash();
    await chosen.child.exited;
    victim = { index, inFlight: held, sentBefore: await sentCount() };
  }

  const pendingConfirmations = async () => {
    const ids = await queues.actions.getRanges(['delayed', 'waiting', 'active', 'prioritized', 'paused'], 0, -1);
    return ids.filter((id) => id.includes('.confirmation-')).length;
  };
  let last = '';
  await until(
    async () => {
      const [sent, pending] = [await sentCount(), await pendingConfirmations()];
      last = `${sent}/${COUNT} sent, ${pending} confirmation jobs pending`;
      return sent === COUNT && pending === 0;
    },
    40_000,
    () => `every confirmation sent and settled (${last})`,
  );
  await Promise.all(running.filter((p) => p.child.alive()).map((p) => p.child.stop()));

  const sent = await world.folderCounts('Sent');
  const drafts = await world.folderCounts('Drafts');
  const audit = await readAudit(world.store, { count: 10_000 });
  const auditsOf = (type: string) =>
    events.map((event) => {
      const interviewId = interviewIdFor(CALENDAR_ID, event.uid);
      return audit.filter((r) => r.type === type && r.interviewId === interviewId).length;
    });
  return {
    sentPerMessage: expected.map((id) => sent.get(id) ?? 0),
    draftsLeft: expected.reduce((sum, id) => sum + (drafts.get(id) ?? 0), 0),
    sentAudits: auditsOf('sent'),
    draftedAudits: auditsOf('drafted'),
    completedBy: running.map((p) => p.completed.size),
    victim,
  };
}

describe('several ringback processes on one Redis', () => {
  it('two processes share the drafts and sends; each confirmation goes exactly once', async () => {
    const r = await round(2, { killOne: false });
    expect(r.sentPerMessage).toEqual(Array(COUNT).fill(1));
    expect(r.draftsLeft).toBe(0);
    expect(r.draftedAudits).toEqual(Array(COUNT).fill(1));
    expect(r.sentAudits).toEqual(Array(COUNT).fill(1));
    // A draft and a send per confirmation, split between the two.
    expect(r.completedBy.reduce((a, b) => a + b, 0), `by process: ${r.completedBy.join(', ')}`).toBeGreaterThanOrEqual(2 * COUNT);
    expect(r.completedBy.filter((n) => n > 0).length, `by process: ${r.completedBy.join(', ')}`).toBe(2);
  }, 60_000);

  it('four processes, one SIGKILLed mid-way: nothing lost, nothing sent twice', async () => {
    const r = await round(4, { killOne: true });
    const split = `by process: ${r.completedBy.join(', ')}; killed #${r.victim?.index} with ${r.victim?.inFlight} jobs in hand, ${r.victim?.sentBefore}/${COUNT} sent by then`;
    expect(r.victim, split).not.toBeNull();
    expect(r.victim!.sentBefore, split).toBeLessThan(COUNT);
    expect(r.sentPerMessage, split).toEqual(Array(COUNT).fill(1));
    expect(r.draftsLeft).toBe(0);
    // A send killed after its file reached Sent but before its audit line is found in Sent by the
    // retry, which records it without a second "sent" line: at most one line each, and only the
    // sends the victim held may lack theirs.
    expect(Math.max(...r.sentAudits), split).toBe(1);
    expect(r.sentAudits.filter((n) => n === 0).length, split).toBeLessThanOrEqual(r.victim!.inFlight);
    expect(r.completedBy.filter((n) => n > 0).length, split).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
