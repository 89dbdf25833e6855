/**
 * Child process: the local Google stand-in (test/support/google-server.ts) on its own core, so that
 * the benchmark's process measures ringback and not the fake Google. Driven over IPC by
 * `google.ts`; builds the same synthetic calendars from a few numbers (`calendar-data.ts`).
 */
import { startGoogleServer, type GoogleServer } from '../../test/support/google-server.js';
import { changeEvent, changedIndexes, makeCalendar, toGoogleEvent, type BenchEvent, type CalendarShape } from './calendar-data.js';

export type GoogleRequest =
  | { readonly op: 'seed'; readonly calendars: readonly { readonly id: string; readonly shape: CalendarShape }[] }
  | { readonly op: 'change'; readonly calendarId: string; readonly count: number; readonly round: number }
  | { readonly op: 'token' }
  | { readonly op: 'stats' };

export interface GoogleStats {
  /** Every request so far, token requests included. */
  readonly requests: number;
  readonly apiRequests: number;
  /** Response body bytes so far. */
  readonly bytes: number;
}

let server: GoogleServer | null = null;
const calendars = new Map<string, BenchEvent[]>();

function handle(request: GoogleRequest): unknown {
  if (!server) throw new Error('google stand-in not started');
  switch (request.op) {
    case 'seed': {
      let events = 0;
      for (const { id, shape } of request.calendars) {
        const list = makeCalendar(shape);
        server.calendar.addCalendar(id);
        for (const event of list) server.putEvent(toGoogleEvent(event), id);
        calendars.set(id, list);
        events += list.length;
      }
      return { events };
    }
    case 'change': {
      const list = calendars.get(request.calendarId);
      if (!list) throw new Error(`no calendar ${request.calendarId}`);
      const indexes = changedIndexes(list.length, request.count, request.round);
      let interviews = 0;
      for (const index of indexes) {
        const changed = changeEvent(list[index]!, request.round);
        list[index] = changed;
        if (changed.interview) interviews++;
        server.putEvent(toGoogleEvent(changed), request.calendarId);
      }
      return { changed: indexes.length, interviews };
    }
    case 'token':
      return server.issueRefreshToken();
    case 'stats': {
      const requests = server.requests.length;
      const apiRequests = server.apiRequests().length;
      // Keep the log from growing without bound over a long run: only counts are needed.
      const stats: GoogleStats = { requests: requests + dropped.requests, apiRequests: apiRequests + dropped.api, bytes: server.bytesServed };
      dropped.requests += requests;
      dropped.api += apiRequests;
      server.requests.length = 0;
      return stats;
    }
  }
}

const dropped = { requests: 0, api: 0 };

async function main(): Promise<void> {
  server = await startGoogleServer();
  process.on('message', (message: { id: number; request: GoogleRequest }) => {
    let reply: { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
    try {
      reply = { id: message.id, ok: true, result: handle(message.request) };
    } catch (error) {
      reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(reply);
  });
  process.on('disconnect', () => {
    server?.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.send?.({
    ready: {
      url: server.url,
      tokenUrl: server.tokenUrl,
      authUrl: server.authUrl,
      clientId: server.clientId,
      clientSecret: server.clientSecret,
      userEmail: server.userEmail,
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
