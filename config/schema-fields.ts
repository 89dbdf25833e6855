/**
 * The building blocks of the `ringback.yaml` schema that every section uses: strict mappings whose
 * unknown keys get a did-you-mean (or, for secret-looking keys, a pointer to `ringback connect`),
 * non-empty text, bounded whole numbers, fixed choices, web addresses, and the "(got …)" rendering
 * of an input that never echoes what could be a secret. Also {@link SchemaContext}, what a section
 * needs to know about where the file lives.
 */
import { z } from 'zod';
import { suggestion } from './did-you-mean.js';
import type { Env } from './paths.js';

/** What the schema needs to know about where the file lives. */
export interface SchemaContext {
  /** Absolute path of the file, or null when the config does not come from a file. */
  readonly file: string | null;
  /** Relative paths in the file are resolved against this folder. */
  readonly baseDir: string;
  readonly platform: NodeJS.Platform;
  readonly env: Env;
  readonly homedir: string;
}

const SECRET_KEY = /pass(word|wd|phrase)?$|secret|token|api[-_]?key|credential|private[-_]?key/i;
/** A long run of letters and digits is what keys and tokens look like; such values are not echoed. */
const TOKEN_LIKE = /[A-Za-z0-9+=_-]{20,}/;

/** A short, safe rendering of an input for "(got …)", or undefined when it should not be shown. */
export function shown(input: unknown): string | undefined {
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  if (input === null) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input !== 'string') return undefined;
  const tokenLike = TOKEN_LIKE.exec(input)?.[0];
  if (input.length > 60 || /[\p{Cc}]/u.test(input) || /:\/\/[^/]*@/.test(input)) return undefined;
  if (tokenLike !== undefined && /\d/.test(tokenLike)) return undefined;
  return JSON.stringify(input);
}

export function got(input: unknown): string {
  const s = shown(input);
  return s === undefined ? '' : ` (got ${s})`;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  if (SECRET_KEY.test(key)) {
    return 'secrets do not belong in this file: run "ringback connect" instead, which stores them encrypted';
  }
  return `unknown field${suggestion(key, known)}`;
}

type Shape = Record<string, z.ZodType>;

/**
 * A mapping that rejects unknown keys. The issue for several unknown keys carries one message
 * per key, one per line, in the order of `keys`; the loader splits them.
 */
export function strict<S extends Shape>(shape: S, what = 'a mapping of settings') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => unknownKeyMessage(k, known)).join('\n');
      if (iss.input === undefined) return `required (${what})`;
      return `must be ${what}${got(iss.input)}`;
    },
  });
}

/** A non-empty string, trimmed. */
/**
 * The longest text a field may hold: more than any name, address, path or URL needs (a 10 MB name
 * was once accepted, and the daemon grew to 550 MB).
 */
export const MAX_TEXT = 4096;

export function text(what: string) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `required (${what})` : `must be ${what}${got(iss.input)}`) })
    .trim()
    .min(1, { error: `must not be empty (${what})` })
    .max(MAX_TEXT, { error: (iss) => `is too long: at most ${MAX_TEXT} characters (${what}; got ${String((iss.input as string).length)})` });
}

/** A whole number within bounds. */
export function whole(min: number, max: number) {
  const range = `between ${min} and ${max}`;
  return z
    .number({ error: (iss) => `must be a number ${range}${got(iss.input)}` })
    .superRefine((n, ctx) => {
      if (!Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: `must be a whole number ${range} (got ${n})` });
      else if (n < min || n > max) ctx.addIssue({ code: 'custom', message: `must be ${range} (got ${n})` });
    });
}

export function bounded(bounds: readonly [number, number, number]) {
  return whole(bounds[0], bounds[1]).default(bounds[2]);
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (iss) => {
      const list = values.join(', ');
      const s = shown(iss.input);
      if (typeof iss.input === 'string' && s !== undefined) {
        return `${s} is not one of ${list}${suggestion(iss.input, values)}`;
      }
      return `must be one of ${list}${got(iss.input)}`;
    },
  });
}

/** An http(s) URL without a user or password in it. */
export function webUrl(what: string) {
  // The value is never echoed: an address may carry a token.
  return text(what).superRefine((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      ctx.addIssue({ code: 'custom', message: `must be ${what}, starting with https:// or http://` });
    } else if (url.username !== '' || url.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'must not hold a user or password: run "ringback connect", which stores them encrypted' });
    }
  });
}
