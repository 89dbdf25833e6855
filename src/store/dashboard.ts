/**
 * Where the running dashboard can be reached, so that `ringback dashboard` (another process) can
 * print its address again. The entry lives while the dashboard does: it is written with a short
 * expiry that the dashboard keeps renewing, so a process that died leaves no stale address behind.
 * With several `ringback start` processes on one Redis, the last one started is the one shown.
 *
 * Key: `dashboard:token` string, JSON {@link DashboardAddress}.
 */
import type { Millis } from '../domain/types.js';
import { key, type Store } from './store.js';

export interface DashboardAddress {
  /** The token that opens the dashboard (also the key its session cookies are signed with). */
  readonly token: string;
  readonly port: number;
  /** The machine the dashboard runs on: it listens on that machine's 127.0.0.1 only. */
  readonly hostname: string;
  readonly pid: number;
  readonly startedAt: Millis;
}

function dashboardKey(store: Store): string {
  return key(store, 'dashboard', 'token');
}

export async function saveDashboardAddress(store: Store, address: DashboardAddress, ttlMs: number): Promise<void> {
  await store.redis.set(dashboardKey(store), JSON.stringify(address), 'PX', ttlMs);
}

/** Extends the entry's life if it is still this dashboard's; false when another one replaced it. */
export async function renewDashboardAddress(store: Store, token: string, ttlMs: number): Promise<boolean> {
  const renewed = await store.redis.eval(
    "local v = redis.call('get', KEYS[1]); if v and cjson.decode(v).token == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end",
    1,
    dashboardKey(store),
    token,
    String(ttlMs),
  );
  return renewed === 1;
}

export async function getDashboardAddress(store: Store): Promise<DashboardAddress | null> {
  const raw = await store.redis.get(dashboardKey(store));
  if (!raw) return null;
  const parsed = JSON.parse(raw) as Partial<DashboardAddress>;
  if (typeof parsed.token !== 'string' || typeof parsed.port !== 'number') return null;
  return {
    token: parsed.token,
    port: parsed.port,
    hostname: typeof parsed.hostname === 'string' ? parsed.hostname : '',
    pid: typeof parsed.pid === 'number' ? parsed.pid : 0,
    startedAt: typeof parsed.startedAt === 'number' ? parsed.startedAt : 0,
  };
}

/** Removes the entry when it is still this dashboard's (a newer one is left alone). */
export async function forgetDashboardAddress(store: Store, token: string): Promise<void> {
  await store.redis.eval(
    "local v = redis.call('get', KEYS[1]); if v and cjson.decode(v).token == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
    1,
    dashboardKey(store),
    token,
  );
}
