/**
 * `ringback init`: writes a commented `ringback.yaml` for the user. On a terminal it asks for what
 * the flags did not give; elsewhere every required value must come as a flag. The text is checked
 * by the same loader the daemon uses before anything is written.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { candidateFields, parseRedisSetting } from '../../config/schema.js';
import { summarize, validateConfigText } from '../../config/load.js';
import { configFile, homeFromEnv, type Env } from '../../config/paths.js';
import { renderConfig, writeFileAtomic, type CalendarEntry } from '../../config/write.js';
import { BadInputError } from '../errors.js';

export interface InitFlags {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  /** @defaultValue the system's zone */
  readonly timezone: string;
  /** @defaultValue 'managed' */
  readonly redis: string;
  /** An .ics file, relative to the current folder. @defaultValue './calendar.ics' */
  readonly calendarPath: string;
  readonly calendarUrl: string;
  /** A Maildir folder, relative to the current folder. @defaultValue './mail' */
  readonly mailboxPath: string;
  /** Where the dashboard listens; never asked (0.0.0.0 is for containers). @defaultValue '127.0.0.1' */
  readonly dashboardHost: string;
}

export interface InitIO {
  readonly isTTY: boolean;
  /** Asks on the terminal; an empty answer means `def`. */
  ask(question: string, def?: string): Promise<string>;
  say(line: string): void;
}

export interface InitOptions {
  /** Where to write, as the user gave it (`--config`). @defaultValue RINGBACK_CONFIG, else ./ringback.yaml */
  readonly file?: string | undefined;
  readonly flags: Partial<InitFlags>;
  readonly io: InitIO;
  /** Overwrite an existing file. */
  readonly force: boolean;
  /** Relative paths (the file, path flags and answers) are read from here. @defaultValue process.cwd() */
  readonly cwd?: string;
  /** @defaultValue {} */
  readonly env?: Env;
}

/** How many wrong answers to one question before giving up (a closed stdin answers forever). */
const MAX_ATTEMPTS = 5;

/** Writes the config file and returns its absolute path. */
export async function runInit(options: InitOptions): Promise<string> {
  const { flags, io } = options;
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? {};
  const homedir = homeFromEnv(env, process.platform, os.homedir());
  const { given, path: file } = configFile({ flag: options.file, env, cwd, homedir, platform: process.platform });
  const configDir = path.dirname(file);
  if (!options.force && (await exists(file))) {
    throw new BadInputError(`${given}: already exists (pass --force to overwrite it)`);
  }
  const value = (key: keyof InitFlags, question: string, check: (s: string) => string | null, def?: string) =>
    obtain({ io, flag: key, given: flags[key], question, check, def });
  const field = (schema: z.ZodType) => (s: string) => {
    const result = schema.safeParse(s);
    return result.success ? null : (result.error.issues[0]?.message ?? 'is not valid');
  };

  const name = await value('name', 'Your name', field(candidateFields.name));
  const email = await value('email', 'Your email address', field(candidateFields.email));
  const phone = await value('phone', 'Your phone number, in international form (like +1 415 555 0100)', field(candidateFields.phone));
  const timezone = await value('timezone', 'Your time zone', field(candidateFields.timezone), systemZone());
  const calendar = await calendarEntry(options, cwd, configDir);
  const mailboxPath = await value('mailboxPath', 'Maildir folder where drafts are written', nonEmpty, './mail');
  const redis = await value('redis', 'Redis ("managed" starts one for you, or a redis:// URL)', (s) => {
    const parsed = parseRedisSetting(s, { allowPassword: false });
    return typeof parsed === 'string' ? parsed : null;
  }, 'managed');

  const text = renderConfig({
    candidate: { name, email, phone, timezone },
    redis,
    calendars: [calendar],
    mailbox: { type: 'maildir', path: forConfig(mailboxPath, cwd, configDir) },
    ...(flags.dashboardHost !== undefined ? { dashboardHost: flags.dashboardHost } : {}),
  });
  const checked = validateConfigText(text, given, configDir, env, { file });
  if (checked.config === null) throw new BadInputError(summarize(checked.problems));

  await mkdir(configDir, { recursive: true });
  if (options.force) await writeFileAtomic(file, text);
  else {
    await writeFile(file, text, { flag: 'wx', mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') throw new BadInputError(`${given}: already exists (pass --force to overwrite it)`);
      throw error;
    });
  }
  io.say(`Wrote ${given}.`);
  io.say('Next: connect other accounts with "ringback connect <type>" if you like, then run "ringback start".');
  return file;
}

