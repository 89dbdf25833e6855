/**
 * Reads `ringback.yaml` once, validates it whole and returns the resolved config. Every failure is
 * a {@link BadInputError} of one line that names the file, the field and what would be valid;
 * when several fields are wrong, the first in the file is named and the rest are counted.
 */
import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, parseRedisSetting } from './schema.js';
import type { ResolvedConfig } from './types.js';
import { BadInputError, RunTimeError } from '../src/errors.js';
import { configFile, homeFromEnv, type Env } from './paths.js';

export interface LoadOptions {
  /** The `--config` flag. */
  readonly file?: string;
  readonly env: Env;
  readonly cwd: string;
  /** @defaultValue process.platform */
  readonly platform?: NodeJS.Platform;
  /** @defaultValue HOME (USERPROFILE on Windows), else the OS's idea of it */
  readonly homedir?: string;
}

export interface ValidateOptions {
  /** Absolute path recorded in the result. @defaultValue null */
  readonly file?: string | null;
  readonly platform?: NodeJS.Platform;
  readonly homedir?: string;
}

export type ConfigValidation =
  | { readonly config: ResolvedConfig; readonly problems: readonly [] }
  | { readonly config: null; readonly problems: readonly [string, ...string[]] };

interface Problem {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

const INIT_HINT = 'run "ringback init" to write one';

/** The file {@link configFile} names (`--config`, `RINGBACK_CONFIG`, `./ringback.yaml`). `REDIS_URL` overrides `redis`. */
export async function loadConfig(options: LoadOptions): Promise<ResolvedConfig> {
  const platform = options.platform ?? process.platform;
  const homedir = options.homedir ?? homeFromEnv(options.env, platform, os.homedir());
  const { given, path: file, fromEnv } = configFile({ flag: options.file, env: options.env, cwd: options.cwd, homedir, platform });
  const label = oneLine(given);
  let text: string;
  try {
    const size = (await stat(file)).size;
    // Checked before reading: the whole file would be held in memory, and parsed.
    if (size > MAX_CONFIG_BYTES) throw new BadInputError(`${label}: the file is ${size} bytes; a config is at most ${MAX_CONFIG_BYTES} (is it the right file?)`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    throw readError(error, label, fromEnv);
  }
  const result = validateConfigText(text, label, path.dirname(file), options.env, { file, platform, homedir });
  if (result.config !== null) return result.config;
  throw new BadInputError(summarize(result.problems));
}

/** Validates the text of a config file and returns the config or every problem, one line each. */
export function validateConfigText(
  text: string,
  fileLabel: string,
  baseDir: string,
  env: Env,
  options: ValidateOptions = {},
): ConfigValidation {
  const label = oneLine(fileLabel);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `${label}: line ${lineCounter.linePos(e.pos[0]).line}: YAML syntax error: ${yamlReason(e.message)}`);
    return { config: null, problems: lines as [string, ...string[]] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // toJS throws only for documents that parse but cannot be built (alias bombs, bad anchors).
    const reason = error instanceof Error ? yamlReason(error.message) : 'cannot be read';
    return { config: null, problems: [`${label}: YAML error: ${reason}`] };
  }
  if (raw === null || raw === undefined) return { config: null, problems: [`${label}: is empty (${INIT_HINT})`] };
  const shape = shapeProblem(raw);
  if (shape) return { config: null, problems: [`${label}: YAML error: ${shape}`] };
  return check(raw, label, baseDir, env, options, doc);
}

/** No setting is nested this deep; deeper values are refused before anything walks them. */
const MAX_DEPTH = 64;
/** A real config is a few kilobytes; the example with every comment is under 10. */
export const MAX_CONFIG_BYTES = 1_000_000;

/**
 * A value that contains itself (`a: &a [*a]`: YAML builds a cycle from an alias inside its own
 * anchor) or is nested absurdly deep, which the walks below would follow until the stack ran out.
 */
function shapeProblem(value: unknown, ancestors: object[] = []): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (ancestors.includes(value)) return 'an alias (*name) refers to the value that contains it; a value cannot contain itself';
  if (ancestors.length >= MAX_DEPTH) return `values are nested more than ${MAX_DEPTH} levels deep`;
  for (const inner of Object.values(value)) {
    const problem = shapeProblem(inner, [...ancestors, value]);
    if (problem) return problem;
  }
  return null;
}

