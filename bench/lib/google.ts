/**
 * The Google stand-in in a child process (see google-child.ts), the ringback Google calendar
 * source pointed at it as a user's config would point it (rootUrl and OAuth endpoints), and a
 * bare HTTP client for the baselines: plain fetch, no googleapis, no ringback.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createGoogleAuth } from '../../src/providers/google/auth.js';
import { createGoogleCalendarSource } from '../../src/providers/google/calendar.js';
import type { CalendarSource } from '../../src/providers/calendar/types.js';
import type { GoogleRequest, GoogleStats } from './google-child.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./google-child.ts', import.meta.url));

export interface GoogleEndpoints {
  readonly url: string;
  readonly tokenUrl: string;
  readonly authUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly userEmail: string;
}

export interface RemoteGoogle extends GoogleEndpoints {
  call<T>(request: GoogleRequest): Promise<T>;
  stats(): Promise<GoogleStats>;
  /** A calendar source for one account, with its own OAuth client and refresh token. */
  source(accountId: string, calendarId: string, options?: { horizonDays?: number }): Promise<CalendarSource>;
  stop(): Promise<void>;
}

export async function startRemoteGoogle(): Promise<RemoteGoogle> {
  const child: ChildProcess = fork(CHILD, [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoints = await new Promise<GoogleEndpoints>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the Google stand-in exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: { ready?: GoogleEndpoints; id?: number; ok?: boolean; result?: unknown; error?: string }) => {
      if (message.ready) {
        child.off('exit', onExit);
        resolve(message.ready);
        return;
      }
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter || message.id === undefined) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`Google stand-in: ${message.error}`));
    });
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the Google stand-in exited (${code})`));
    pending.clear();
  });

  const call = <T>(request: GoogleRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });

  return {
    ...endpoints,
    call,
    stats: () => call<GoogleStats>({ op: 'stats' }),
    async source(accountId, calendarId, options = {}) {
      const refreshToken = await call<string>({ op: 'token' });
      const auth = createGoogleAuth({
        clientId: endpoints.clientId,
        clientSecret: endpoints.clientSecret,
        tokens: { refresh_token: refreshToken },
        endpoints: { tokenUrl: endpoints.tokenUrl, authUrl: endpoints.authUrl },
        // The vault would store refreshed tokens; the benchmark keeps them in memory only.
        onTokens: async () => {},
      });
      return createGoogleCalendarSource({
        id: accountId,
        auth,
        calendars: [calendarId],
        horizonDays: options.horizonDays ?? 30,
        now: Date.now,
        rootUrl: endpoints.url,
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.disconnect();
      await exited;
    },
  };
}

/** What a polling trigger in a workflow tool does: plain HTTP, JSON, no state but a token. */
export interface BareGoogle {
  /** POST /token with the refresh token; returns the access token. */
  accessToken(refreshToken: string): Promise<string>;
  /** One events.list request; returns the parsed page. */
  list(accessToken: string, calendarId: string, params: Record<string, string>): Promise<BarePage>;
  /** Every page of a listing; returns the pages' item count, the request count and the last page. */
  listAll(accessToken: string, calendarId: string, params: Record<string, string>): Promise<{ items: number; requests: number; nextSyncToken: string | null }>;
}

export interface BarePage {
  readonly items?: unknown[];
  readonly nextPageToken?: string;
  readonly nextSyncToken?: string;
}

export function bareGoogle(endpoints: GoogleEndpoints): BareGoogle {
  const list = async (accessToken: string, calendarId: string, params: Record<string, string>): Promise<BarePage> => {
    const query = new URLSearchParams({ singleEvents: 'true', maxResults: '250', ...params });
    const response = await fetch(`${endpoints.url}/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events?${query}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    if (!response.ok) throw new Error(`bare events.list: HTTP ${response.status}`);
    return (await response.json()) as BarePage;
  };
  return {
    async accessToken(refreshToken) {
      const response = await fetch(endpoints.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: endpoints.clientId, client_secret: endpoints.clientSecret }),
      });
      if (!response.ok) throw new Error(`bare token: HTTP ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    list,
    async listAll(accessToken, calendarId, params) {
      let items = 0;
      let requests = 0;
      let pageToken: string | undefined;
      for (;;) {
        const page = await list(accessToken, calendarId, pageToken ? { ...params, pageToken } : params);
        requests++;
        items += page.items?.length ?? 0;
        if (!page.nextPageToken) return { items, requests, nextSyncToken: page.nextSyncToken ?? null };
        pageToken = page.nextPageToken;
      }
    },
  };
}
