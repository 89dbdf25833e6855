/**
 * `ringback demo` (`npm run demo`): the whole engine on the embedded default, in a temporary
 * folder. It writes a calendar with four events (an interview whose confirmation falls due in
 * about a minute, one three days ahead, a lunch, a declined interview), runs the daemon, prints each
 * step as it happens, and exits once the confirmation is in the Maildir's Sent folder.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { loadConfig } from '../../config/load.js';
import { startDaemon } from '../daemon/daemon.js';
import { buildEngine, closeEngine, openRuntime } from '../daemon/runtime.js';
import { RunTimeError } from '../errors.js';
import { openRedisConnection } from '../store/connection.js';
import type { AuditRecord } from '../store/audit.js';
import { followAuditStream } from '../read/audit-follow.js';
import { formatAuditLine } from './follow.js';
import { startDashboard } from '../http/server.js';
import { createLogger, say, warn } from './io.js';
import { isInteractive } from './prompt.js';

const LEAD_MINUTES = 15;
const REVIEW_MINUTES = 1;

function icsTime(t: number): string {
  return DateTime.fromMillis(t, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
}

function vevent(fields: { uid: string; start: number; minutes: number; summary: string; description: string; organizer: string; organizerName: string; status: string }): string {
  return [
    'BEGIN:VEVENT',
    `UID:${fields.uid}`,
    `DTSTAMP:${icsTime(Date.now())}`,
    `DTSTART:${icsTime(fields.start)}`,
    `DTEND:${icsTime(fields.start + fields.minutes * 60_000)}`,
    `SUMMARY:${fields.summary}`,
    `DESCRIPTION:${fields.description}`,
    `ORGANIZER;CN=${fields.organizerName}:mailto:${fields.organizer}`,
    `ATTENDEE;CN=Ada Park;PARTSTAT=${fields.status}:mailto:ada@example.org`,
    `ATTENDEE;CN=${fields.organizerName};PARTSTAT=ACCEPTED:mailto:${fields.organizer}`,
    'END:VEVENT',
  ].join('\r\n');
}

/** The sample calendar, relative to `now`. Exported for the demo's test. */
export function demoCalendar(now: number, zone: string): string {
  const soon = now + LEAD_MINUTES * 60_000 + 50_000;
  const day = (n: number, hour: number) => DateTime.fromMillis(now, { zone }).plus({ days: n }).set({ hour, minute: 0, second: 0, millisecond: 0 }).toMillis();
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//ringback//demo//EN',
    vevent({
      uid: 'demo-soon@ringback',
      start: soon,
      minutes: 30,
      summary: 'Phone screen with Dana Whitfield (Acme)',
      description: 'Dana will call you at your number. Role: Platform Engineer.',
      organizer: 'dana.whitfield@acme.example',
      organizerName: 'Dana Whitfield',
      status: 'ACCEPTED',
    }),
    vevent({
      uid: 'demo-later@ringback',
      start: day(3, 14),
      minutes: 45,
      summary: 'Phone interview - Globex platform team',
      description: 'Please call Sam at +1 415 555 0199 at the scheduled time.',
      organizer: 'sam.rivera@globex.example',
      organizerName: 'Sam Rivera',
      status: 'ACCEPTED',
    }),
    vevent({
      uid: 'demo-lunch@ringback',
      start: day(1, 12),
      minutes: 60,
      summary: 'Lunch with Sam',
      description: 'Noodles at the corner place.',
      organizer: 'sam@friends.example',
      organizerName: 'Sam',
      status: 'ACCEPTED',
    }),
    vevent({
      uid: 'demo-declined@ringback',
      start: day(2, 10),
      minutes: 30,
      summary: 'Recruiter call - Initech',
      description: 'We will call you.',
      organizer: 'hr@initech.example',
      organizerName: 'Initech HR',
      status: 'DECLINED',
    }),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function demoConfig(dir: string, redis: string, prefix: string, zone: string): string {
  return [
    '# Written by "ringback demo". See config/ringback.example.yaml for every field.',
    `candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: ${zone} }`,
    `redis: ${JSON.stringify(redis)}`,
    `dataDir: ${JSON.stringify(path.join(dir, 'data'))}`,
    `prefix: ${prefix}`,
    'calendars:',
    `  - { type: ics, id: demo-calendar, path: ${JSON.stringify(path.join(dir, 'calendar.ics'))} }`,
    `mailbox: { type: maildir, id: demo-mail, path: ${JSON.stringify(path.join(dir, 'mail'))} }`,
    // One minute to look at the draft before it goes (the review window is 5 min by default).
    `timing: { confirmLeadMinutes: ${LEAD_MINUTES}, reviewMinutes: ${REVIEW_MINUTES} }`,
    'sync: { pollSeconds: 15 }',
    '',
  ].join('\n');
}

export async function demoCommand(options: { timeoutSeconds?: number; keep?: boolean } = {}): Promise<void> {
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), 'ringback-demo-'));
  const zone = DateTime.local().zoneName ?? 'UTC';
  const redis = process.env.REDIS_URL ?? 'managed';
  const prefix = `demo-${randomBytes(3).toString('hex')}`;
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(path.join(dir, 'mail', sub), { recursive: true });
  await writeFile(path.join(dir, 'calendar.ics'), demoCalendar(started, zone));
  const file = path.join(dir, 'ringback.yaml');
  await writeFile(file, demoConfig(dir, redis, prefix, zone));
  say(`ringback demo in ${dir}`);
  say(`  calendar: ${path.join(dir, 'calendar.ics')} (4 events)`);
  say(`  mailbox:  ${path.join(dir, 'mail')} (Maildir: .Drafts and .Sent)`);
  say(`  redis:    ${redis === 'managed' ? 'managed (a private redis-server in the demo folder)' : 'from REDIS_URL'}`);
  say(`The first interview starts in ${LEAD_MINUTES} min 50 s; its confirmation is drafted now and sent after a ${REVIEW_MINUTES}-minute review window, in about a minute.\n`);

  const config = await loadConfig({ file, env: { ...process.env, REDIS_URL: undefined }, cwd: dir });
  const runtime = await openRuntime(config, { secretKeyEnv: undefined, log: createLogger('warn') });
  const { engine, problems } = await buildEngine(runtime);
  for (const p of problems) warn(`ringback: ${p.accountId}: ${p.message}`);
  let done!: () => void;
  const confirmed = new Promise<void>((resolve) => (done = resolve));
  const follower = followAuditStream(
    openRedisConnection(runtime.redisUrl),
    config.prefix,
    (record: AuditRecord) => {
      say(formatAuditLine(record, zone));
      if (record.type === 'sent') done();
    },
    (e) => warn(`ringback: ${e.message}`),
  );
  const daemon = await startDaemon(runtime, engine, {
    onSync: (s) => {
      for (const n of s.notInterviews) say(`${DateTime.now().setZone(zone).toFormat('HH:mm:ss')}  skipped       "${n.title}": ${n.reason}`);
    },
  });
  const dashboard = await startDashboard(runtime, engine, { env: process.env }).catch(async (error: unknown) => {
    warn(`ringback: ${error instanceof Error ? error.message : String(error)}; using a free port instead`);
    return await startDashboard(runtime, engine, { port: 0, env: process.env });
  });
  say(`Dashboard: ${dashboard.url}\n`);
  const timeout = options.timeoutSeconds ?? 180;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      confirmed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RunTimeError(`the confirmation was not sent within ${timeout} s; see the lines above`)), timeout * 1000);
      }),
    ]);
    clearTimeout(timer);
    if (options.keep ?? isInteractive()) {
      say(`\nThe confirmation is in Sent. The dashboard stays open at ${dashboard.url}:`);
      say('open the interview and record how the call went. Ctrl-C to finish.');
      // Not onShutdownSignal: it exits the process, which would skip the cleanup below.
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
    }
  } finally {
    clearTimeout(timer);
    await dashboard.close();
    await daemon.stop();
    await follower.stop();
    await closeEngine(engine);
    await runtime.close();
  }
  const sent = await readdir(path.join(dir, 'mail', '.Sent', 'cur'));
  const drafts = await readdir(path.join(dir, 'mail', '.Drafts', 'cur'));
  say(`\nDone in ${Math.round((Date.now() - started) / 1000)} s. Open the Maildir with any mail client, or look at the files:`);
  for (const f of sent) say(`  sent:  ${path.join(dir, 'mail', '.Sent', 'cur', f)}`);
  for (const f of drafts) say(`  draft: ${path.join(dir, 'mail', '.Drafts', 'cur', f)}`);
  say(`Config used: ${file}  (try: npx ringback --config ${file} interviews)`);
}
