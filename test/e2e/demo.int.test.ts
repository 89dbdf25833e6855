/**
 * `npm run demo` is one of the README's two commands: it must reach a sent confirmation on its own
 * and exit 0, whatever the defaults around it become (a default review window once made it wait
 * past its own time limit and exit 1).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runCli } from './cli.js';

describe('ringback demo', () => {
  it('sends the sample confirmation and exits 0 on its own', async () => {
    const result = await runCli(['demo'], { env: { REDIS_URL: inject('redisUrl') }, timeoutMs: 170_000 });
    expect(result.stderr).not.toMatch(/not sent within/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/drafted .*confirmation draft written to Drafts/);
    expect(result.stdout).toMatch(/sent /);
    const folder = /ringback demo in (\S+)/.exec(result.stdout)?.[1];
    expect(folder).toBeTruthy();
    const sent = await readdir(join(folder ?? '', 'mail', '.Sent', 'cur'));
    expect(sent).toHaveLength(1);
  }, 180_000);
});
