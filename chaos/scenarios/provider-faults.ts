/**
 * provider faults: three Google accounts (three local Google stand-ins, the real googleapis
 * clients), each behind a proxy that fails a share of the Calendar and Gmail calls (500, 503, 429
 * with Retry-After, no answer, connection reset before or after the server acted). Meanwhile the
 * calendars change, account B's sync token is invalidated (410) and account C's sign-in is revoked
 * (invalid_grant). In the end: what ringback holds for A and B equals what their calendars hold,
 * every confirmation went out through Gmail exactly once, C says "needs re-auth", and no request
 * was repeated before the Retry-After of the 429 that answered it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigObject } from '../../config/load.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { openRuntime } from '../../src/daemon/runtime.js';
import type { Engine } from '../../src/engine/context.js';
import { interviewIdFor, messageIdFor } from '../../src/domain/ids.js';
import { createGoogleAuth, type GoogleAuthClient } from '../../src/providers/google/auth.js';
import { createGoogleCalendarSource } from '../../src/providers/google/calendar.js';
import { createGmailMailbox } from '../../src/providers/google/gmail.js';
import type { CalendarSource } from '../../src/providers/calendar/types.js';
import { gateCalendar, gateMailbox } from '../../src/providers/rate-gate.js';
import { getAccountStatus, type AccountStatus } from '../../src/store/accounts.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { storeRateLimits } from '../../src/store/rate-limits.js';
import { readAudit } from '../../src/store/audit.js';
import { startTestRedis } from '../../test/support/redis-server.js';
import { startGoogleServer, type GoogleServer } from '../../test/support/google-server.js';
import { startFaultProxy, retryAfterViolations, type FaultKind, type FaultProxy } from '../lib/fault-proxy.js';
import { capturedLogger, findSecrets, scanRedisForSecrets, type ScanFigures } from '../lib/scan.js';
import { checkAgainstCalendars, type CalendarTruth } from '../lib/state.js';
import { CANDIDATE } from '../lib/world.js';

export interface ProviderFaultsOptions {
  /** Interviews per account whose confirmation falls due during the run. */
  readonly soon: number;
  /** Interviews per account hours ahead. */
  readonly later: number;
  /** Share of Calendar and Gmail calls that fail. */
  readonly faultRate: number;
  /** When the calendars change after the start; B's 410 and C's revocation follow a step apart each. */
  readonly changeAfterMs: number;
  readonly stepMs: number;
  /** At the end, turn faults off and wait one poll, so that each account shows its own state. */
  readonly cleanPoll: boolean;
  readonly deadlineMs: number;
  readonly log: (line: string) => void;
}

export interface ProviderFaultsResult extends ScanFigures {
  readonly apiCalls: number;
  readonly faultsInjected: number;
  readonly faultsByKind: Partial<Record<FaultKind, number>>;
  readonly confirmationsDue: number;
  readonly sentExactlyOnce: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly retryAfterChecked: number;
  readonly retryAfterEarly: readonly string[];
  /** Calls to the same API of an account while it asked to wait. */
  readonly callsDuringRetryAfter: number;
  readonly accounts: Readonly<Record<string, AccountStatus>>;
  /** When C's sign-in was revoked: A and B must have synced after it. */
  readonly brokenAt: number;
  readonly interviewsChecked: number;
  readonly problems: readonly string[];
  readonly convergedAfterMs: number | null;
  readonly durationMs: number;
  /** Audit trail of each confirmation lost or sent twice. */
  readonly diagnosis: readonly string[];
}

interface Account {
  readonly id: string;
  readonly email: string;
  readonly server: GoogleServer;
  readonly proxy: FaultProxy;
  readonly refreshToken: string;
  auth: GoogleAuthClient | null;
  events: Map<string, number>;
  readonly removed: string[];
}

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function fakeEvent(account: Account, id: string, start: number) {
  const at = (t: number) => ({ dateTime: new Date(t).toISOString().replace('.000Z', 'Z'), timeZone: 'UTC' });
  // An interviewer of its own per event: ringback sends one address at most
  // limits.emailsPerRecipientPerDay emails a day, and this scenario confirms two dozen calls.
  const dana = `dana.${id}@acme.example`;
  return {
    id,
    summary: 'Phone screen with Dana (Acme)',
    description: 'Dana will call you.',
    start: at(start),
    end: at(start + 30 * 60_000),
    organizer: { email: dana, displayName: 'Dana Whitfield' },
    attendees: [
      { email: account.email, displayName: CANDIDATE.name, responseStatus: 'accepted' as const, self: true },
      { email: dana, displayName: 'Dana Whitfield', responseStatus: 'accepted' as const },
    ],
  };
}

function put(account: Account, id: string, start: number): void {
  account.server.putEvent(fakeEvent(account, id, start));
  account.events.set(id, start);
}

