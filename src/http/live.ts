/**
 * /events: the audit stream as server-sent events, for the pages' live updates. One follower per
 * dashboard reads the stream (XREAD BLOCK, on a Redis connection of its own since a blocking read
 * holds it) and fans each entry out to every open page. An event carries only what a page needs
 * to decide whether to refresh (type, interview, account, time), never the message text.
 */
import type { Request, Response } from 'express';
import type { RedisConnection } from '../store/connection.js';
import type { Logger } from 'pino';
import { followAuditStream, type AuditFollower } from '../read/audit-follow.js';
import type { AuditRecord } from '../store/audit.js';
import { openRedisConnection } from '../store/connection.js';

export interface LiveFeed {
  handle(req: Request, res: Response): void;
  close(): Promise<void>;
}

const HEARTBEAT_MS = 20_000;

interface FaultReporter {
  report(error: Error): boolean;
  watch(connection: RedisConnection): void;
}

export function startLiveFeed(options: { readonly redisUrl: string; readonly prefix: string; readonly log: Logger; readonly health?: FaultReporter }): LiveFeed {
  const clients = new Set<Response>();
  const connection = openRedisConnection(options.redisUrl);
  connection.on('error', (error: Error) => options.log.debug({ err: error.message }, 'dashboard live feed: redis connection error'));
  options.health?.watch(connection);
  const send = (record: AuditRecord) => {
    const data = JSON.stringify({
      id: record.id,
      type: record.type,
      at: record.at,
      ...(record.interviewId ? { interviewId: record.interviewId } : {}),
      ...(record.accountId ? { accountId: record.accountId } : {}),
    });
    for (const res of clients) res.write(`event: audit\ndata: ${data}\n\n`);
  };
  const follower: AuditFollower = followAuditStream(connection, options.prefix, send, (error) => {
    if (!options.health?.report(error)) options.log.warn({ err: error.message }, 'dashboard live feed: reading the audit stream failed; retrying');
  });
  const heartbeat = setInterval(() => {
    for (const res of clients) res.write(': still here\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    handle(req, res) {
      res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
      res.write('retry: 3000\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
    },
    async close() {
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      clients.clear();
      await follower.stop();
    },
  };
}
