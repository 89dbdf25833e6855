/**
 * Looks for secrets where they must never be in plain text: every key of a Redis (read with the
 * command of its type, and as DUMP bytes), and captured logs. A secret counts as found in its
 * plain form, base64 (SMTP AUTH PLAIN/LOGIN send that), base64url and URL-encoded.
 */
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { REDACT_PATHS } from '../../src/cli/io.js';
import { redisServers, type RedisConnection } from '../../src/store/connection.js';
import { decodeAuditMessage, decodeInterview } from '../../src/store/records.js';

export interface SecretHit {
  /** The Redis key, or the name of the text. */
  readonly where: string;
  /** The label of the secret (never the secret itself). */
  readonly secret: string;
  readonly form: string;
}

export interface RedisScan {
  readonly keys: number;
  readonly bytes: number;
  readonly byType: Record<string, number>;
  readonly hits: readonly SecretHit[];
}

export type Secrets = Readonly<Record<string, string>>;

/** What every scenario reports of its secret scan. */
export interface ScanFigures {
  /** Keys read by the secret scan, and bytes of log searched. */
  readonly redisKeysScanned: number;
  readonly logBytesScanned: number;
  readonly secretHits: readonly SecretHit[];
}

/** A debug-level logger redacting as the product's does, whose output is kept for the scan. */
export function capturedLogger(): { readonly log: Logger; text(): string } {
  let text = '';
  const log = pino(
    { level: 'debug', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: undefined },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
  );
  return { log, text: () => text };
}

function formsOf(value: string): Array<[string, string]> {
  const forms: Array<[string, string]> = [
    ['plain', value],
    ['base64', Buffer.from(value).toString('base64')],
    ['base64url', Buffer.from(value).toString('base64url')],
    ['url-encoded', encodeURIComponent(value)],
  ];
  return forms.filter(([, form], i, all) => form.length >= 6 && all.findIndex(([, f]) => f === form) === i);
}

/** Every secret found in `text`. */
export function findSecrets(where: string, text: string | Buffer, secrets: Secrets): SecretHit[] {
  const haystack = typeof text === 'string' ? Buffer.from(text) : text;
  const hits: SecretHit[] = [];
  for (const [label, value] of Object.entries(secrets)) {
    for (const [form, needle] of formsOf(value)) {
      if (haystack.includes(needle)) hits.push({ where, secret: label, form });
    }
  }
  return hits;
}

/** What `read` gives, or nothing when the bytes are not in that form. */
function tryCatchBuffer(read: () => Buffer): Buffer {
  try {
    return read();
  } catch {
    return Buffer.alloc(0); // not a record of that form: searched as it is
  }
}

async function readValue(redis: Redis, key: string, type: string): Promise<Buffer> {
  switch (type) {
    case 'string': {
      const raw = (await redis.getBuffer(key)) ?? Buffer.alloc(0);
      // Interview records are kept deflated (src/store/records.ts): searched as the text they hold too.
      const inflated = tryCatchBuffer(() => Buffer.from(JSON.stringify(decodeInterview(raw))));
      return Buffer.concat([raw, inflated]);
    }
    case 'hash':
      return Buffer.concat(Object.entries(await redis.hgetallBuffer(key)).flatMap(([field, value]) => [Buffer.from(field), value]));
    case 'list':
      return Buffer.concat(await redis.lrangeBuffer(key, 0, -1));
    case 'set':
      return Buffer.concat(await redis.smembersBuffer(key));
    case 'zset':
      return Buffer.concat(await redis.zrangeBuffer(key, 0, -1, 'WITHSCORES'));
    case 'stream': {
      // Audit messages are kept deflated (field `z1`, src/store/records.ts): searched as text too.
      const entries = await redis.xrangeBuffer(key, '-', '+');
      return Buffer.concat(
        entries.flatMap(([id, fields]) => [
          id,
          ...fields.flatMap((value, i) => {
            const deflated = i % 2 === 1 && fields[i - 1]?.toString() === 'z1';
            return deflated ? [value, tryCatchBuffer(() => Buffer.from(decodeAuditMessage(value)))] : [value];
          }),
          Buffer.from('\n'),
        ]),
      );
    }
    default:
      return Buffer.alloc(0);
  }
}

/**
 * SCAN over the whole database: each key read by its type, and its DUMP. On a cluster SCAN sees
 * one node's keys, so each primary is scanned.
 */
export async function scanRedisForSecrets(connection: RedisConnection, secrets: Secrets): Promise<RedisScan> {
  const hits: SecretHit[] = [];
  const byType: Record<string, number> = {};
  let keys = 0;
  let bytes = 0;
  for (const redis of redisServers(connection)) {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        const type = await redis.type(key);
        if (type === 'none') continue; // expired between SCAN and TYPE
        keys += 1;
        byType[type] = (byType[type] ?? 0) + 1;
        const value = await readValue(redis, key, type);
        const dump = (await redis.dumpBuffer(key)) ?? Buffer.alloc(0);
        bytes += value.length;
        hits.push(...findSecrets(key, Buffer.concat([Buffer.from(key), value]), secrets));
        hits.push(...findSecrets(`${key} (DUMP)`, dump, secrets));
      }
    } while (cursor !== '0');
  }
  return { keys, bytes, byType, hits };
}