async function calendarEntry(options: InitOptions, cwd: string, configDir: string): Promise<CalendarEntry> {
  const { calendarPath, calendarUrl } = options.flags;
  if (calendarPath !== undefined && calendarUrl !== undefined) {
    throw new BadInputError('--calendar-path and --calendar-url: give one of them, not both');
  }
  if (calendarUrl !== undefined) {
    const problem = webAddress(calendarUrl);
    if (problem !== null) throw new BadInputError(`--calendar-url: ${problem}`);
    return { type: 'ics', url: calendarUrl.trim() };
  }
  const answer = await obtain({
    io: options.io,
    flag: 'calendarPath',
    given: calendarPath,
    question: 'Calendar: an .ics file, or the http(s) address of one',
    check: (s) => (isWebAddress(s) ? webAddress(s) : nonEmpty(s)),
    def: './calendar.ics',
  });
  if (calendarPath === undefined && isWebAddress(answer)) return { type: 'ics', url: answer };
  return { type: 'ics', path: forConfig(answer, cwd, configDir) };
}

interface Question {
  readonly io: InitIO;
  readonly flag: keyof InitFlags;
  readonly given: string | undefined;
  readonly question: string;
  /** A problem with the answer, or null when it is fine. */
  readonly check: (answer: string) => string | null;
  readonly def?: string | undefined;
}

/** The flag's value, else an answer from the terminal, else the default; checked in every case. */
async function obtain(q: Question): Promise<string> {
  const flag = `--${q.flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (q.given !== undefined) {
    const problem = q.check(q.given);
    if (problem !== null) throw new BadInputError(`${flag}: ${problem}`);
    return q.given.trim();
  }
  if (!q.io.isTTY) {
    if (q.def === undefined) throw new BadInputError(`${flag} is required when not on a terminal`);
    return q.def;
  }
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const raw = (await q.io.ask(q.question, q.def)).trim();
    const answer = raw === '' ? (q.def ?? '') : raw;
    const problem = answer === '' ? 'an answer is needed' : q.check(answer);
    if (problem === null) return answer;
    q.io.say(`  ${problem}`);
  }
  throw new BadInputError(`${flag}: no valid answer after ${MAX_ATTEMPTS} tries`);
}

function nonEmpty(s: string): string | null {
  return s.trim() === '' ? 'must not be empty' : null;
}

function isWebAddress(s: string): boolean {
  return /^https?:\/\//i.test(s.trim());
}

function webAddress(s: string): string | null {
  const url = URL.canParse(s.trim()) ? new URL(s.trim()) : null;
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return 'must be an address starting with https:// or http://';
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not hold a user or password: run "ringback connect", which stores them encrypted';
  }
  return null;
}

/**
 * A path the user typed (relative to where they are) as the config file reads it (relative to its
 * own folder): kept relative when it lies inside that folder, absolute otherwise; `~` kept.
 */
function forConfig(typed: string, cwd: string, configDir: string): string {
  const trimmed = typed.trim();
  if (trimmed === '~' || trimmed.startsWith('~/')) return trimmed;
  const absolute = path.resolve(cwd, trimmed);
  const relative = path.relative(configDir, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolute;
  return `./${relative.split(path.sep).join('/')}`;
}

function systemZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone === '' ? 'UTC' : zone;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}
