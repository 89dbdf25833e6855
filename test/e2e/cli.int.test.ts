/**
 * The `ringback` command as a user runs it: exit codes and one-line messages for bad input, the
 * `interviews --json` contract, `sync --once`, `outcome`, `brief`, `doctor`.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { describe, expect, inject, it } from 'vitest';
import { createStore } from '../../src/store/store.js';
import { recordUndelivered } from '../../src/store/undelivered.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { testPrefix } from '../support/prefix.js';
import { runCli } from './cli.js';

async function workspace(extra = ''): Promise<{ dir: string; config: string; prefix: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ringback-cli-'));
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, 'mail', sub), { recursive: true });
  const now = Date.now();
  await writeFile(
    join(dir, 'calendar.ics'),
    harnessCalendarToIcs([
      interviewEvent({ uid: 'cli-1', start: Math.floor((now + 3 * 60 * MINUTE) / 1000) * 1000, description: 'Please call +1 415 555 0199.' }),
      { uid: 'lunch', title: 'Lunch with Sam', start: now + 5 * 60 * MINUTE, end: now + 6 * 60 * MINUTE },
    ]),
  );
  const config = join(dir, 'ringback.yaml');
  const prefix = testPrefix('cli');
  await writeFile(
    config,
    [
      'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }',
      `redis: ${inject('redisUrl')}`,
      `dataDir: ${join(dir, 'data')}`,
      `prefix: ${prefix}`,
      'calendars:',
      '  - { type: ics, id: cal, path: ./calendar.ics }',
      'mailbox: { type: maildir, id: mail, path: ./mail }',
      extra,
    ].join('\n'),
  );
  return { dir, config, prefix };
}

const ENV = { RINGBACK_SECRET_KEY: '22'.repeat(32), REDIS_URL: undefined };

describe('ringback CLI', () => {
  it('exits 2 with one line naming the file, the field and what is valid, for a broken config', async () => {
    const { config } = await workspace('timing: { confirmLeadMinuts: 60 }');
    const r = await runCli(['--config', config, 'interviews'], { env: ENV });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ringback.yaml');
    expect(lines[0]).toContain('timing.confirmLeadMinuts');
    expect(lines[0]).toContain('confirmLeadMinutes');
  });

  it('exits 2 for an out-of-range value and for an unknown outcome', async () => {
    const { config } = await workspace('timing: { confirmLeadMinutes: 5 }');
    const r = await runCli(['--config', config, 'doctor'], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/confirmLeadMinutes.*15.*240/);
    const ok = await workspace();
    const bad = await runCli(['--config', ok.config, 'outcome', 'iv123', 'maybe'], { env: ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('held, interviewer-no-show, candidate-missed');
  });

  it('exits 2 for an unknown command', async () => {
    const r = await runCli(['frobnicate'], { env: ENV });
    expect(r.code).toBe(2);
  });

  it('explains why an event is not a phone interview, and marks it one', async () => {
    const { dir, config } = await workspace();
    const start = Math.floor((Date.now() + 4 * 60 * MINUTE) / 1000) * 1000;
    await writeFile(
      join(dir, 'calendar.ics'),
      harnessCalendarToIcs([
        interviewEvent({
          uid: 'video-1',
          start,
          title: 'Intro call - Priya / Globex',
          description: 'About the analyst role.\nJoin with Google Meet: https://meet.google.com/xpq-rstu-vwy\nOr dial: (US) +1 609-555-0133 PIN: 482 913 776#',
        }),
      ]),
    );
    expect((await runCli(['--config', config, 'sync', '--once'], { env: ENV })).code).toBe(0);

    const explained = await runCli(['--config', config, 'explain', 'globex'], { env: ENV });
    expect(explained.stderr).toBe('');
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('class: video');
    expect(explained.stdout).toMatch(/description\s+\+3\s+video/);
    const id = /^(\S+)/.exec(explained.stdout)?.[1] ?? '';

    const bad = await runCli(['--config', config, 'mark', id, 'zoom'], { env: ENV });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('phone, video, not-interview');
    const unknown = await runCli(['--config', config, 'explain', 'no such thing'], { env: ENV });
    expect(unknown.code).toBe(2);

    const marked = await runCli(['--config', config, 'mark', id, 'phone', '--direction', 'candidate-calls', '--number', '+1 212 555 0177'], { env: ENV });
    expect(marked.stderr).toBe('');
    expect(marked.code).toBe(0);
    expect(marked.stdout).toContain('now a phone interview');
    const views = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as Record<string, unknown>[];
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ id, number: '+12125550177', direction: 'candidate-calls', review: false });
  });

  it('lists an invitation from a no-reply address with the named interviewer and email null, and says why nothing is sent on its own', async () => {
    const { dir, config } = await workspace();
    const start = Math.floor((Date.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    await writeFile(
      join(dir, 'calendar.ics'),
      harnessCalendarToIcs([
        {
          uid: 'ats-1',
          title: 'Interview with Fabrikam',
          start,
          end: start + 30 * MINUTE,
          description: 'Interview: Recruiter Phone Screen\nInterviewer: Sam Lee, Talent Partner\n\nSam will call you at (415) 555-0100 at the time above.',
          organizer: { name: 'Fabrikam Recruiting', email: 'no-reply@fabrikam.example' },
          attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }],
        },
      ]),
    );
    const sync = await runCli(['--config', config, 'sync', '--once'], { env: ENV });
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('1 new interview');
    const [v] = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as Record<string, unknown>[];
    expect(v).toMatchObject({ counterpart: { name: 'Sam Lee', email: null }, company: 'fabrikam.example', number: '+14155550100', direction: 'interviewer-calls', status: 'scheduled' });
    const send = (v?.actions as { kind: string; state: string; note?: string }[]).find((a) => a.kind === 'confirmation-send');
    // Planned for a recipient the user may write into the draft; without one it stays a draft.
    expect(send).toMatchObject({ state: 'pending' });
    const text = await runCli(['--config', config, 'interviews'], { env: ENV });
    expect(text.stdout).toContain('with Sam Lee (no address) (fabrikam.example)');
    expect(text.stdout).toContain('NO ADDRESS: no address to write to');
    const brief = await runCli(['--config', config, 'brief', String(v?.id)], { env: ENV });
    expect(brief.stdout).toContain('With: Sam Lee (no address to write to');
  });

  it('lists, explains and briefs a phone interview held on a Teams bridge as one you dial in to', async () => {
    // The held-out invitation ho9-teams-audio-only (https://jeffbrown.tech/understanding-microsoft-teams-audio-conferencing-dial-out-capabilities/).
    const { dir, config } = await workspace();
    const start = Math.floor((Date.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    const teams = 'Microsoft Teams meeting\nClick here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zm9vYmFy%40thread.v2/0>\nOr call in (audio only)\n+1 872-555-0148,,618203945#   United States, Chicago\nPhone Conference ID: 618 203 945#';
    await writeFile(
      join(dir, 'calendar.ics'),
      harnessCalendarToIcs([
        {
          uid: 'teams-audio',
          title: 'Phone interview - Ada Park / Greystone Insurance',
          start,
          end: start + 30 * MINUTE,
          description: `Hi Ada, our phone interview will be audio only. Please call in with the Teams number below and enter the conference ID; no camera needed.\n\n${teams}`,
          organizer: { name: 'Arjun Mehta', email: 'arjun.mehta@greystone.example' },
          attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }],
        },
      ]),
    );
    expect((await runCli(['--config', config, 'sync', '--once'], { env: ENV })).code).toBe(0);
    const [v] = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as Record<string, unknown>[];
    expect(v).toMatchObject({ direction: 'candidate-calls', number: null, dialIn: true });
    const text = await runCli(['--config', config, 'interviews'], { env: ENV });
    expect(text.stdout).toContain("· candidate-calls, dial in · number the meeting bridge's, in the invitation");
    const explained = await runCli(['--config', config, 'explain', String(v?.id)], { env: ENV });
    expect(explained.stdout).toContain("who dials: candidate-calls, dialling in to the meeting's bridge; number: none (its number and ID are in the invitation)");
    const brief = await runCli(['--config', config, 'brief', String(v?.id)], { env: ENV });
    expect(brief.stdout).toContain("Who dials: you dial in to the meeting's bridge, where Arjun Mehta joins.");
  });

  it('explains an interview whose invitation states a time that is not the entry\'s, naming both times', async () => {
    // "Reminder: Phone Screen with Contoso - tomorrow at 10:00 AM PT" (https://interview-email-templates.pages.dev/interview-reminder-email-template/)
    // on an entry stored in UTC at that clock reading on the user's (Eastern) clock: a floating entry.
    const { dir, config } = await workspace();
    const start = Math.floor((Date.now() + 3 * 60 * MINUTE) / MINUTE) * MINUTE;
    const eastern = clockWithZone(start, 'America/New_York');
    const said = eastern.replace(' Eastern', ' PT');
    await writeFile(join(dir, 'calendar.ics'), harnessCalendarToIcs([interviewEvent({ uid: 'floating', start, title: `Reminder: Phone Screen with Contoso - tomorrow at ${said}` })]));
    expect((await runCli(['--config', config, 'sync', '--once'], { env: ENV })).code).toBe(0);
    const [v] = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as Record<string, unknown>[];
    expect(v).toMatchObject({ review: true });
    const explained = await runCli(['--config', config, 'explain', String(v?.id)], { env: ENV });
    const stated = start + 3 * 60 * MINUTE;
    expect(explained.stdout).toContain(
      `  the invitation says ${clockWithZone(stated, 'America/Los_Angeles')} (${clockWithZone(stated, 'America/New_York')}); the calendar entry is at ${eastern}: check which before the confirmation is sent\n`,
    );
    expect(explained.stdout).toContain('phone interview, needs review: the confirmation stays a draft');
  });

  it('explains on whose clock an interview written without a time zone was read', async () => {
    // An invitation of floating times (ical4j/ical4j#585: DTSTART:20220805T080000, the writer's zone
    // in a TZID property that names no time; its times, names and addresses ours).
    const { dir, config } = await workspace();
    const start = Math.floor((Date.now() + 3 * 60 * MINUTE) / MINUTE) * MINUTE;
    const local = (t: number): string => DateTime.fromMillis(t, { zone: 'America/New_York' }).toFormat("yyyyMMdd'T'HHmmss");
    const invitation = ['BEGIN:VCALENDAR', 'PRODID:-//Events Calendar//iCal4j 1.0//EN', 'VERSION:2.0', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'DTSTAMP:20220804T092511Z',
      `DTSTART:${local(start)}`, `DTEND:${local(start + 30 * MINUTE)}`, 'SUMMARY:Phone screen with Dana (Acme)', 'TZID:Asia/Shanghai', 'UID:abd89736-cli@acme.example',
      'ORGANIZER;CN=Dana Whitfield:mailto:dana@acme.example', 'DESCRIPTION:Dana will call you at +1 415 555 0199.',
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ada Park:mailto:ada@example.org', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    await writeFile(join(dir, 'calendar.ics'), invitation);
    expect((await runCli(['--config', config, 'sync', '--once'], { env: ENV })).code).toBe(0);
    const [v] = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as Record<string, unknown>[];
    expect(v?.start).toBe(new Date(start).toISOString());
    const explained = await runCli(['--config', config, 'explain', String(v?.id)], { env: ENV });
    expect(explained.stdout).toContain(
      `  time: the entry gives its time without a time zone (a floating time): read as ${clockWithZone(start, 'America/New_York')}, on your own clock (candidate.timezone); if the interviewer meant another zone, the call is at another time\n`,
    );
  });

  it('syncs once, lists interviews as the JSON contract, and briefs one', async () => {
    const { config } = await workspace();
    const sync = await runCli(['--config', config, 'sync', '--once'], { env: ENV });
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(sync.stdout).toContain('1 new interview');
    expect(sync.stdout).toContain('Lunch with Sam');

    const list = await runCli(['--config', config, 'interviews', '--json'], { env: ENV });
    expect(list.code).toBe(0);
    const views = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(views).toHaveLength(1);
    const v = views[0] as Record<string, unknown>;
    for (const field of ['id', 'title', 'start', 'end', 'counterpart', 'company', 'number', 'direction', 'status', 'actions']) {
      expect(v).toHaveProperty(field);
    }
    expect(v.counterpart).toEqual({ name: 'Dana Whitfield', email: 'dana@acme.example' });
    expect(v.company).toBe('acme.example');
    expect(v.number).toBe('+14155550199');
    expect(v.direction).toBe('candidate-calls');
    expect(v.status).toBe('scheduled');
    const kinds = (v.actions as { kind: string; dueAt: string; state: string }[]).map((a) => a.kind);
    expect(kinds).toContain('confirmation-draft');
    expect(kinds).toContain('confirmation-send');
    for (const a of v.actions as { dueAt: string; state: string }[]) {
      expect(Number.isFinite(Date.parse(a.dueAt))).toBe(true);
      expect(a.state).toBe('pending');
    }

    const brief = await runCli(['--config', config, 'brief', String(v.id)], { env: ENV });
    expect(brief.code).toBe(0);
    expect(brief.stdout).toContain('Dana Whitfield');
    expect(brief.stdout).toContain('415');

    const queue = await runCli(['--config', config, 'queue', '--json'], { env: ENV });
    expect(queue.code).toBe(0);
    expect((JSON.parse(queue.stdout) as unknown[]).length).toBeGreaterThanOrEqual(2);

    const outcome = await runCli(['--config', config, 'outcome', String(v.id), 'candidate-missed'], { env: ENV });
    expect(outcome.code).toBe(0);
    const after = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as { outcome: string; actions: { kind: string }[] }[];
    expect(after[0]?.outcome).toBe('candidate-missed');
    expect(after[0]?.actions.map((a) => a.kind)).toContain('apology-draft');
  });

  it('company zone: checks the zone, then the brief shows their time too; "none" removes it', async () => {
    const { config } = await workspace();
    expect((await runCli(['--config', config, 'sync', '--once'], { env: ENV })).code).toBe(0);
    const typo = await runCli(['--config', config, 'company', 'zone', 'acme.example', 'Europe/Berlni'], { env: ENV });
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim().split('\n')).toHaveLength(1);
    expect(typo.stderr).toContain('Europe/Berlin');
    const utc = await runCli(['--config', config, 'company', 'zone', 'acme.example', 'UTC'], { env: ENV });
    expect(utc.code).toBe(2);
    expect((await runCli(['--config', config, 'company', 'zone', 'not a company', 'Europe/Berlin'], { env: ENV })).code).toBe(2);

    const set = await runCli(['--config', config, 'company', 'zone', 'ACME.example', 'Europe/Berlin'], { env: ENV });
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('acme.example: emails written from now on show times for Europe/Berlin too');
    const [view] = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as { id: string }[];
    const brief = await runCli(['--config', config, 'brief', String(view?.id)], { env: ENV });
    expect(brief.stdout).toMatch(/^When: .*Eastern \(.*(CET|CEST) for them\)/m);

    expect((await runCli(['--config', config, 'company', 'zone', 'acme.example', 'none'], { env: ENV })).code).toBe(0);
    const plain = await runCli(['--config', config, 'brief', String(view?.id)], { env: ENV });
    expect(plain.stdout).not.toContain('for them');
  });

  it('shows an email that bounced as not delivered in interviews and doctor', async () => {
    const { config, prefix } = await workspace();
    expect((await runCli(['--config', config, 'sync', '--once'], { env: ENV })).code).toBe(0);
    const [listed] = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as { id: string }[];
    const redis = new Redis(inject('redisUrl'));
    try {
      await recordUndelivered(createStore(redis, prefix), listed?.id ?? '', {
        kind: 'confirmation',
        messageId: `<ringback.${listed?.id ?? ''}.confirmation.1@example.org>`,
        recipient: 'dana@acme.example',
        status: '5.1.1',
        reason: '550 5.1.1 User unknown',
        reportedAt: Date.now(),
      });
    } finally {
      redis.disconnect();
    }
    const text = await runCli(['--config', config, 'interviews'], { env: ENV });
    expect(text.stdout).toContain('✗ NOT DELIVERED: the confirmation to dana@acme.example: 550 5.1.1 User unknown (5.1.1) — reach them another way');
    const json = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as { undelivered: unknown[] }[];
    expect(json[0]?.undelivered).toEqual([expect.objectContaining({ kind: 'confirmation', recipient: 'dana@acme.example', status: '5.1.1' })]);
    const doctor = await runCli(['--config', config, 'doctor'], { env: ENV });
    expect(doctor.stdout).toContain('! the confirmation for "Phone screen with Dana (Acme)" was not delivered to dana@acme.example: 550 5.1.1 User unknown');
    expect(doctor.stdout).toContain('fix: check the address in the invitation');
    // A warning: the setup itself is fine.
    expect(doctor.code).toBe(0);
  });

  it('doctor reports a ready setup with exit 0', async () => {
    const { config } = await workspace();
    const r = await runCli(['--config', config, 'doctor'], { env: ENV });
    expect(r.stdout).toContain('✓ config');
    expect(r.stdout).toContain('Redis');
    expect(r.code).toBe(0);
  });
});