export async function runProviderFaults(options: ProviderFaultsOptions): Promise<ProviderFaultsResult> {
  const began = Date.now();
  const redis = await startTestRedis({ appendfsync: 'everysec' });
  const dir = await mkdtemp(join(tmpdir(), 'ringback-faults-'));
  const captured = capturedLogger();
  const log = captured.log;
  const accounts: Account[] = [];
  let stopDaemon: (() => Promise<void>) | null = null;
  let closeRuntime: (() => Promise<void>) | null = null;
  try {
    for (const [i, id] of ['acct-a', 'acct-b', 'acct-c'].entries()) {
      const email = i === 0 ? CANDIDATE.email : `ada.${id.slice(-1)}@example.org`;
      // C's access tokens last 5 s, so that a revoked sign-in shows at the next refresh.
      const server = await startGoogleServer({ userEmail: email, ...(id === 'acct-c' ? { accessTokenTtlSeconds: 5 } : {}) });
      const proxy = await startFaultProxy({ target: server.url, rate: options.faultRate, faultable: /^\/(calendar|gmail)\//, holdMs: 3_000 });
      accounts.push({ id, email, server, proxy, refreshToken: server.issueRefreshToken(), auth: null, events: new Map(), removed: [] });
    }
    const [a, b, c] = accounts as [Account, Account, Account];
    const overrides = (x: Account) => ({ account: x.email, apiRoot: x.proxy.url, tokenUrl: x.server.tokenUrl, authUrl: x.server.authUrl });
    const secretKey = randomBytes(32).toString('hex');
    const config = parseConfigObject(
      {
        candidate: CANDIDATE,
        redis: redis.url,
        dataDir: join(dir, 'data'),
        prefix: `faults-${randomBytes(4).toString('hex')}`,
        calendars: accounts.map((x) => ({ type: 'google', id: x.id, ...overrides(x) })),
        mailbox: { type: 'gmail', id: 'mail-a', ...overrides(a) },
        timing: { confirmLeadMinutes: 15, reviewMinutes: 0 },
        sync: { pollSeconds: 15 },
      },
      { baseDir: dir, env: {} },
    );
    const runtime = await openRuntime(config, { secretKeyEnv: secretKey, log });
    closeRuntime = () => runtime.close();

    // What `connect google` leaves: the client and the refresh token in the vault, encrypted.
    // Built as the factory builds them (buildEngine), but with a 2 s client timeout instead of
    // 30 s, so that a request left unanswered costs seconds.
    const calendars = new Map<string, CalendarSource>();
    const gating = { limits: storeRateLimits(runtime.store), zone: config.candidate.timezone };
    for (const x of accounts) {
      for (const [name, value] of [['clientId', x.server.clientId], ['clientSecret', x.server.clientSecret], ['refreshToken', x.refreshToken]] as const) {
        await runtime.vault.set(x.id, name, value);
      }
      x.auth = createGoogleAuth({
        clientId: x.server.clientId,
        clientSecret: x.server.clientSecret,
        tokens: { refresh_token: x.refreshToken },
        endpoints: { tokenUrl: x.server.tokenUrl, authUrl: x.server.authUrl },
        timeoutMs: 2_000,
        onTokens: async (tokens) => runtime.vault.set(x.id, 'refreshToken', tokens.refresh_token),
      });
      const source = createGoogleCalendarSource({ id: x.id, auth: x.auth, horizonDays: 30, now: Date.now, rootUrl: x.proxy.url });
      calendars.set(x.id, gateCalendar(source, gating));
    }
    const mailbox = gateMailbox(createGmailMailbox({ id: 'mail-a', auth: a.auth as GoogleAuthClient, rootUrl: a.proxy.url, userEmail: a.email, zone: config.candidate.timezone }), gating);
    const engine: Engine = { config, store: runtime.store, queues: runtime.queues, calendars, mailbox, now: Date.now, log, owner: `faults:${process.pid}` };

    // Interviews: some confirmed during the run, some hours ahead.
    const first = Math.ceil((Date.now() + 15 * 60_000 + options.changeAfterMs) / 1000) * 1000;
    const laterBase = Math.ceil((Date.now() + 3 * HOUR) / 60_000) * 60_000;
    for (const x of accounts) {
      for (let i = 0; i < options.soon; i++) put(x, `soon${i}${x.id.slice(-1)}`, first + i * 2_000);
      for (let i = 0; i < options.later; i++) put(x, `later${i}${x.id.slice(-1)}`, laterBase + i * 60_000);
    }
    const daemon = await startDaemon(runtime, engine, { lockDurationMs: 5_000, stalledIntervalMs: 2_000 });
    stopDaemon = () => daemon.stop();

    // The calendars change; B's sync token goes stale (410); C's sign-in is revoked (invalid_grant).
    await sleep(options.changeAfterMs);
    for (const x of [a, b]) {
      const ids = [...x.events.keys()].filter((id) => id.startsWith('later'));
      for (const id of ids.slice(0, 2)) put(x, id, (x.events.get(id) ?? laterBase) + HOUR);
      for (const id of ids.slice(2, 4)) {
        x.server.removeEvent(id);
        x.events.delete(id);
        x.removed.push(id);
      }
      for (let i = 0; i < 2; i++) put(x, `added${i}${x.id.slice(-1)}`, laterBase + 2 * HOUR + i * 60_000);
    }
    options.log('calendars A and B changed');
    await sleep(options.stepMs);
    b.server.invalidateSyncTokens('fullSyncRequired');
    options.log('account B: sync token invalidated (410 from now on)');
    await sleep(options.stepMs);
    c.server.revokeRefreshToken();
    c.server.oauth.expireAccessTokens();
    options.log('account C: sign-in revoked (invalid_grant from now on)');
    const brokenAt = Date.now();

    // Confirmations that fall due: every soon interview that ringback recorded.
    const due: string[] = [];
    for (const x of accounts) {
      for (const id of [...x.events.keys()].filter((e) => e.startsWith('soon'))) {
        const interview = await getInterview(runtime.store, interviewIdFor(x.id, id));
        if (interview) due.push(messageIdFor({ interviewId: interview.id, kind: 'confirmation', revision: interview.revision, domain: 'example.org' }));
      }
    }
    const truths = (): CalendarTruth[] =>
      [a, b].map((x) => ({ sourceId: x.id, present: [...x.events].map(([eventId, start]) => ({ eventId, start })), removed: x.removed }));
    let converged: number | null = null;
    let report = await checkAgainstCalendars(runtime.store, runtime.queues, config, truths(), Date.now());
    while (Date.now() < began + options.deadlineMs) {
      const sent = due.every((id) => a.server.gmail.sentCount(id) >= 1);
      const broken = (await getAccountStatus(runtime.store, c.id)).attention === 'needs-reauth';
      // The healthy accounts went on syncing after C broke.
      const unaffected = (await Promise.all([a, b].map((x) => getAccountStatus(runtime.store, x.id)))).every((st) => (st.lastSyncAt ?? 0) > brokenAt);
      report = await checkAgainstCalendars(runtime.store, runtime.queues, config, truths(), Date.now());
      if (sent && broken && unaffected && report.problems.length === 0) {
        converged = Date.now() - began;
        break;
      }
      await sleep(2_000);
    }
    if (options.cleanPoll) {
      // Faults off: one clean poll shows each healthy account's own state.
      for (const x of accounts) x.proxy.rate = 0;
      await sleep(17_000);
    }
    const statuses: Record<string, AccountStatus> = {};
    for (const x of accounts) statuses[x.id] = await getAccountStatus(runtime.store, x.id);
    await daemon.stop();
    stopDaemon = null;

    const all = accounts.flatMap((x) => x.proxy.requests.filter((r) => /^\/(calendar|gmail)\//.test(r.path)));
    const faultsByKind: Partial<Record<FaultKind, number>> = {};
    for (const r of all) if (r.fault) faultsByKind[r.fault] = (faultsByKind[r.fault] ?? 0) + 1;
    const retry = accounts.map((x) => retryAfterViolations(x.proxy.requests));
    const counts = due.map((id) => a.server.gmail.sentCount(id));
    const diagnosis: string[] = [];
    for (const [i, id] of due.entries()) {
      if (counts[i] === 1) continue;
      const interviewId = /^<ringback\.([^.]+)\./.exec(id)?.[1] ?? '';
      diagnosis.push(`${id}: sent ${counts[i]} times; records ${JSON.stringify(await getActionRecords(runtime.store, interviewId))}`);
      for (const r of await readAudit(runtime.store, { interviewId, count: 40, scan: 100_000 })) diagnosis.push(`  ${new Date(r.at).toISOString()} ${r.type}: ${r.message.slice(0, 220)}`);
    }
    const secrets: Record<string, string> = { secretKey, clientSecret: a.server.clientSecret };
    for (const x of accounts) {
      secrets[`refreshToken ${x.id}`] = x.refreshToken;
      x.server.oauth.issued.forEach((issued, i) => (secrets[`accessToken ${x.id} #${i}`] = issued.accessToken));
    }
    const scan = await scanRedisForSecrets(runtime.store.redis, secrets);
    return {
      apiCalls: all.length,
      faultsInjected: all.filter((r) => r.fault).length,
      faultsByKind,
      confirmationsDue: due.length,
      sentExactlyOnce: counts.filter((n) => n === 1).length,
      lost: counts.filter((n) => n === 0).length,
      duplicated: counts.filter((n) => n > 1).length,
      retryAfterChecked: retry.reduce((sum, r) => sum + r.checked, 0),
      retryAfterEarly: retry.flatMap((r) => r.early),
      callsDuringRetryAfter: retry.reduce((sum, r) => sum + r.callsDuringWait, 0),
      accounts: statuses,
      brokenAt,
      interviewsChecked: report.interviewsChecked,
      problems: report.problems,
      convergedAfterMs: converged,
      durationMs: Date.now() - began,
      redisKeysScanned: scan.keys,
      logBytesScanned: Buffer.byteLength(captured.text()),
      secretHits: [...scan.hits, ...findSecrets('daemon log', captured.text(), secrets)],
      diagnosis: [...diagnosis, ...captured.text().split('\n').filter((line) => /"level":(40|50)/.test(line)).slice(-15)],
    };
  } finally {
    await stopDaemon?.();
    await closeRuntime?.();
    for (const x of accounts) {
      await x.proxy.close();
      await x.server.close();
    }
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
