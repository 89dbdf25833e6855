/** Runs the real `ringback` command (bin/ringback.js) as a user would, in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import { testPrefix } from '../support/prefix.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ringback.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, CI: 'true', ...(options.env ?? {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`ringback ${args.join(' ')} did not finish in time\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function spawnCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): ChildProcess & { output(): string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, CI: 'true', ...(options.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return Object.assign(child, { output: () => out });
}

/** The lines every end-to-end config starts with: the candidate, the test's Redis, a data folder in `dir`, a key prefix of its own. */
export function configHead(dir: string, name: string): string[] {
  return [
    'candidate: { name: Ada Park, email: ada@example.org, phone: "+1 415 555 0100", timezone: America/New_York }',
    `redis: ${inject('redisUrl')}`,
    `dataDir: ${join(dir, 'data')}`,
    `prefix: ${testPrefix(name)}`,
  ];
}
