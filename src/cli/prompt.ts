/**
 * Questions on a terminal, for `init` and `connect`. Without a terminal every answer must come as
 * a flag, and a missing one is bad input naming that flag.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { BadInputError } from '../errors.js';
import type { ConnectIO } from './connect/types.js';

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== 'true';
}

/** Asks one question; `secret` answers are not echoed. */
export async function ask(question: string, options: { secret?: boolean; def?: string } = {}): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const prompt = `${question}${options.def ? ` [${options.def}]` : ''}: `;
    const pending = rl.question(prompt);
    muted = options.secret === true;
    const answer = (await pending).trim();
    if (options.secret) process.stdout.write('\n');
    return answer || options.def || '';
  } finally {
    rl.close();
  }
}

export function openInBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  // No browser here (a server, a container): the URL printed above is the way.
  child.on('error', () => undefined);
  child.unref();
}

export function connectIO(signal: AbortSignal): ConnectIO {
  return {
    signal,
    async ask(question, options = {}) {
      if (!isInteractive()) {
        throw new BadInputError(`${options.flag ?? question}: required when not on a terminal`);
      }
      return await ask(question, { ...(options.secret ? { secret: true } : {}) });
    },
    say(line) {
      process.stdout.write(`${line}\n`);
    },
    async openUrl(url) {
      process.stdout.write(`Open this address in a browser: ${url}\n`);
      if (isInteractive()) openInBrowser(url);
    },
  };
}
