/**
 * Opens what every command needs: Redis (managed or given), the checks on it, the store, the
 * queues and the secret vault; and, for commands that run the engine, the adapters of each
 * account. An account that cannot be built is reported and left out; the others go on.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/types.js';
import type { Engine } from '../engine/context.js';
import { accountTrouble, beginOutage } from '../engine/outage.js';
import type { Millis } from '../domain/types.js';
import type { CalendarSource } from '../providers/calendar/types.js';
import { reopeningMailbox } from '../providers/mail/reopening.js';
import type { Mailbox } from '../providers/mail/types.js';
import { gateCalendar, gateMailbox } from '../providers/rate-gate.js';
import { createQueues, type Queues } from '../queue/queues.js';
import { recordAccountProblem } from '../store/accounts.js';
import { storeRateLimits } from '../store/rate-limits.js';
import { storeRequestSlots } from '../store/request-slots.js';
import { mergeLegacyBusy } from '../store/events.js';
import { audit } from '../store/audit.js';
import { indexEarlierCalls } from '../store/call-index.js';
import { checkRedis, connectRedis, openRedisConnection, type RedisCheck, type RedisConnection } from '../store/connection.js';
import { createSecretVault, loadSecretKey, type SecretVault } from '../store/secrets.js';
import { createStore, type Store } from '../store/store.js';
import { startManagedRedis, type ManagedRedis } from './managed-redis.js';

export interface Runtime {
  readonly config: ResolvedConfig;
  readonly redisUrl: string;
  readonly redis: RedisConnection;
  readonly check: RedisCheck;
  readonly store: Store;
  readonly queues: Queues;
  readonly vault: SecretVault;
  readonly log: Logger;
  readonly managed: ManagedRedis | null;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly secretKeyEnv: string | undefined;
  readonly log: Logger;
}

export async function openRuntime(config: ResolvedConfig, options: RuntimeOptions): Promise<Runtime> {
  const managed = config.redis.mode === 'managed' ? await startManagedRedis(config.dataDir) : null;
  const redisUrl = managed ? managed.url : config.redis.mode === 'url' ? config.redis.url : '';
  const redis = openRedisConnection(redisUrl, { forWorkers: true });
  redis.on('error', (error: Error) => options.log.debug({ err: error.message }, 'redis connection error'));
  try {
    await connectRedis(redis, redisUrl);
    const check = await checkRedis(redis);
    for (const warning of check.warnings) options.log.warn(warning);
    const store = createStore(redis, config.prefix);
    const queues = createQueues(redis, config.prefix);
    const key = await loadSecretKey({ envValue: options.secretKeyEnv, keyFile: join(config.dataDir, 'secret.key') });
    const vault = createSecretVault(store, key);
    return {
      config,
      redisUrl,
      redis,
      check,
      store,
      queues,
      vault,
      log: options.log,
      managed,
      async close() {
        await queues.close();
        redis.disconnect();
        await managed?.stop();
      },
    };
  } catch (error) {
    redis.disconnect();
    await managed?.stop();
    throw error;
  }
}

export interface AccountProblem {
  readonly accountId: string;
  readonly message: string;
}

export async function buildEngine(
  runtime: Runtime,
  options: { now?: () => Millis } = {},
): Promise<{ engine: Engine; problems: AccountProblem[] }> {
  const now = options.now ?? Date.now;
  // Loaded here, not at the top: the commands that only read Redis (interviews, queue, brief,
  // outcome) open a runtime but never an engine, and need none of the providers' libraries.
  const { createProviders } = await import('../providers/factory.js');
  const newProviders = () =>
    createProviders({
      vault: runtime.vault,
      now,
      config: runtime.config,
      sharedSlots: (account) => storeRequestSlots(runtime.store, account),
      warn: (line) => runtime.log.warn(line),
    });
  const providers = newProviders();
  const problems: AccountProblem[] = [];
  const calendars = new Map<string, CalendarSource>();
  const report = async (accountId: string, error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    problems.push({ accountId, message });
    await recordAccountProblem(runtime.store, accountId, { attention: 'error', message, at: now() });
    await audit(runtime.store, { type: 'account', accountId, message: `account ${accountId} left out: ${message}`, at: now() });
  };
  // Interviews an earlier version recorded get their members of the call index before anything
  // syncs, so that another calendar's listing of their call is found (src/store/call-index.ts); one
  // command once done.
  await indexEarlierCalls(runtime.store);
  // A 429's wait is shared by every job and process of the account, and a held call names its end in the user's zone.
  const gating = { limits: storeRateLimits(runtime.store), zone: runtime.config.candidate.timezone };
  for (const calendar of runtime.config.calendars) {
    // Busy times of an earlier version move into the events' values before anything syncs
    // (src/store/events.ts); one command per calendar once done.
    await mergeLegacyBusy(runtime.store, calendar.id);
    try {
      calendars.set(calendar.id, gateCalendar(await providers.createCalendarSource(calendar), gating));
    } catch (error) {
      await report(calendar.id, error);
    }
  }
  let mailbox: Mailbox | null = null;
  let mailboxFailure: unknown = null;
  const mailboxConfig = runtime.config.mailbox;
  if (mailboxConfig) {
    // A mailbox that cannot be opened now is opened again by the next action or health probe;
    // actions wait for it meanwhile (src/engine/outage.ts) instead of being skipped for good.
    // Opened again after a refused sign-in, it is built afresh, with the secrets as "ringback
    // connect" left them (the first providers keep the sign-in they read at start).
    let opens = 0;
    const reopening = reopeningMailbox(mailboxConfig.id, () =>
      (opens++ === 0 ? providers : newProviders()).createMailbox(mailboxConfig),
      // Graph answers a send with 202 and files it later (src/providers/microsoft/outlook.ts).
      { filesSentLater: mailboxConfig.type === 'microsoft' },
    );
    // A Maildir is files and, at most, an SMTP relay: neither answers with a wait to honour (nothing
    // in them raises a RateLimitError), so the gate's read of a key never written was a round trip
    // per mailbox call: one per draft written, two or three per send (fire benchmark, bench/README.md).
    mailbox = mailboxConfig.type === 'maildir' ? reopening : gateMailbox(reopening, gating);
    try {
      await reopening.open();
    } catch (error) {
      problems.push({ accountId: mailboxConfig.id, message: error instanceof Error ? error.message : String(error) });
      mailboxFailure = error;
    }
  }
  const engine: Engine = {
    config: runtime.config,
    store: runtime.store,
    queues: runtime.queues,
    calendars,
    mailbox,
    now,
    log: runtime.log,
    owner: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
  };
  if (mailboxFailure) {
    const message = mailboxFailure instanceof Error ? mailboxFailure.message : String(mailboxFailure);
    await beginOutage(engine, accountTrouble(mailboxFailure) ?? 'unusable', message, mailboxFailure);
  }
  return { engine, problems };
}

export async function closeEngine(engine: Engine): Promise<void> {
  await Promise.all([...engine.calendars.values()].map((c) => c.close()));
  await engine.mailbox?.close();
}
