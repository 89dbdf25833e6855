/**
 * Writes `ringback.yaml`: a new, fully commented file (`ringback init`), or an account added to an
 * existing one (`ringback connect`) with the user's comments and layout kept. Files are replaced
 * atomically, so a crash never leaves half a config behind.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, stringify, YAMLSeq, type Document, type YAMLMap } from 'yaml';
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS, DEFAULTS, DEFAULT_WORKING_HOURS, FIELD_DOCS, NUMBER_FIELDS, type FieldDoc, type NumberField } from './fields.js';
import { defaultAccountId } from './schema.js';
import type { CalendarConfig, MailboxConfig } from './types.js';
import { BadInputError } from '../src/errors.js';
import { summarize, validateConfigText } from './load.js';
import { homeFromEnv, resolveConfigPath, type Env } from './paths.js';

type WithOptionalId<T> = T extends { readonly id: string } ? Omit<T, 'id'> & { readonly id?: string } : never;
/** A calendar as written in the file: the id may be left to the default, paths may be relative. */
export type CalendarEntry = WithOptionalId<CalendarConfig>;
export type MailboxEntry = WithOptionalId<MailboxConfig>;

export interface RenderValues {
  readonly candidate: { readonly name: string; readonly email: string; readonly phone: string; readonly timezone: string };
  /** 'managed' or a redis:// URL. @defaultValue 'managed' */
  readonly redis?: string;
  readonly calendars?: readonly CalendarEntry[];
  readonly mailbox?: MailboxEntry | null;
  /** Where the dashboard listens (0.0.0.0 in a container). @defaultValue '127.0.0.1' */
  readonly dashboardHost?: string;
}

/** A scalar as YAML writes it on one line: plain when it can be, quoted when it must. */
function scalar(value: string | number | boolean): string {
  const out = stringify(value, { lineWidth: 0 }).trimEnd();
  return out.includes('\n') ? JSON.stringify(value) : out;
}

/** A block of YAML for `value`, every line indented by `indent` spaces. */
function block(value: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  return stringify(value, { lineWidth: 0 })
    .trimEnd()
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}

