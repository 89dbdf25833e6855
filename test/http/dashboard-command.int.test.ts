/**
 * `ringback dashboard` in its own process prints the address of the dashboard that another
 * process serves, from the entry kept in Redis; the entry goes when the dashboard stops, and a
 * newer dashboard's entry is never renewed or removed by an older one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/cli/io.js';
import { loadConfig } from '../../config/load.js';
import { buildEngine, closeEngine, openRuntime, type Runtime } from '../../src/daemon/runtime.js';
import type { Engine } from '../../src/engine/context.js';
import { startDashboard } from '../../src/http/server.js';
import { forgetDashboardAddress, getDashboardAddress, renewDashboardAddress, saveDashboardAddress } from '../../src/store/dashboard.js';
import { testPrefix } from '../support/prefix.js';

const run = promisify(execFile);
let dir: string;
let file: string;
let runtime: Runtime;
let engine: Engine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ringback-dashboard-cmd-'));
  file = join(dir, 'ringback.yaml');
  await writeFile(
    file,
    [
      'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }',
      `redis: ${JSON.stringify(inject('redisUrl'))}`,
      `dataDir: ${JSON.stringify(join(dir, 'data'))}`,
      `prefix: ${testPrefix('dashboard')}`,
      '',
    ].join('\n'),
  );
  runtime = await openRuntime(await loadConfig({ file, env: {}, cwd: dir }), { secretKeyEnv: '22'.repeat(32), log: createLogger('silent') });
  engine = (await buildEngine(runtime)).engine;
});

afterAll(async () => {
  await closeEngine(engine);
  await runtime.close();
  await rm(dir, { recursive: true, force: true });
});

async function dashboardCli(): Promise<{ code: number; stdout: string; stderr: string }> {
  // CI=true: not a terminal, so no browser is opened.
  const env: NodeJS.ProcessEnv = { ...process.env, RINGBACK_SECRET_KEY: '22'.repeat(32), CI: 'true' };
  delete env.RINGBACK_CONFIG;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/ringback.js', '--config', file, 'dashboard'], { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('ringback dashboard', () => {
  it('prints the running dashboard’s address, and says so when none runs', async () => {
    const dashboard = await startDashboard(runtime, engine, { port: 0 });
    try {
      const shown = await dashboardCli();
      expect(shown.stderr).toBe('');
      expect(shown.code).toBe(0);
      expect(shown.stdout.trim()).toBe(dashboard.url);
      const ok = await fetch(shown.stdout.trim(), { redirect: 'manual' });
      expect(ok.status).toBe(303);
      expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    } finally {
      await dashboard.close();
    }
    const none = await dashboardCli();
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no dashboard is running');
  });

  it('renews and removes only its own entry', async () => {
    const mine = { token: 'old-token', port: 7807, hostname: 'here', pid: 1, startedAt: 0 };
    await saveDashboardAddress(runtime.store, mine, 60_000);
    expect(await renewDashboardAddress(runtime.store, 'old-token', 60_000)).toBe(true);
    await saveDashboardAddress(runtime.store, { ...mine, token: 'new-token', port: 7808 }, 60_000);
    expect(await renewDashboardAddress(runtime.store, 'old-token', 60_000)).toBe(false);
    await forgetDashboardAddress(runtime.store, 'old-token');
    expect((await getDashboardAddress(runtime.store))?.port).toBe(7808);
    await forgetDashboardAddress(runtime.store, 'new-token');
    expect(await getDashboardAddress(runtime.store)).toBeNull();
    await saveDashboardAddress(runtime.store, mine, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await getDashboardAddress(runtime.store)).toBeNull();
  });
});
