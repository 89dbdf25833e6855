/**
 * Round trips to Redis, counted on the client: a command sent while no other is awaiting its
 * reply starts a round trip; commands sent while one is in flight (a pipeline, a `Promise.all`)
 * share it. This is what a caller waits for in sequence, which `INFO commandstats` (commands run,
 * inside Lua scripts too) cannot tell.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import type { RedisConnection } from '../../src/store/connection.js';

export interface RoundTripCount {
  readonly roundTrips: number;
  readonly commands: number;
}

interface Counting {
  /** Stops counting and puts the connection back as it was. */
  stop(): RoundTripCount;
}

type SendCommand = Redis['sendCommand'];

export function countRoundTrips(connection: RedisConnection): Counting {
  const target = connection as unknown as { sendCommand: SendCommand };
  const original = target.sendCommand;
  let inFlight = 0;
  let roundTrips = 0;
  let commands = 0;
  // One function for every command, made once: one made per command (named by tsx's keepNames,
  // esbuild's `__name`, a property definition each) put the counter at 1–3% of this process' busy
  // time in the schedule benchmark, which counts while it measures, and weighed on replan's 11
  // commands per interview more than on raw addBulk's 5 (bench/README.md, 2026-12-07 15:15).
  const settle = () => void inFlight--;
  const counted: SendCommand = function (this: unknown, command, ...rest) {
    commands++;
    if (inFlight === 0) roundTrips++;
    inFlight++;
    command.promise.then(settle, settle);
    return original.call(this, command, ...rest);
  };
  target.sendCommand = counted;
  return {
    stop() {
      target.sendCommand = original;
      return { roundTrips, commands };
    },
  };
}

/**
 * Counts the socket writes of a connection's socket (a corked socket flushes its chunks with one
 * `_writev`): each wakes Redis to read, where a round trip may take several.
 */
export function countWrites(socket: Socket): { writes: () => number; stop: () => void } {
  const target = socket as unknown as { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  const write = target._write;
  const writev = target._writev;
  let writes = 0;
  target._write = function (this: unknown, ...args: unknown[]) {
    writes++;
    return write.apply(this, args);
  };
  target._writev = function (this: unknown, ...args: unknown[]) {
    writes++;
    return writev.apply(this, args);
  };
  return {
    writes: () => writes,
    stop() {
      target._write = write;
      target._writev = writev;
    },
  };
}

/** A command Redis ran, as `MONITOR` shows it: its name and arguments, and whether a Lua script ran it. */
export interface RanCommand {
  readonly name: string;
  readonly args: readonly string[];
  readonly inScript: boolean;
}

/**
 * Every command Redis runs on keys of the hash tag `{tag}` (the store's prefix), those run inside
 * Lua scripts included, seen with `MONITOR` on a connection of its own: what Redis does for a
 * step, counted without the noise of other clients of a shared Redis. `stop()` waits until
 * Redis has shown everything sent before it on `connection` (a marker command sent on it), then
 * closes the monitor.
 */
export async function watchRedisCommands(connection: RedisConnection, tag: string): Promise<{ stop(): Promise<RanCommand[]> }> {
  const monitor = await (connection as Redis).monitor();
  const ran: RanCommand[] = [];
  const marker = `{${tag}}:monitor-end:${Math.random().toString(36).slice(2)}`;
  let markerSeen: () => void = () => undefined;
  const seen = new Promise<void>((resolve) => (markerSeen = resolve));
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args.includes(marker)) return markerSeen();
    if (args.some((a) => a.includes(`{${tag}}`))) ran.push({ name: String(args[0]).toLowerCase(), args: args.slice(1), inScript: source === 'lua' });
  });
  return {
    async stop() {
      await connection.exists(marker);
      await seen;
      monitor.disconnect();
      return ran;
    },
  };
}