/** Validates settings that do not come from a file (tests, the demo). Throws {@link BadInputError}. */
export function parseConfigObject(
  raw: unknown,
  options: ValidateOptions & { readonly baseDir: string; readonly env: Env; readonly label?: string },
): ResolvedConfig {
  const result = check(raw, oneLine(options.label ?? 'config'), options.baseDir, options.env, options, null);
  if (result.config !== null) return result.config;
  throw new BadInputError(summarize(result.problems));
}

/** The first problem, and how many more there are. */
export function summarize(problems: readonly [string, ...string[]]): string {
  const more = problems.length - 1;
  if (more === 0) return problems[0];
  return `${problems[0]} (and ${more} more problem${more === 1 ? '' : 's'})`;
}

function check(
  raw: unknown,
  label: string,
  baseDir: string,
  env: Env,
  options: ValidateOptions,
  doc: Document | null,
): ConfigValidation {
  const platform = options.platform ?? process.platform;
  const homedir = options.homedir ?? homeFromEnv(env, platform, os.homedir());
  const schema = configSchema({ file: options.file ?? null, baseDir, platform, env, homedir });
  const parsed = schema.safeParse(dropEmpty(raw));
  const problems: string[] = [];
  if (!parsed.success) {
    const found = parsed.error.issues.flatMap(toProblems);
    const ordered = doc === null ? found : sortByPosition(found, doc);
    problems.push(...ordered.map((p) => `${label}: ${p.path.length > 0 ? `${formatPath(p.path)}: ` : ''}${p.message}`));
  }
  const redisUrl = env.REDIS_URL?.trim();
  let redis = parsed.success ? parsed.data.redis : null;
  if (redisUrl) {
    const fromEnv = parseRedisSetting(redisUrl, { allowPassword: true });
    if (typeof fromEnv === 'string') problems.push(`REDIS_URL (environment): ${fromEnv}`);
    else redis = fromEnv;
  }
  const [first, ...rest] = problems;
  if (first !== undefined) return { config: null, problems: [first, ...rest] };
  if (!parsed.success || redis === null) throw new Error('unreachable: a failed parse always has problems');
  return { config: { ...parsed.data, redis }, problems: [] };
}

/** In YAML an empty value (`timing:`) is null; it means "not given", so the default applies. */
function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null) Object.defineProperty(out, key, { value: dropEmpty(inner), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** One problem per unknown key: the schema joins their messages with newlines (see `strict`). */
function toProblems(issue: z.core.$ZodIssue): Problem[] {
  if (issue.code === 'unrecognized_keys') {
    const messages = issue.message.split('\n');
    return issue.keys.map((key, i) => ({ path: [...issue.path, key], message: messages[i] ?? 'unknown field' }));
  }
  return [{ path: issue.path, message: oneLine(issue.message) }];
}

function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      const plain = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      out += out === '' ? plain : `.${plain}`;
    }
  }
  return out;
}

/** Problems in the order their fields appear in the file; a missing field sorts at its parent. */
function sortByPosition(problems: readonly Problem[], doc: Document): Problem[] {
  const at = problems.map((p, i) => ({ p, i, offset: offsetOf(doc, p.path) }));
  at.sort((a, b) => a.offset - b.offset || a.i - b.i);
  return at.map((x) => x.p);
}

function offsetOf(doc: Document, segments: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      if (isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      if ((isMap(item) || isSeq(item) || isScalar(item)) && item.range) offset = item.range[0];
      node = item;
    } else break;
  }
  return offset;
}

/** The reason of a YAML error, without its position or the quoted source (which may hold a secret). */
function yamlReason(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return oneLine(first.replace(/ at line \d+, column \d+:?$/, '').replace(/[:.]$/, ''));
}

function oneLine(s: string): string {
  return s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
}

function readError(error: unknown, label: string, fromEnv: boolean): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const via = fromEnv ? 'named by RINGBACK_CONFIG; ' : '';
  if (code === 'ENOENT' || code === 'ENOTDIR') return new BadInputError(`${label}: not found (${via}${INIT_HINT})`);
  if (code === 'EISDIR') return new BadInputError(`${label}: is a folder, not a config file (${via}give the path of ringback.yaml)`);
  if (code === 'EACCES' || code === 'EPERM') return new BadInputError(`${label}: cannot be read (permission denied)`);
  return new RunTimeError(`${label}: cannot be read (${code ?? 'unknown error'})`, { cause: error });
}
