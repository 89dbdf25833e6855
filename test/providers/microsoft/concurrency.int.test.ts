/**
 * Outlook's 4 requests at once per mailbox: the local Graph server refuses a fifth (429
 * ApplicationThrottled, MailboxConcurrency), and the adapters of one account, sharing their
 * request slots, never make it do so, however many jobs call them at once.
 */
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { openRedis } from '../../../src/store/connection.js';
import { freeRequestSlot, takeRequestSlot } from '../../../src/store/request-slots.js';
import { createStore } from '../../../src/store/store.js';
import { testPrefix } from '../../support/prefix.js';
import { createGraphCalendarSource } from '../../../src/providers/microsoft/calendar.js';
import { createRequestSlots, MAILBOX_CONCURRENCY, type SharedSlots } from '../../../src/providers/microsoft/concurrency.js';
import { createOutlookMailbox } from '../../../src/providers/microsoft/outlook.js';
import { startGraphServer, type GraphServer } from '../../support/graph-server.js';
import { composedEmail as email } from '../../support/composed-email.js';
import { signIn } from '../../support/graph-server/sign-in.js';
import { syncAll } from '../calendar/contract.js';

const HOUR = 3_600_000;


describe('outlook: at most 4 Graph requests at once per mailbox', () => {
  let server: GraphServer;
  beforeEach(async () => {
    server = await startGraphServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('the server refuses a fifth request running at once, as Outlook does', async () => {
    const token = await server.issueAccessToken();
    server.fault({ path: /\/me$/, delayMs: 150, times: 6 });
    const answers = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const response = await server.fetch(`${server.apiRoot}/me`, { method: 'GET', headers: { authorization: `Bearer ${token}` } });
        return { status: response.status, body: (await response.json()) as { error?: { code?: string; message?: string } } };
      }),
    );
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(2);
    expect(refused[0]?.body.error).toMatchObject({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
  });

  it('a mailbox asked for 12 drafts at once keeps to 4 requests and writes all 12', async () => {
    const { auth } = await signIn(server);
    const mailbox = createOutlookMailbox({ id: 'microsoft-test', getToken: auth.getToken, baseUrl: server.apiRoot, userEmail: server.user.mail, fetch: server.fetch, zone: 'UTC' });
    server.fault({ method: 'POST', path: /\/me\/messages$/, delayMs: 60, times: 12 });
    const refs = await Promise.all(Array.from({ length: 12 }, () => mailbox.createDraft(email())));
    expect(new Set(refs.map((r) => r.providerId)).size).toBe(12);
    expect(server.graphRequests().every((r) => r.status !== 429)).toBe(true);
    expect(server.maxConcurrent()).toBe(4);
  });

  it('the calendar and the mailbox of one account share the 4 slots', async () => {
    const { auth } = await signIn(server);
    const slots = createRequestSlots();
    const common = { getToken: auth.getToken, baseUrl: server.apiRoot, fetch: server.fetch, slots };
    const mailbox = createOutlookMailbox({ id: 'microsoft-test', userEmail: server.user.mail, ...common, zone: 'UTC' });
    const calendar = createGraphCalendarSource({ id: 'microsoft-test', ownerEmail: server.user.mail, now: Date.now, pageSize: 1, ...common });
    const start = Math.ceil(Date.now() / HOUR) * HOUR + 24 * HOUR;
    for (let i = 0; i < 6; i += 1) {
      server.calendar.putGraphEvent({
        id: `ev${i}`,
        subject: `Event ${i}`,
        start: { dateTime: new Date(start + i * HOUR).toISOString().replace('Z', '0000'), timeZone: 'UTC' },
        end: { dateTime: new Date(start + (i + 1) * HOUR).toISOString().replace('Z', '0000'), timeZone: 'UTC' },
      });
    }
    server.fault({ delayMs: 40, times: 40 });
    const [synced] = await Promise.all([
      Promise.all([syncAll(calendar, null), syncAll(calendar, null)]),
      Promise.all(Array.from({ length: 8 }, () => mailbox.createDraft(email()))),
    ]);
    expect(synced[0].upserts).toHaveLength(6);
    expect(server.graphRequests().filter((r) => r.status === 429)).toEqual([]);
    expect(server.maxConcurrent()).toBeLessThanOrEqual(4);
  });

  it('two processes sharing the Redis keep to 4 together', async () => {
    const redis: Redis = openRedis(inject('redisUrl'));
    await redis.connect();
    try {
      const store = createStore(redis, testPrefix('graph-slots'));
      const shared: SharedSlots = {
        take: (holder, limit, holdMs) => takeRequestSlot(store, 'microsoft:ada@example.org', holder, { limit, holdMs }),
        free: (holder) => freeRequestSlot(store, 'microsoft:ada@example.org', holder),
      };
      const { auth } = await signIn(server);
      // Each process has slots of its own in memory, and the account's in Redis.
      const processes = [createRequestSlots(MAILBOX_CONCURRENCY, shared), createRequestSlots(MAILBOX_CONCURRENCY, shared)].map((slots) =>
        createOutlookMailbox({ id: 'microsoft-test', getToken: auth.getToken, baseUrl: server.apiRoot, userEmail: server.user.mail, fetch: server.fetch, slots, zone: 'UTC' }),
      );
      server.fault({ method: 'POST', path: /\/me\/messages$/, delayMs: 50, times: 16 });
      const refs = await Promise.all(processes.flatMap((mailbox) => Array.from({ length: 8 }, () => mailbox.createDraft(email()))));
      expect(new Set(refs.map((r) => r.providerId)).size).toBe(16);
      expect(server.graphRequests().filter((r) => r.status === 429)).toEqual([]);
      expect(server.maxConcurrent()).toBe(4);
    } finally {
      redis.disconnect();
    }
  });
});
