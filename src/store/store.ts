/**
 * The handle every store operation takes: a Redis connection and the key prefix. Nothing outside
 * `src/store/` (and BullMQ, inside `src/queue/`) writes keys.
 *
 * Every key is `{prefix}:…`: the braces make the prefix a Redis Cluster hash tag, so that all of
 * one installation's keys live in one slot and multi-key scripts work on a cluster.
 */
import type { RedisConnection } from './connection.js';

export interface Store {
  readonly redis: RedisConnection;
  readonly prefix: string;
}

export function createStore(redis: RedisConnection, prefix: string): Store {
  return { redis, prefix };
}

/** `{prefix}:a:b:c` */
export function key(store: Store, ...parts: readonly string[]): string {
  return [`{${store.prefix}}`, ...parts].join(':');
}
