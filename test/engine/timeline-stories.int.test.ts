/**
 * Randomised timelines through the real engine (a private redis-server, real BullMQ workers, the
 * ics source on a file, the Maildir mailbox, a clock the test moves): seeded stories of a few phone
 * interviews written the ways calendars write them (test/property/timeline-stories.ts), and what
 * happens to them step by step; after every step the invariants of DESIGN.md are checked from what
 * the user would see (test/engine/story-checks.ts), and every email is read as its recipient would.
 *
 * The seed is fixed so that the run is the same every time; `RINGBACK_STORY_SEED` and
 * `RINGBACK_STORY_RUNS` explore others, and `RINGBACK_STORY_PRINT=1` prints every email read and,
 * on a failure, the story's audit. A failure prints the seed, the story and what went wrong.
 */
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import { markEvent } from '../../src/engine/mark.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { readWithinMs } from '../../src/domain/unread.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { listInterviews } from '../../src/store/interviews.js';
import { parseMessageId } from '../../src/domain/ids.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { startTestRedis, type TestRedis } from '../support/redis-server.js';
import {
  CANDIDATE_ZONE,
  asWritten,
  calendarText,
  counterpartOf,
  firstStart,
  meantStarts,
  nextMidnight,
  story,
  type Meanwhile,
  type Entry,
  type Step,
  type Story,
} from '../property/timeline-stories.js';
import { check, checkNothingLeftBehind, readWorld, type Observed } from './story-checks.js';

const MIN = 60_000;
const SEED = Number(process.env.RINGBACK_STORY_SEED ?? 20_261_206);
const RUNS = Number(process.env.RINGBACK_STORY_RUNS ?? 8);
const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };

