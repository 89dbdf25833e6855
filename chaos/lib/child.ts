/**
 * One daemon child process (chaos/daemon-child.ts): started, watched until it says `ready`, and
 * ended by SIGKILL (a crash) or SIGTERM (a normal stop). Everything it prints is kept, for the
 * secret scan.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../daemon-child.ts', import.meta.url));

export interface DaemonChild {
  readonly pid: number;
  /** Resolves when the child printed `ready`; rejects when it exits first. */
  readonly ready: Promise<void>;
  /** Resolves with the exit code or signal once the process has ended. */
  readonly exited: Promise<string>;
  /** SIGKILL, as a crash or the OOM killer would. Synchronous: the signal is sent on return. */
  crash(): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<string>;
  alive(): boolean;
}

export interface ChildOptions {
  readonly configFile: string;
  readonly env: Record<string, string>;
  /** Receives everything the child writes, stdout and stderr. */
  readonly output: (text: string) => void;
}

export function startDaemonChild(options: ChildOptions): DaemonChild {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, options.configFile], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('the daemon child did not start');
  const pid = child.pid;
  let ended = false;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended = true;
      resolve(signal ?? `exit ${code ?? '?'}`);
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.output(text);
      seen += text;
      if (seen.includes(`ready ${pid}`)) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => options.output(chunk.toString('utf8')));
    exited.then(
      (how) => reject(new Error(`the daemon child ended before it was ready (${how})`)),
      reject,
    );
  });
  // A crash before `ready` is part of the game; whoever awaits `ready` sees it.
  ready.catch(() => undefined);
  return {
    pid,
    ready,
    exited,
    crash() {
      if (!ended) child.kill('SIGKILL');
    },
    async stop() {
      if (!ended) child.kill('SIGTERM');
      return await exited;
    },
    alive: () => !ended,
  };
}
