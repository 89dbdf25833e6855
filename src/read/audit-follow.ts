/**
 * Follows the audit stream as it grows, handing each new record to `onRecord`: what `ringback
 * start` and the demo print, and what the dashboard's live updates fan out. Uses a Redis
 * connection of its own, since XREAD BLOCK holds it; `stop()` closes it and awaits the loop.
 */
import type { RedisConnection } from '../store/connection.js';
import { followAudit, type AuditRecord } from '../store/audit.js';
import { createStore } from '../store/store.js';

export interface AuditFollower {
  stop(): Promise<void>;
}

export function followAuditStream(
  connection: RedisConnection,
  prefix: string,
  onRecord: (record: AuditRecord) => void,
  onError: (error: Error) => void,
): AuditFollower {
  const store = createStore(connection, prefix);
  let stopped = false;
  let lastId = '$';
  const loop = (async () => {
    while (!stopped) {
      try {
        const records = await followAudit(store, lastId, 500);
        for (const r of records) {
          lastId = r.id;
          onRecord(r);
        }
      } catch (error) {
        if (stopped) return;
        onError(error instanceof Error ? error : new Error(String(error)));
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      connection.disconnect();
      await loop;
    },
  };
}