/** A comment wrapped at 100 columns. */
function comment(text: string, indent: number): string {
  const pad = `${' '.repeat(indent)}#`;
  const lines: string[] = [];
  let line = pad;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > 100 && line !== pad) {
      lines.push(line);
      line = pad;
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/** A field's doc as comment lines: a sentence wrapped, or lines laid out already kept as they are. */
function docComment(doc: FieldDoc, indent: number): string {
  if (typeof doc === 'string') return comment(doc, indent);
  return doc.map((line) => `${' '.repeat(indent)}# ${line}`).join('\n');
}

function numberLine(key: string, field: NumberField): string {
  return `${comment(`${field.doc} Allowed ${field.min}–${field.max}; default ${field.default}.`, 2)}\n  ${key}: ${field.default}`;
}

/** A section of numbers only: its heading, then each number with its doc, at its default. */
function numberSection(section: 'timing' | 'policy' | 'limits' | 'sync', heading: string): string {
  const fields: Readonly<Record<string, NumberField>> = NUMBER_FIELDS[section];
  return [heading, `${section}:`, ...Object.entries(fields).map(([key, field]) => numberLine(key, field))].join('\n');
}

/** Key order for entries: type and id first, as a person would read them. */
function ordered(entry: object): Record<string, unknown> {
  const { type, id, ...rest } = entry as Readonly<Record<string, unknown>>;
  return { type, ...(id === undefined ? {} : { id }), ...rest };
}

function calendarsSection(calendars: readonly CalendarEntry[]): string {
  const head = docComment(FIELD_DOCS.calendars, 0);
  if (calendars.length === 0) return `${head}\ncalendars: []`;
  return `${head}\ncalendars:\n${block(calendars.map((c) => ordered(c)), 2)}`;
}

function mailboxSection(mailbox: MailboxEntry | null): string {
  const head = docComment(FIELD_DOCS.mailbox, 0);
  if (mailbox === null) return `${head}\n# mailbox: { type: maildir, path: ./mail }`;
  // No commented-out field at the end of the mapping: YAML would attach it, and the comment
  // after it, to the mapping, and indent both when the file is rewritten.
  return `${head}\nmailbox:\n${block(ordered(mailbox), 2)}`;
}

/** A complete, commented `ringback.yaml` for these values; every other field at its default. */
export function renderConfig(values: RenderValues): string {
  const { candidate } = values;
  const you = FIELD_DOCS.candidate;
  const detection = FIELD_DOCS.detection;
  const hours = FIELD_DOCS.workingHours;
  const sections = [
    [
      '# ringback configuration. Every field below is shown with its default unless it is about you.',
      '# Check it with `ringback doctor`. Unknown fields are errors.',
      '',
      '# You: emails are written in your name; the phone number is the one interviewers are asked to call.',
      'candidate:',
      docComment(you.name, 2),
      `  name: ${scalar(candidate.name)}`,
      docComment(you.email, 2),
      `  email: ${scalar(candidate.email)}`,
      docComment(you.phone, 2),
      `  phone: ${JSON.stringify(candidate.phone)}`,
      docComment(you.timezone, 2),
      `  timezone: ${scalar(candidate.timezone)}`,
    ].join('\n'),
    [docComment(FIELD_DOCS.redis, 0), `redis: ${scalar(values.redis ?? DEFAULTS.redis)}`].join('\n'),
    [
      docComment(FIELD_DOCS.dataDir, 0),
      '# dataDir: ~/.local/share/ringback',
      '',
      docComment(FIELD_DOCS.prefix, 0),
      `prefix: ${DEFAULTS.prefix}`,
    ].join('\n'),
    calendarsSection(values.calendars ?? []),
    mailboxSection(values.mailbox ?? null),
    numberSection('timing', '# When things happen around an interview that starts at T and ends at E.'),
    numberSection('policy', '# What repeated no-shows by the same company lead to.'),
    [docComment(FIELD_DOCS.confirmations, 0), `confirmations: ${DEFAULTS.confirmations}`].join('\n'),
    numberSection('limits', '# Bounds on what ringback sends by itself, whatever the calendar says.'),
    [
      '# How interviews are recognised.',
      'detection:',
      docComment(detection.keywords, 2),
      '  keywords:',
      ...DEFAULT_INTERVIEW_KEYWORDS.map((k) => `    - ${scalar(k)}`),
      docComment(detection.words, 2),
      '  # words:',
      '  #   phone: [Telefonat]',
      docComment(detection.defaultDirection, 2),
      `  defaultDirection: ${DEFAULTS['detection.defaultDirection']}`,
      docComment(detection.freeMailDomains, 2),
      '  freeMailDomains:',
      ...DEFAULT_FREE_MAIL_DOMAINS.map((d) => `    - ${scalar(d)}`),
    ].join('\n'),
    [
      '# When ringback may propose calls, in your time zone.',
      'workingHours:',
      docComment(hours.days, 2),
      // Commented out: the days then follow candidate.timezone, and a later change of it.
      `  # days: [${DEFAULT_WORKING_HOURS.days.join(', ')}]`,
      // One comment for both times: the file reads better with start and end together.
      docComment(hours.start, 2),
      `  start: "${DEFAULT_WORKING_HOURS.start}"`,
      `  end: "${DEFAULT_WORKING_HOURS.end}"`,
    ].join('\n'),
    numberSection('sync', '# Calendar sync.'),
    [
      '# The dashboard, served by `ringback start` at http://127.0.0.1:<port> with a token.',
      'dashboard:',
      numberLine('port', NUMBER_FIELDS.dashboard.port),
      // publicUrl, commented out, comes before host: a comment ending a section moves when the
      // file is rewritten by `connect`.
      docComment(FIELD_DOCS.dashboard.publicUrl, 2),
      '  # publicUrl: http://127.0.0.1:8080',
      docComment(FIELD_DOCS.dashboard.host, 2),
      `  host: ${scalar(values.dashboardHost ?? DEFAULTS['dashboard.host'])}`,
    ].join('\n'),
    [
      '# How much the daemon logs (pino levels). Tokens and message bodies are never logged.',
      'log:',
      docComment(FIELD_DOCS.log.level, 2),
      `  level: ${DEFAULTS['log.level']}`,
    ].join('\n'),
  ];
  return `${sections.join('\n\n')}\n`;
}

/**
 * Replaces `file` with `text` atomically: a temporary file in the same folder, then a rename.
 * The file's permissions are kept when it exists, less every right of others when `ownerOnly`
 * (the text holds a secret); a new file is readable by its owner only.
 */
export async function writeFileAtomic(file: string, text: string, options: { readonly ownerOnly?: boolean } = {}): Promise<void> {
  const mode = await stat(file).then(
    (s) => s.mode & (options.ownerOnly ? 0o700 : 0o777),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 0o600;
      throw error;
    },
  );
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(temp, text, { mode, flag: 'wx' });
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp);
    throw error;
  }
}

export interface AddedAccounts {
  /** Ids of entries that were new. */
  readonly added: readonly string[];
  /** Ids of entries that replaced one with the same id (or, for the mailbox, the previous one). */
  readonly replaced: readonly string[];
}

