/**
 * Lua scripts sent by their SHA1 (`EVALSHA`) instead of their text (`EVAL`), for the scripts every
 * due action runs. A confirmation draft ran two scripts of 0.7 and 1.5 KB as `EVAL`: their text
 * went over the socket and was hashed by Redis for every draft, and writing it out was 3% of the
 * daemon's busy time while a burst of drafts drained (fire benchmark, issue 17, bench/README.md).
 *
 * Redis keeps a script it ran until it restarts or `SCRIPT FLUSH`; a script it does not know is
 * refused with `NOSCRIPT` (https://redis.io/docs/latest/commands/evalsha/) before anything runs,
 * and is then sent once as `EVAL`, which runs and caches it, as ioredis' own `Script` does for
 * `defineCommand`. ioredis' `defineCommand` is not used on the store's connection: the connection
 * is shared with BullMQ, and every command defined on it is copied onto each pipeline
 * (lean-pipeline.ts).
 *
 * Only for a script whose caller waits for its reply before it sends anything that must reach
 * Redis after it: after a `NOSCRIPT` the `EVAL` goes out later than the commands issued meanwhile.
 */
import { createHash } from 'node:crypto';
import type { RedisConnection } from './connection.js';

const shas = new Map<string, string>();

/** The SHA1 Redis names a script by, computed once per script text. */
export function scriptSha(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

/** Runs `script` by its SHA1, and by its text only when Redis does not have it. */
export async function runScript(redis: RedisConnection, script: string, numKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown> {
  return await run(redis, false, script, numKeys, args);
}

/**
 * {@link runScript} for a script whose reply holds bytes that are not text (a deflated interview
 * record, records.ts): its strings come back as Buffers, undecoded.
 */
export async function runScriptForBytes(redis: RedisConnection, script: string, numKeys: number, ...args: (string | Buffer | number)[]): Promise<unknown> {
  return await run(redis, true, script, numKeys, args);
}

async function run(redis: RedisConnection, bytes: boolean, script: string, numKeys: number, args: (string | Buffer | number)[]): Promise<unknown> {
  try {
    const sha = scriptSha(script);
    return await (bytes ? redis.callBuffer('evalsha', sha, numKeys, ...args) : redis.evalsha(sha, numKeys, ...args));
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await (bytes ? redis.callBuffer('eval', script, numKeys, ...args) : redis.eval(script, numKeys, ...args));
  }
}
