/**
 * One local Graph server for a whole test file (starting one per test costs a TLS certificate
 * and a listener), trusted by this process; the events a test puts in its calendar are removed
 * after the test, so that the next one starts from an empty calendar.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { HarnessEvent } from '../../providers/calendar/contract.js';
import { startGraphServer, type GraphServer } from '../graph-server.js';
import { trustForThisProcess } from './trust.js';

export interface SharedGraph {
  /** The server (started before the file's first test). */
  server(): GraphServer;
  /** Puts the event into the calendar for this test; returns its Graph id. */
  put(event: HarnessEvent): string;
}

export function useSharedGraph(): SharedGraph {
  let graph: GraphServer | null = null;
  let untrust: (() => Promise<void>) | null = null;
  const put: string[] = [];
  const server = (): GraphServer => {
    if (!graph) throw new Error('the shared Graph server is not started yet (use it inside a test)');
    return graph;
  };
  beforeAll(async () => {
    graph = await startGraphServer();
    untrust = await trustForThisProcess(graph.ca);
  });
  afterEach(() => {
    for (const uid of put.splice(0)) graph?.calendar.removeHarnessEvent(uid);
  });
  afterAll(async () => {
    await untrust?.();
    await graph?.close();
  });
  return {
    server,
    put(event) {
      put.push(event.uid);
      return server().calendar.putHarnessEvent(event);
    },
  };
}
