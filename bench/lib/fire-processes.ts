/**
 * Several daemon processes (fire-child.ts) on the benchmark's Redis and Maildir, for the fire
 * scenario's "two processes" rows: started, waited for, their job stamps gathered, and stopped.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchConfigObject, type BenchEngine } from './engine.js';
import type { FireChildMessage } from './fire-child.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fire-child.ts', import.meta.url));

export interface DaemonProcesses {
  /** When each action job was handed to a processor, by job id (the first time, if run twice). */
  readonly started: ReadonlyMap<string, number>;
  readonly completed: ReadonlySet<string>;
  /** Action jobs started by each process, in start order (to show the work was shared). */
  startedBy(): number[];
  /** Stops every daemon (workers finish what they hold) and waits for the processes to exit. */
  stop(): Promise<void>;
}

/** Starts `count` daemons on the bench engine's Redis, prefix and Maildir; resolves once all run. */
export async function startDaemonProcesses(bench: BenchEngine, redisUrl: string, count: number, concurrency: number): Promise<DaemonProcesses> {
  const configFile = join(bench.dir, 'ringback-processes.yaml');
  // JSON is YAML; the same folders and prefix as the benchmark's own engine.
  await writeFile(configFile, `${JSON.stringify(benchConfigObject({ redisUrl, dir: bench.dir, prefix: bench.config.prefix }), null, 2)}\n`);
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.REDIS_URL;
  delete env.RINGBACK_CONFIG;
  const started = new Map<string, number>();
  const completed = new Set<string>();
  const children: { child: ChildProcess; exited: Promise<void>; started: number }[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const child = fork(CHILD, [configFile, String(concurrency)], { cwd: ROOT, env, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const entry = { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())), started: 0 };
    children.push(entry);
    ready.push(
      new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`a daemon process exited (${code}) before it was ready`)));
        child.on('message', (message: FireChildMessage) => {
          if ('ready' in message) resolve();
          if ('failed' in message) reject(new Error(`a daemon process failed: ${message.failed}`));
          if (!('events' in message)) return;
          for (const [what, id, at] of message.events) {
            if (what === 'completed') completed.add(id);
            else if (!started.has(id)) {
              started.set(id, at);
              entry.started += 1;
            }
          }
        });
      }),
    );
  }
  const stop = async () => {
    for (const { child } of children) if (child.connected) child.send('stop');
    await Promise.all(children.map((c) => c.exited));
  };
  try {
    await Promise.all(ready);
  } catch (error) {
    for (const { child } of children) child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    throw error;
  }
  return { started, completed, startedBy: () => children.map((c) => c.started), stop };
}