let redis: TestRedis;
beforeAll(async () => {
  // A Redis of this file's own: the stories restart it.
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

async function quiet(h: EngineHarness): Promise<boolean> {
  const counts = await h.runtime.queues.actions.getJobCounts('active', 'waiting', 'prioritized');
  if (Object.values(counts).some((n) => n > 0)) return false;
  const [next] = await h.runtime.queues.actions.getDelayed(0, 0);
  return !next || next.timestamp + (next.delay ?? 0) > Date.now() + 250;
}

/** Waits until no action runs, waits or falls due within a moment (twice in a row). */
async function settle(h: EngineHarness): Promise<void> {
  const until = Date.now() + 20_000;
  for (let calm = 0; calm < 2; ) {
    calm = (await quiet(h)) ? calm + 1 : 0;
    if (Date.now() > until) throw new Error('the action queue did not settle within 20 s');
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exists(path: string): Promise<boolean> {
  return await stat(path).then(
    () => true,
    () => false,
  );
}

/** How often each kind of step ran, and what some of them did (printed with RINGBACK_STORY_PRINT=1). */
const tally = new Map<string, number>();
const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

class Run {
  readonly observed: Observed = { blocked: new Map(), vetoed: new Set(), replied: new Map(), read: new Set(), starts: new Map() };
  readonly log: string[] = [];
  entries: Entry[] = [];
  /** Interviews the user marked as no phone interview (and not back). */
  readonly marked = new Set<string>();

  constructor(readonly h: EngineHarness) {}

  entryOf = (iv: Interview): Entry | null => this.entries.find((e) => counterpartOf(e) === iv.counterpart.email) ?? null;

  async interviewsOf(entry: Entry): Promise<Interview[]> {
    return (await readWorld(this.h)).interviews.filter((iv) => this.entryOf(iv) === entry).sort((a, b) => a.start - b.start);
  }

  async write(): Promise<void> {
    await this.h.setCalendarText(calendarText(this.entries));
  }

  /** Syncs, notes when a cancel or decline was seen (or undone), settles, checks. */
  async syncAndCheck(label: string): Promise<void> {
    const before = this.h.now();
    await this.h.sync();
    const seenAt = this.h.now();
    for (const iv of await listInterviews(this.h.runtime.store)) {
      const windows = this.observed.blocked.get(iv.id) ?? [];
      const open = windows.find((w) => w.to === Number.POSITIVE_INFINITY);
      const off = iv.status === 'cancelled' || iv.status === 'declined';
      if (off && !open) windows.push({ from: seenAt, to: Number.POSITIVE_INFINITY });
      if (!off && open) open.to = before;
      this.observed.blocked.set(iv.id, windows);
    }
    await settle(this.h);
    await this.checkAll(label);
  }

  async checkAll(label: string, more: readonly string[] = []): Promise<void> {
    const world = await readWorld(this.h);
    for (const iv of world.interviews) {
      const starts = this.observed.starts.get(iv.id) ?? new Map<number, number>();
      if (!starts.has(iv.revision)) starts.set(iv.revision, iv.start);
      this.observed.starts.set(iv.id, starts);
    }
    const problems = [...more, ...(await check(this.h, world, this.observed, { minLead: TIMING.minLeadMinutes * MIN, review: TIMING.reviewMinutes * MIN }, this.entryOf))];
    // A call the user said is no phone interview stays withdrawn, whatever the syncs read since.
    for (const iv of world.interviews) if (this.marked.has(iv.id) && iv.status === 'scheduled') problems.push(`${iv.id}, marked not-interview, is scheduled again`);
    // Every call the calendar holds within the next days is an interview (none dropped).
    const now = this.h.now();
    for (const entry of this.entries) {
      if (entry.status !== 'confirmed' || entry.declined || entry.item.shape === 'all-day') continue;
      // The user's "not an interview" holds for the event wherever it moves.
      if (world.interviews.some((iv) => this.marked.has(iv.id) && this.entryOf(iv) === entry)) continue;
      for (const start of meantStarts(entry).filter((t) => t > now + MIN && t < now + 20 * 86_400_000)) {
        const at = world.interviews.filter((iv) => this.entryOf(iv) === entry && iv.start === start);
        if (at.length === 0) problems.push(`the call of ${entry.uid} at ${new Date(start).toISOString()} is not an interview`);
        else if (!at.some((iv) => iv.status === 'scheduled' || iv.status === 'done')) {
          problems.push(`the call of ${entry.uid} at ${new Date(start).toISOString()}, on the calendar, is ${at.map((iv) => iv.status).join(', ')}`);
        }
      }
    }
    for (const iv of world.interviews) {
      const entry = this.entryOf(iv);
      if (!entry || iv.status !== 'scheduled') continue;
      if (entry.item.shape === 'all-day') problems.push(`an all-day entry became an interview: ${iv.id}`);
      const occurrences = meantStarts(entry);
      if (!occurrences.includes(iv.start)) {
        problems.push(`${iv.id} starts at ${new Date(iv.start).toISOString()}, the calendar says ${occurrences.map((t) => new Date(t).toISOString()).join(' or ')}`);
      }
    }
    if (problems.length > 0) throw new Error(`after ${label}:\n${problems.join('\n')}\nsteps so far:\n  ${this.log.join('\n  ')}`);
  }

  async apply(step: Step): Promise<void> {
    this.log.push(`${new Date(this.h.now()).toISOString()} ${JSON.stringify(step)}`);
    const entry = this.target('target' in step ? step.target : undefined);
    switch (step.op) {
      case 'advance':
        await this.h.advance(step.minutes * MIN);
        break;
      case 'move':
        if (!entry) break;
        entry.start = asWritten(entry.start + step.minutes * MIN, entry.written);
        entry.sequence += 1;
        await this.write();
        break;
      case 'cancel':
        if (!entry) break;
        entry.status = step.how === 'status' ? 'cancelled' : 'removed';
        await this.write();
        break;
      case 'readd': {
        // The target if it is off the calendar, else the first that is (so that it follows a cancel often).
        const off = (e: Entry) => e.status !== 'confirmed' || e.declined;
        const entry = [this.target(step.target), ...this.entries].find((e) => e !== undefined && off(e));
        if (!entry) break;
        // Cancelled by STATUS: the organizer's calendar writes STATUS:CONFIRMED when it reinstates the call.
        entry.reinstated = entry.status === 'cancelled';
        if (entry.reinstated) count('reinstated with STATUS:CONFIRMED');
        entry.status = 'confirmed';
        entry.declined = false;
        entry.sequence += 1;
        await this.write();
        break;
      }
      case 'duplicate':
        if (!entry) break;
        entry.duplicate = { start: asWritten(entry.start + step.minutes * MIN, entry.written), sequence: step.higherSequence ? entry.sequence + 1 : entry.sequence - 1 };
        await this.write();
        break;
      case 'decline':
        if (!entry) break;
        entry.declined = true;
        entry.sequence += 1;
        await this.write();
        break;
      case 'delete-draft':
      case 'edit-draft':
        if (entry) await this.touchDraft(entry, step.op);
        break;
      case 'outcome': {
        const iv = entry ? (await this.interviewsOf(entry)).find((i) => i.status === 'scheduled') : undefined;
        if (iv) await recordOutcome(this.h.engine, iv.id, step.outcome, 'cli');
        break;
      }
      case 'reply':
        if (entry) await this.reply(entry);
        break;
      case 'outage':
        await this.outage(step);
        break;
      case 'redis-restart':
        await redis.kill();
        await new Promise((r) => setTimeout(r, 300));
        await redis.restart();
        await waitFor('Redis back', async () => (await this.h.runtime.store.redis.ping().catch(() => '')) === 'PONG');
        break;
      case 'asleep':
        await this.asleep(step);
        break;
      case 'unreadable':
        await this.unreadable(step);
        break;
      case 'mark':
        if (entry) await this.mark(entry, step.back);
        break;
      case 'midnight':
        if (entry) await this.midnight(entry, step);
        break;
    }
    await this.syncAndCheck(JSON.stringify(step));
  }

  target(n: number | undefined): Entry | undefined {
    return n === undefined ? undefined : this.entries[n % this.entries.length];
  }

  /** What the organizer did while ringback could not see the calendar; the entry changed, if any. */
  async meanwhile(change: Meanwhile): Promise<Entry | null> {
    const entry = this.target(change?.target);
    if (!change || !entry || entry.status !== 'confirmed') return null;
    count(`meanwhile ${change.what}`);
    if (change.what === 'cancel') entry.status = 'cancelled';
    else entry.start = asWritten(entry.start + 45 * MIN, entry.written);
    entry.sequence += 1;
    await this.write();
    return entry;
  }

  /**
   * ringback stopped for a while (the laptop asleep): no sync, no job, no reconcile. On waking, the
   * jobs whose time passed are due at once (the queue's delays ran out in real time): the start's
   * reconcile puts them at "now" here, and they run before the first sync has read the calendar.
   * Nothing may be sent on what was read before the sleep.
   */
  async asleep(step: Extract<Step, { op: 'asleep' }>): Promise<void> {
    await this.h.stopDaemon();
    const half = Math.floor(step.minutes / 2) * MIN;
    await this.h.advance(half, { reconcile: false, sync: false });
    const changed = await this.meanwhile(step.meanwhile);
    await this.h.advance(step.minutes * MIN - half, { reconcile: false, sync: false });
    const wokeAt = this.h.now();
    await this.h.start({ probeEveryMs: 200 });
    await reconcile(this.h.engine);
    await settle(this.h);
    // The cancel is seen when a sync withdraws the call (the daemon's own first poll may have, by
    // now): from then on nothing is drafted or sent for it. Jobs due on waking may run before that
    // sync and draft on what was read before the sleep, as designed (src/domain/unread.ts holds
    // only sends); a later syncAndCheck notes the cancel if no sync has seen it yet.
    if (changed?.status === 'cancelled') {
      const audit = await this.h.audit();
      for (const iv of await this.interviewsOf(changed)) {
        const seen = audit.find((r) => r.interviewId === iv.id && r.type === 'cancelled' && r.at >= wokeAt);
        const windows = this.observed.blocked.get(iv.id) ?? [];
        if (seen && !windows.some((w) => w.to === Number.POSITIVE_INFINITY)) windows.push({ from: seen.at, to: Number.POSITIVE_INFINITY });
        this.observed.blocked.set(iv.id, windows);
      }
    }
    // The daemon's own poll may have read the calendar meanwhile (its read is recorded when the
    // sync ends, after what it released went): then the sends are of today's calendar.
    const readAt = (await getAccountStatus(this.h.runtime.store, 'cal')).lastSyncAt ?? 0;
    const early = readAt >= wokeAt ? [] : (await this.h.audit()).filter((r) => r.type === 'sent' && r.at >= wokeAt);
    await this.checkAll(
      'waking, before the first sync',
      early.map((r) => `sent on waking, before the calendar was read again: ${r.message}`),
    );
  }

  /**
   * The calendar unreadable for a while, then whole again (with what the organizer changed
   * meanwhile): every sync in between fails, nothing is withdrawn, and nothing is sent on a
   * calendar last read longer ago than a send allows (src/domain/unread.ts).
   */
  async unreadable(step: Extract<Step, { op: 'unreadable' }>): Promise<void> {
    const file = join(this.h.dir, 'calendar.ics');
    const whole = calendarText(this.entries);
    if (step.how === 'missing') await rm(file, { force: true });
    else if (step.how === 'error-page') await this.h.setCalendarText('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n');
    else {
      // Cut inside the last entry, as a copy or a download stopped short.
      const last = whole.lastIndexOf('BEGIN:VEVENT');
      const end = whole.indexOf('END:VEVENT', last);
      await this.h.setCalendarText(last < 0 || end < 0 ? whole.slice(0, Math.floor(whole.length / 2)) : whole.slice(0, Math.floor((last + end) / 2)));
    }
    const lastRead = this.h.now();
    const before = new Map((await listInterviews(this.h.runtime.store)).map((iv) => [iv.id, iv.status]));
    for (let left = step.minutes; left > 0; left -= 20) {
      await this.h.advance(Math.min(20, left) * MIN, { sync: false });
      const read = await this.h.sync().then(
        () => true,
        () => false,
      );
      await settle(this.h);
      const problems = read ? [`the ${step.how} calendar was read as a calendar`] : [];
      for (const iv of await listInterviews(this.h.runtime.store)) {
        if (before.get(iv.id) === 'scheduled' && iv.status !== 'scheduled') problems.push(`${iv.id} was withdrawn (${iv.status}) while the calendar could not be read`);
      }
      const stale = (await this.h.audit()).filter((r) => r.type === 'sent' && r.at > lastRead + readWithinMs(this.h.config.sync.pollSeconds));
      problems.push(...stale.map((r) => `sent on a calendar not read since ${new Date(lastRead).toISOString()}: ${r.message}`));
      await this.checkAll(`the calendar ${step.how}, ${step.minutes - left + Math.min(20, left)} min`, problems);
    }
    await this.meanwhile(step.meanwhile);
    await this.write();
  }

  /** `ringback mark <id> not-interview` on the entry's next call; `back` minutes later (the clock going on), `ringback mark <id> phone`. */
  async mark(entry: Entry, back: number | null): Promise<void> {
    const ivs = await this.interviewsOf(entry);
    const shown = ivs.find((i) => i.status === 'scheduled' && i.start > this.h.now()) ?? ivs.find((i) => i.status === 'scheduled');
    if (!shown) return;
    await markEvent(this.h.engine, { interview: shown }, { kind: 'not-interview' });
    this.marked.add(shown.id);
    count('marked not-interview');
    if (back === null) return;
    await this.syncAndCheck('marked not-interview');
    if (back > 0) {
      await this.h.advance(back * MIN);
      await this.syncAndCheck(`${back} minutes`);
    }
    // As `ringback mark` loads it: the record as it stands now.
    const now = (await listInterviews(this.h.runtime.store)).find((iv) => iv.id === shown.id);
    if (!now) return;
    await markEvent(this.h.engine, { interview: now }, { kind: 'phone' });
    this.marked.delete(shown.id);
    count('marked phone again');
    // Planned again at the latest when the calendar is next read, if it still holds the call.
    await this.syncAndCheck('marked phone again');
    const after = (await listInterviews(this.h.runtime.store)).find((iv) => iv.id === shown.id);
    const held = entry.status === 'confirmed' && !entry.declined && after !== undefined && meantStarts(entry).includes(after.start);
    if (held && after.status !== 'scheduled' && after.status !== 'done') {
      throw new Error(`${shown.id}, marked phone again, is ${after.status} after the calendar was read\nsteps so far:\n  ${this.log.join('\n  ')}`);
    }
  }

  /**
   * The call moved to a little before the next midnight (an hour or two ahead, the day going by
   * meanwhile) in the recipient's zone or the candidate's, then `across` minutes later: past it.
   */
  async midnight(entry: Entry, step: Extract<Step, { op: 'midnight' }>): Promise<void> {
    const zone = step.zone === 'recipient' && entry.written.kind === 'zone' ? entry.written.zone : CANDIDATE_ZONE;
    const midnight = nextMidnight(this.h.now() + 100 * MIN, zone);
    const before = midnight - Math.round(step.across / 2) * MIN;
    while (before - 120 * MIN > this.h.now()) {
      await this.h.advance(Math.min(180 * MIN, before - 120 * MIN - this.h.now()));
      await this.syncAndCheck('the day going by');
    }
    entry.start = asWritten(before, entry.written);
    entry.sequence += 1;
    await this.write();
    await this.syncAndCheck(`moved to ${new Date(before).toISOString()}, before midnight in ${zone}`);
    await this.h.advance(20 * MIN);
    await this.syncAndCheck('20 minutes');
    entry.start = asWritten(before + step.across * MIN, entry.written);
    entry.sequence += 1;
    await this.write();
  }

  async touchDraft(entry: Entry, op: 'delete-draft' | 'edit-draft'): Promise<void> {
    const ids = new Set((await this.interviewsOf(entry)).map((iv) => iv.id));
    const drafts = (await this.h.folder('Drafts')).filter((f) => ids.has(parseMessageId(f.mail.messageId ?? '')?.interviewId ?? ''));
    const draft = drafts.find((f) => parseMessageId(f.mail.messageId ?? '')?.kind === 'confirmation') ?? drafts[0];
    if (!draft) return;
    if (op === 'delete-draft') {
      this.observed.vetoed.add(draft.mail.messageId ?? '');
      await this.h.userDeletes(draft.path);
      return;
    }
    const raw = await readFile(draft.path, 'utf8');
    await writeFile(draft.path, raw.replace(/(Best regards|Kind regards),/, 'P.S. Edited by Ada.\n\n$1,'));
  }

  async reply(entry: Entry): Promise<void> {
    const iv = (await this.interviewsOf(entry)).find((i) => i.start <= this.h.now()) ?? (await this.interviewsOf(entry))[0];
    if (!iv) return;
    const sent = (await this.h.folder('Sent')).find((f) => parseMessageId(f.mail.messageId ?? '')?.interviewId === iv.id);
    const at = this.h.now();
    const lines = [
      `From: Dana Whitfield <${counterpartOf(entry)}>`,
      'To: Ada Park <ada@example.org>',
      `Subject: Re: ${sent?.mail.subject ?? 'our call'}`,
      `Date: ${new Date(at).toUTCString()}`,
      `Message-ID: <reply.${at}@acme.example>`,
      ...(sent?.mail.messageId ? [`In-Reply-To: ${sent.mail.messageId}`] : []),
      '',
      'Thanks, talk soon.',
      '',
    ];
    await this.h.deliverToInbox(lines.join('\r\n'));
    if (at >= iv.start) this.observed.replied.set(iv.id, at);
  }

  async outage(step: Extract<Step, { op: 'outage' }>): Promise<void> {
    const { maildir } = this.h;
    const moved = step.how === 'path-missing' ? maildir : join(maildir, step.how === 'drafts-missing' ? '.Drafts' : '.Sent');
    const away = `${moved}.away`;
    // A folder ringback has not needed yet is made first, so that it can go missing.
    await mkdir(moved, { recursive: true });
    await rename(moved, away);
    if (step.how === 'sent-not-a-folder') await writeFile(moved, 'not a folder\n');
    // The hour goes by in steps, each synced, as the daemon would.
    for (let left = step.minutes; left > 0; left -= 20) {
      await this.h.advance(Math.min(20, left) * MIN);
      await this.h.sync();
      await settle(this.h);
    }
    const down = (await getAccountStatus(this.h.runtime.store, 'mail')).attention !== null;
    const resumed = async () => (await this.h.audit()).filter((r) => r.type === 'account' && r.message.includes('works again')).length;
    const before = await resumed();
    if (step.how === 'sent-not-a-folder') await rm(moved, { force: true });
    if (await exists(moved)) {
      // Written again meanwhile (a folder made anew): keep both, as a user restoring it would.
      await cp(away, moved, { recursive: true, force: false });
      await rm(away, { recursive: true, force: true });
    } else {
      await rename(away, moved);
    }
    await mkdir(join(maildir, 'tmp'), { recursive: true });
    if (down) {
      await waitFor('the mailbox to be used again', async () => (await resumed()) > before);
    }
    // What was parked and is still of use has run within a minute of the recovery.
    await settle(this.h);
    const left = await checkNothingLeftBehind(this.h, await readWorld(this.h), MIN);
    if (left.length > 0) throw new Error(`after the mailbox came back:\n${left.join('\n')}\nsteps so far:\n  ${this.log.join('\n  ')}`);
  }
}


async function runStory(s: Story): Promise<void> {
  const h = await startEngineHarness({ redisUrl: redis.url, timing: TIMING, allowProblems: true });
  const run = new Run(h);
  try {
    // A story on a day the clocks change starts a little over two hours before its call.
    const dst = s.interviews.flatMap((item) => (item.at.kind === 'dst' ? [firstStart(item, h.now())] : [])).sort((a, b) => a - b)[0];
    if (dst !== undefined && dst - 130 * MIN > h.now()) await h.advance(dst - 130 * MIN - h.now());
    const now = h.now();
    run.entries = s.interviews.map((item, i) => ({
      uid: `story-${i}@ringback.test`,
      item,
      company: i + 1,
      start: firstStart(item, now),
      written: item.at.kind === 'dst' ? { kind: 'zone' as const, zone: item.at.day.zone } : item.written,
      sequence: 1,
      status: 'confirmed' as const,
      reinstated: false,
      declined: false,
      duplicate: null,
    }));
    await run.write();
    await h.start({ probeEveryMs: 200 });
    await run.syncAndCheck('the first sync');
    for (const step of s.steps) {
      count(step.op);
      await run.apply(step);
    }
    // The rest of the day: follow-ups, assumed outcomes, thank-yous.
    for (let i = 0; i < 4; i++) await run.apply({ op: 'advance', minutes: 180 });
    const left = await checkNothingLeftBehind(h, await readWorld(h));
    if (left.length > 0) throw new Error(`at the end:\n${left.join('\n')}\nsteps:\n  ${run.log.join('\n  ')}`);
  } catch (error) {
    if (process.env.RINGBACK_STORY_PRINT) for (const r of (await h.audit()).reverse()) console.log(`${new Date(r.at).toISOString()} ${r.type} ${r.interviewId ?? ''} ${r.message}`);
    throw error;
  } finally {
    await h.stop();
  }
}

/** Stories that once failed, kept as they were found (the seed, and what went wrong, beside each). */
const REGRESSIONS: readonly { readonly found: string; readonly story: Story }[] = [
  {
    // Seed 5: a call marked not an interview and at once a phone interview again stayed withdrawn
    // while its event did not change (src/engine/mark.ts; test/engine/mark.int.test.ts).
    found: 'seed 5, mark and back',
    story: {
      interviews: [
        {
          written: { kind: 'zone', zone: 'America/New_York', vtimezone: true },
          shape: 'no-end',
          at: { kind: 'ahead', minutes: 1_500 },
          series: { exdateSecond: true, first: 'cancelled' },
        },
      ],
      steps: [
        { op: 'move', target: 1, minutes: 45 },
        { op: 'mark', target: 1, back: 0 },
      ],
    },
  },
  {
    // Seed 6: a weekly series removed (withdrawn at the next read, several calls at once) while the
    // Drafts folder was gone: the withdrawal failed the calendar's sync (src/engine/cancel.ts;
    // test/engine/cancel-while-mailbox-down.int.test.ts).
    found: 'seed 6, a series removed while the Drafts folder is gone',
    story: {
      interviews: [
        {
          written: { kind: 'zone', zone: 'Australia/Adelaide' },
          shape: 'half-hour',
          at: { kind: 'dst', day: { zone: 'Europe/Berlin', date: '2027-03-28', clock: '02:30' } },
          series: { exdateSecond: false, first: 'moved' },
        },
        { written: { kind: 'floating' }, shape: 'no-end', at: { kind: 'ahead', minutes: 12 }, series: { exdateSecond: true, first: 'kept' } },
      ],
      steps: [
        { op: 'cancel', target: 2, how: 'removed' },
        { op: 'outage', how: 'drafts-missing', minutes: 20 },
      ],
    },
  },
  {
    // Seed 7 (12 stories): an organizer writing in Etc/GMT+5 while New York is on UTC−5 (November
    // to March) is told "3:38 AM Eastern (3:38 AM UTC-5 for you)": the same clock under other
    // words, which the emails say on purpose (src/domain/zones.ts, spokenTime); the check took any
    // same-offset "for you" for a mistake. From April to October the offsets differ.
    found: 'seed 7, the same clock under other words',
    story: {
      interviews: [
        { written: { kind: 'utc' }, shape: 'no-end', at: { kind: 'ahead', minutes: 12 }, series: null },
        { written: { kind: 'zone', zone: 'Etc/GMT+5' }, shape: 'half-hour', at: { kind: 'ahead', minutes: 300 }, series: null },
      ],
      steps: [
        { op: 'redis-restart' },
        { op: 'advance', minutes: 9 },
        { op: 'edit-draft', target: 1 },
        { op: 'edit-draft', target: 0 },
        { op: 'reply', target: 0 },
        { op: 'asleep', minutes: 30, meanwhile: { target: 0, what: 'cancel' } },
        { op: 'outcome', target: 2, outcome: 'candidate-missed' },
      ],
    },
  },
];

describe('randomised timelines through the engine', () => {
  it.each(REGRESSIONS)('keeps every invariant in a story found before ($found)', async ({ story: s }) => {
    await runStory(s);
  }, 120_000);

  it(`keeps every invariant over ${RUNS} seeded stories (seed ${SEED})`, async () => {
    try {
      await fc.assert(
        fc.asyncProperty(story, async (s) => {
          await runStory(s);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    } catch (error) {
      console.error(`timeline stories failed with seed ${SEED} (RINGBACK_STORY_SEED=${SEED} to run them again)`);
      throw error;
    }
    if (process.env.RINGBACK_STORY_PRINT) console.log(`steps run: ${[...tally].map(([op, n]) => `${op} ${n}`).join(', ')}`);
    expect(RUNS).toBeGreaterThan(0);
  }, 600_000);
});
