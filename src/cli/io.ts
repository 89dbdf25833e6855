/**
 * How the CLI talks: results on stdout, progress and problems on stderr, logs through pino with
 * secrets and message bodies redacted, and the exit codes of DESIGN.md (0 done, 1 failed at run
 * time, 2 bad input or config).
 */
import { pino, type Logger } from 'pino';
import { BadInputError } from '../errors.js';

export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'secret',
  '*.secret',
  'clientSecret',
  '*.clientSecret',
  'body',
  '*.body',
  'text',
  '*.text',
  'html',
  '*.html',
  'raw',
  '*.raw',
];

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.destination({ fd: destination === process.stdout ? 1 : 2, sync: true }),
  );
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Ends the process with the exit code the error stands for, in one line on stderr. */
export function exitWithError(error: unknown): never {
  if (error instanceof BadInputError) {
    warn(`ringback: ${error.message}`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  warn(`ringback: ${message}`);
  if (process.env.RINGBACK_DEBUG && error instanceof Error && error.stack) warn(error.stack);
  process.exit(typeof (error as { exitCode?: unknown }).exitCode === 'number' ? ((error as { exitCode: number }).exitCode) : 1);
}
