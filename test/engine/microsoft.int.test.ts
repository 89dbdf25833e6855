/**
 * The whole engine through the Microsoft adapters (issue 6, "Done when"): msal-node and the real
 * Graph client, built by the factory from the vault's secrets (the client id and the msal token
 * cache a device-code sign-in left), against the local Graph and sign-in server over HTTPS.
 * Event created in the Outlook calendar → confirmation draft in Drafts → sent exactly once.
 *
 * The factory builds the adapters on the global `fetch` and takes no CA, and Node 20 reads
 * NODE_EXTRA_CA_CERTS only at start, so this test process trusts the server's self-signed
 * certificate through the global fetch's dispatcher (see {@link trustForThisProcess}).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { startGraphServer, type GraphServer } from '../support/graph-server.js';
import { signIn } from '../support/graph-server/sign-in.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const ACCOUNT = 'microsoft';
const DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface Dispatcher {
  close(): Promise<void>;
}
type DispatcherClass = new (options: { connect: { ca: string } }) => Dispatcher;

/**
 * Makes the global `fetch` of this test process trust `ca` (and only it), and returns what undoes
 * it. Node's fetch is undici, which reads its dispatcher from a global symbol; its Agent class is
 * not exported by Node, so it is taken from the default dispatcher, created by a first fetch.
 */
async function trustForThisProcess(ca: string): Promise<() => Promise<void>> {
  await (await fetch('data:,ready')).text();
  const slot = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
  const previous = slot[DISPATCHER];
  if (!previous) throw new Error('the global fetch has no dispatcher to replace');
  const Agent = previous.constructor as DispatcherClass;
  const trusting = new Agent({ connect: { ca } });
  slot[DISPATCHER] = trusting;
  return async () => {
    slot[DISPATCHER] = previous;
    await trusting.close();
  };
}

let server: GraphServer;
let untrust: (() => Promise<void>) | null = null;
let h: EngineHarness | null = null;

beforeAll(async () => {
  server = await startGraphServer();
  untrust = await trustForThisProcess(server.ca);
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await untrust?.();
  await server?.close();
});

/** The engine on Outlook, as `connect microsoft` leaves the config and the vault. */
async function microsoftEngine(): Promise<EngineHarness> {
  const { storage } = await signIn(server);
  const tokenCache = storage.saved();
  if (!tokenCache) throw new Error('the sign-in saved no token cache');
  const entry = { id: ACCOUNT, account: server.user.mail, authority: server.authority, apiRoot: server.apiRoot };
  h = await startEngineHarness({
    calendars: [{ type: 'microsoft', ...entry }],
    mailbox: { type: 'microsoft', ...entry },
    secrets: { [ACCOUNT]: { clientId: server.clientId, tokenCache } },
  });
  return h;
}


describe('engine on Outlook (Graph)', () => {
  it('event in the Outlook calendar → draft in Drafts → sent exactly once', async () => {
    const h = await microsoftEngine();
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    const eventId = server.calendar.putHarnessEvent(interviewEvent({ uid: `ms-${randomUUID()}`, start }));
    expect((await syncOnce(h.engine, ACCOUNT)).interviewsNew).toBe(1);
    await h.start();
    const id = interviewIdFor(ACCOUNT, eventId);
    const confirmation = `<ringback.${id}.confirmation.1@example.org>`;

    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(server.mail.folderOf(confirmation)).toEqual(['drafts']);
    expect(server.mail.sentCount(confirmation)).toBe(0);

    await h.advance(2 * HOUR - 15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(server.mail.sentCount(confirmation)).toBe(1);
    expect(server.mail.folderOf(confirmation)).toEqual(['sentitems']);
    const [sent] = server.mail.sentMessages(confirmation);
    expect(sent?.recipients).toContain('dana@acme.example');
    expect(sent?.text).toContain('I look forward');

    // Another sync and a reconcile send nothing more.
    await syncOnce(h.engine, ACCOUNT);
    await h.advance(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(server.mail.sentCount(confirmation)).toBe(1);
    // Every Graph call of the engine reached this server over TLS with a bearer token.
    expect(server.graphRequests().length).toBeGreaterThan(0);
    expect(server.graphRequests().every((r) => r.status !== 401)).toBe(true);
  });
});
