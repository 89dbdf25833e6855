/**
 * One clear line per fault, not one per job. Redis stopped for 60 s once gave 250 "worker error"
 * lines and 51 unhandled ioredis stack traces on stderr and nothing on stdout; a full disk gave
 * only JSON warnings. Here each fault is a latch: its first sign prints one line (since when, what
 * ringback does meanwhile), the rest are counted, and its end prints one more and goes into the
 * audit (which cannot be written while Redis is down).
 *
 * It also keeps watching what Redis must be for ringback to trust it: `maxmemory-policy
 * noeviction` and AOF, checked again after every reconnection and every minute (a CONFIG SET needs
 * no reconnection); and, after a restart, whether the stored passwords survived it.
 */
import type { RedisConnection } from '../store/connection.js';
import type { Millis } from '../domain/types.js';
import { audit } from '../store/audit.js';
import { ProviderError } from '../providers/errors.js';
import { checkRedis } from '../store/connection.js';
import type { Store } from '../store/store.js';

export type Fault = 'redis' | 'disk';

/** Error codes and texts of a connection that is down or going down (ioredis, net, BullMQ). */
const CONNECTION = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EPIPE|ENOENT.*\.sock|Connection is closed|connect ETIMEDOUT|Stream isn't writeable|LOADING|Redis is loading/;
// MISCONF: Redis cannot write its snapshot or AOF, nearly always because its disk is full.
const DISK = /ENOSPC|no space left on device|EDQUOT|MISCONF/i;

export function faultOf(error: Error): Fault | null {
  const text = `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`;
  if (DISK.test(text)) return 'disk';
  // A provider's error is about Google, Microsoft or a mail server, even when its words are a
  // reset or a refused connection: reporting it as Redis being down misled the user, and held back
  // the settings check until a reconnection that never came.
  if (error instanceof ProviderError) return null;
  if (CONNECTION.test(text)) return 'redis';
  return null;
}

export interface HealthOptions {
  readonly store: Store;
  /** Where the lines go: the terminal of `ringback start` (stdout). */
  readonly say: (line: string) => void;
  readonly now: () => Millis;
  /** Called after a reconnection: the secrets that went missing, as `account: what to run`. */
  readonly missingSecrets?: () => Promise<readonly string[]>;
  /** What the check at start already said about the settings (not said again). @defaultValue null */
  readonly settingsProblemAtStart?: string | null;
  /** @defaultValue 60000 */
  readonly settingsEveryMs?: number;
}

export interface RedisHealth {
  /** Listens to a connection: its errors are faults, never unhandled. */
  watch(connection: RedisConnection): void;
  /** Takes an error a worker or job met; true when it was a known fault (then nothing else to log). */
  report(error: Error): boolean;
  /** A job went through: a disk fault, if any, is over. */
  succeeded(): void;
  stop(): void;
}

function clock(at: Millis): string {
  return new Date(at).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

function seconds(ms: Millis): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.round(s / 60)} min`;
}

const WHAT_NOW: Record<Fault, string> = {
  redis: 'ringback retries on its own; planned emails wait and go out once it is back (check it with "ringback doctor")',
  disk: 'drafts cannot be written; ringback retries on its own: free some space',
};
const WHAT: Record<Fault, string> = { redis: 'Redis is unreachable', disk: 'the disk is full' };

export function watchRedisHealth(options: HealthOptions): RedisHealth {
  const { store, say, now } = options;
  const down = new Map<Fault, { since: Millis; reason: string; count: number }>();
  let settingsProblem: string | null = options.settingsProblemAtStart ?? null;
  const watched: Array<{ connection: RedisConnection; onError: (e: Error) => void; onReady: () => void }> = [];

  const writeAudit = (message: string) =>
    audit(store, { type: 'error', message, at: now() }).catch(() => {
      // Redis went away again: the line was printed, the next recovery writes its own entry.
    });

  const begin = (fault: Fault, error: Error): void => {
    const open = down.get(fault);
    if (open) {
      open.count++;
      return;
    }
    const since = now();
    const reason = ((error as NodeJS.ErrnoException).code ?? error.message).slice(0, 120);
    down.set(fault, { since, reason, count: 1 });
    say(`ringback: ${WHAT[fault]} since ${clock(since)} (${reason}): ${WHAT_NOW[fault]}`);
  };

  const end = (fault: Fault): void => {
    const open = down.get(fault);
    if (!open) return;
    down.delete(fault);
    const message = `${WHAT[fault]} from ${clock(open.since)} to ${clock(now())} (${seconds(now() - open.since)}, ${open.reason}, ${open.count} failed attempt${open.count === 1 ? '' : 's'}); work resumed`;
    say(`ringback: ${message}`);
    void writeAudit(message);
  };

  const checkSettings = async (): Promise<void> => {
    let problem: string | null = null;
    try {
      const check = await checkRedis(store.redis);
      problem = check.aof ? null : (check.warnings[0] ?? 'Redis has AOF off');
    } catch (error) {
      if (error instanceof Error && faultOf(error) === 'redis') return;
      problem = error instanceof Error ? error.message : String(error);
    }
    if (problem === settingsProblem) return;
    settingsProblem = problem;
    if (problem) {
      say(`ringback: ${problem}`);
      await writeAudit(problem);
    }
  };

  const checkSecrets = async (): Promise<void> => {
    const missing = (await options.missingSecrets?.()) ?? [];
    for (const line of missing) {
      const message = `the stored password of ${line} (lost with Redis's data; the running ringback still uses the one it read at start, until it stops)`;
      say(`ringback: ${message}`);
      await writeAudit(message);
    }
  };

  const afterReconnect = (): void => {
    end('redis');
    checkSettings()
      .then(checkSecrets)
      .catch((error: unknown) => {
        if (error instanceof Error && faultOf(error) !== null) return;
        say(`ringback: checking Redis after a reconnection failed: ${error instanceof Error ? error.message : String(error)}`);
      });
  };

  const timer = setInterval(() => {
    if (!down.has('redis')) void checkSettings();
  }, options.settingsEveryMs ?? 60_000);
  timer.unref();

  return {
    watch(connection) {
      const onError = (error: Error) => {
        if (faultOf(error) !== null) begin(faultOf(error) as Fault, error);
        else say(`ringback: Redis: ${error.message}`);
      };
      connection.on('error', onError);
      connection.on('ready', afterReconnect);
      watched.push({ connection, onError, onReady: afterReconnect });
    },
    report(error) {
      const fault = faultOf(error);
      if (fault === null) return false;
      begin(fault, error);
      return true;
    },
    succeeded() {
      end('disk');
    },
    stop() {
      clearInterval(timer);
      for (const w of watched) {
        w.connection.off('error', w.onError);
        w.connection.off('ready', w.onReady);
      }
    },
  };
}
