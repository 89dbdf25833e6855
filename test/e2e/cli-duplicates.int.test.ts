/**
 * The `ringback` command on one call listed by two calendars (README, "One call in two
 * calendars"): `interviews` offers review actions only on the listing with the emails, and
 * `outcome` given the duplicate's id records the call's outcome on that listing, once.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { interviewEvent, MINUTE } from '../support/engine-harness.js';
import { testPrefix } from '../support/prefix.js';
import { runCli } from './cli.js';

const ENV = { RINGBACK_SECRET_KEY: '22'.repeat(32), REDIS_URL: undefined };

interface View {
  readonly id: string;
  readonly duplicateOf: string | null;
  readonly outcome: string | null;
  readonly review?: boolean;
  readonly actions: readonly { readonly kind: string }[];
}

describe('ringback CLI, one call in two calendars', () => {
  it('points review and outcome at the listing with the emails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-cli-dup-'));
    for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, 'mail', sub), { recursive: true });
    // Says "interview" but not how it is held: planned, but needs review.
    const event = interviewEvent({ uid: 'cli-dup', start: Math.floor((Date.now() + 3 * 60 * MINUTE) / 1000) * 1000, title: 'Interview with Acme', description: '' });
    for (const name of ['a.ics', 'b.ics']) await writeFile(join(dir, name), harnessCalendarToIcs([event]));
    const config = join(dir, 'ringback.yaml');
    await writeFile(
      config,
      [
        'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }',
        `redis: ${inject('redisUrl')}`,
        `dataDir: ${join(dir, 'data')}`,
        `prefix: ${testPrefix('cli-dup')}`,
        'calendars:',
        '  - { type: ics, id: a, path: ./a.ics }',
        '  - { type: ics, id: b, path: ./b.ics }',
        'mailbox: { type: maildir, id: mail, path: ./mail }',
      ].join('\n'),
    );
    const sync = await runCli(['--config', config, 'sync', '--once'], { env: ENV });
    expect(sync.code).toBe(0);
    const views = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as View[];
    expect(views).toHaveLength(2);
    const owner = views.find((v) => v.duplicateOf === null) as View;
    const duplicate = views.find((v) => v.duplicateOf !== null) as View;
    expect(duplicate.duplicateOf).toBe(owner.id);
    expect(owner.review).toBe(true);

    const list = await runCli(['--config', config, 'interviews'], { env: ENV });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`ringback mark ${owner.id} phone`);
    expect(list.stdout).not.toContain(`ringback mark ${duplicate.id}`);

    const outcome = await runCli(['--config', config, 'outcome', duplicate.id, 'candidate-missed'], { env: ENV });
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`${duplicate.id} is the same call as ${owner.id}`);
    expect(outcome.stdout).toContain(`recorded for ${owner.id}`);
    const after = JSON.parse((await runCli(['--config', config, 'interviews', '--json'], { env: ENV })).stdout) as View[];
    const ownerAfter = after.find((v) => v.id === owner.id) as View;
    const duplicateAfter = after.find((v) => v.id === duplicate.id) as View;
    expect(ownerAfter.outcome).toBe('candidate-missed');
    expect(ownerAfter.actions.map((a) => a.kind)).toContain('apology-draft');
    expect(duplicateAfter.outcome).toBeNull();
    expect(duplicateAfter.actions).toEqual([]);
  });
});
