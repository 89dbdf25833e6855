/**
 * A pipeline (a batch of commands sent in one socket write) that does not carry the connection's
 * Lua commands.
 *
 * ioredis copies every Lua command defined on a connection (`defineCommand`) onto each pipeline
 * made from it, two methods per command. ringback's connection is shared with BullMQ, which
 * defines 52: each pipeline took about 30 µs of CPU to make (4 µs without them) and was an object
 * of 200 properties for the collector. A replan of a new interview makes one pipeline, and that
 * was a tenth of its CPU (schedule benchmark, issue 17, bench/README.md). A Lua command is still
 * run on such a pipeline, by name ({@link LeanPipeline.runScript}), as `pipeline[name](…)` would.
 */
import type { ChainableCommander } from 'ioredis';
import type { RedisConnection } from './connection.js';

export interface LeanPipeline {
  /**
   * The batch. ioredis' types leave out a pipeline's `multi()`, which opens a transaction inside
   * the batch (MULTI … EXEC, the first `exec()` closing it, the second sending the batch).
   */
  readonly batch: ChainableCommander & { multi(): unknown };
  /** Queues the Lua command `name` of the connection on the batch, as `batch[name](...args)` would. */
  runScript(name: string, args: readonly unknown[]): void;
  /**
   * Lets go of the batch's commands and replies once every reply is in (see {@link releasePipeline}).
   */
  release(): void;
}

/**
 * Drops what a pipeline whose replies are all in still holds: its commands (their arguments,
 * promises and resolvers) and their replies. A pipeline in flight when V8 collects the young
 * generation (it does so while the process waits on Redis) is moved to the old generation, where
 * it stays, dead or not, until the next full collection; whatever it points to is then kept
 * through every young collection in between, and moved too. With one batch per new interview,
 * about 21 KB per interview went to the old generation that way and the young collections that
 * copied it took 30–45 µs of the process' CPU per interview (a fifth of it; schedule benchmark,
 * issue 17, bench/README.md); dropped here, 13 KB and 15–22 µs. Only for a pipeline that is done:
 * its `exec()` has settled, so no command of it is waiting for a reply or will be sent again.
 * Relies on names internal to ioredis (`_queue`, `_result`, a command's `args`, `promise`,
 * `resolve`, `reject`); should they change, this drops less and changes nothing else.
 */
export function releasePipeline(pipeline: ChainableCommander): void {
  const held = pipeline as unknown as { _queue?: Record<string, unknown>[]; _result?: unknown[] } & Record<string, unknown>;
  for (const command of held._queue ?? []) {
    command.args = null;
    command.promise = null;
    command.resolve = null;
    command.reject = null;
  }
  held._queue = [];
  held._result = [];
  held.promise = null;
  held.resolve = null;
  held.reject = null;
}

/**
 * What `make` makes from the connection (a pipeline or a transaction) without the connection's Lua
 * commands. What a pipeline copies is the connection's `scriptsSet` at the moment it is made; it
 * is put back before anything else runs. Every other part of the pipeline is ioredis' own.
 */
function withoutScripts<T>(redis: RedisConnection, make: () => T): T {
  const defined = redis.scriptsSet as Readonly<Record<string, unknown>>;
  redis.scriptsSet = {};
  try {
    return make();
  } finally {
    redis.scriptsSet = defined;
  }
}

/**
 * A `MULTI … EXEC` transaction of plain commands (no Lua command of the connection can be queued
 * on it), made as {@link leanPipeline} makes a pipeline.
 */
export function leanMulti(redis: RedisConnection): ChainableCommander {
  return withoutScripts(redis, () => redis.multi());
}

export function leanPipeline(redis: RedisConnection): LeanPipeline {
  // Each Lua command run on the batch is the function defineCommand made, called on the batch.
  const defined = redis.scriptsSet as Readonly<Record<string, unknown>>;
  const batch = withoutScripts(redis, () => redis.pipeline() as LeanPipeline['batch']);
  return {
    batch,
    runScript(name, args) {
      const command = (redis as unknown as Record<string, unknown>)[name];
      if (!(name in defined) || typeof command !== 'function') throw new Error(`no Lua command "${name}" is defined on this connection`);
      Reflect.apply(command, batch, args);
    },
    release() {
      releasePipeline(batch);
    },
  };
}