/**
 * Adds calendars and a mailbox to an existing config file, keeping its comments. A calendar
 * whose id matches an entry (given or derived) replaces it in place; the mailbox replaces the
 * mailbox. The result is validated whole before the file is replaced.
 */
export async function addAccountToConfigFile(
  file: string,
  accounts: { readonly calendars?: readonly CalendarConfig[]; readonly mailbox?: MailboxConfig | null },
  env: Env = {},
): Promise<AddedAccounts> {
  const label = file;
  const homedir = homeFromEnv(env, process.platform, os.homedir());
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new BadInputError(`${label}: not found (run "ringback init" to write one)`);
    throw error;
  });
  const baseDir = path.dirname(path.resolve(file));
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const checked = validateConfigText(text, label, baseDir, env);
    throw new BadInputError(checked.config === null ? summarize(checked.problems) : `${label}: YAML syntax error`);
  }
  const added: string[] = [];
  const replaced: string[] = [];
  for (const calendar of accounts.calendars ?? []) {
    const seq = calendarSeq(doc);
    const entry = forFile(calendar, baseDir);
    const at = seq.items.findIndex((item) => entryId(item, baseDir, homedir) === calendar.id);
    const existing: unknown = seq.items[at];
    if (at < 0) {
      seq.items.push(doc.createNode(entry));
      added.push(calendar.id);
    } else {
      if (isMap(existing)) mergeInto(doc, existing, entry);
      else seq.items[at] = doc.createNode(entry);
      replaced.push(calendar.id);
    }
  }
  if (accounts.mailbox) {
    const entry = forFile(accounts.mailbox, baseDir);
    const existing = doc.get('mailbox', true);
    if (isMap(existing) && existing.get('type') === entry.type) mergeInto(doc, existing, entry);
    else doc.set('mailbox', doc.createNode(entry));
    (isMap(existing) ? replaced : added).push(accounts.mailbox.id);
  }
  const next = doc.toString(TO_STRING);
  const checked = validateConfigText(next, label, baseDir, env);
  if (checked.config === null) throw new BadInputError(summarize(checked.problems));
  // A calendar's secret address (an ics URL with a token in it) is as good as a password.
  const secret = checked.config.calendars.some((c) => c.type === 'ics' && c.url !== undefined);
  await writeFileAtomic(file, next, { ownerOnly: secret });
  return { added, replaced };
}

/** Output close to what people and `renderConfig` write, so that unchanged parts stay unchanged. */
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

function calendarSeq(doc: Document): YAMLSeq {
  const current = doc.get('calendars', true);
  if (isSeq(current)) {
    current.flow = false;
    return current;
  }
  const seq = new YAMLSeq();
  doc.set('calendars', seq);
  return seq;
}

/** An account as the file should hold it: id first, paths inside the config's folder relative. */
function forFile(account: CalendarConfig | MailboxConfig, baseDir: string): Record<string, unknown> {
  const entry = ordered(account);
  if (typeof entry.path === 'string') {
    const relative = path.relative(baseDir, entry.path);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      entry.path = `./${relative.split(path.sep).join('/')}`;
    }
  }
  return entry;
}

/** The id of an entry already in the file: the one it gives, or the one the loader derives. */
function entryId(item: unknown, baseDir: string, homedir: string): string | undefined {
  if (!isMap(item)) return undefined;
  const field = (key: string): string | undefined => {
    const value: unknown = item.get(key);
    return typeof value === 'string' ? value : undefined;
  };
  const given = field('id');
  if (given !== undefined) return given;
  const type = field('type');
  if (type === undefined) return undefined;
  const rawPath = field('path');
  const resolved = rawPath === undefined ? undefined : resolveConfigPath(rawPath, baseDir, homedir, process.platform);
  return defaultAccountId({ type, path: resolved, url: field('url'), host: field('host'), username: field('username') });
}

/**
 * Writes `value` into an existing map node field by field, so that comments on fields that stay
 * are kept; fields `value` does not have are removed.
 */
function mergeInto(doc: Document, map: YAMLMap, value: Readonly<Record<string, unknown>>): void {
  for (const [key, inner] of Object.entries(value)) {
    const current: unknown = map.get(key, true);
    if (isMap(current) && typeof inner === 'object' && inner !== null && !Array.isArray(inner)) {
      mergeInto(doc, current, inner as Record<string, unknown>);
    } else if (isScalar(current) && (typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean')) {
      current.value = inner;
    } else {
      map.set(key, doc.createNode(inner));
    }
  }
  for (const pair of [...map.items]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (!Object.hasOwn(value, key)) map.delete(pair.key);
  }
}
