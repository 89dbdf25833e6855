/**
 * Prints the audit stream as it grows, one plain line per decision: what `ringback start` and the
 * demo show while they run. Uses its own Redis connection, since XREAD BLOCK holds it.
 */
import type { RedisConnection } from '../store/connection.js';
import { DateTime } from 'luxon';
import { followAudit, type AuditRecord } from '../store/audit.js';
import { createStore } from '../store/store.js';

export interface AuditFollower {
  stop(): Promise<void>;
}

export function formatAuditLine(record: AuditRecord, zone: string): string {
  const at = DateTime.fromMillis(record.at, { zone }).toFormat('HH:mm:ss');
  const who = record.interviewId ?? record.accountId ?? '';
  return `${at}  ${record.type.padEnd(13)} ${who ? `${who}  ` : ''}${record.message}`;
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
