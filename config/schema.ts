/**
 * The schema of `ringback.yaml`: it validates the whole file and produces a {@link ResolvedConfig}
 * with every default filled in, ids derived, phone numbers in E.164 and paths made absolute.
 *
 * Every message is written for the person editing the file: it says what would be valid and,
 * for numbers and short plain values, what it got. Values that could be secrets are never echoed.
 * Unknown keys are errors everywhere; secret-looking keys point to `ringback connect`.
 */
import { DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS as DEFAULT_KEYWORDS } from '../src/domain/detect.js';
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { suggestion } from '../src/config/did-you-mean.js';
import { defaultDataDir, resolveConfigPath, type Env } from '../src/config/paths.js';
import type { RedisSetting, ResolvedConfig } from './types.js';

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

/** Defaults of `detection`: the domain owns them (detect.ts, company.ts); the file may replace them. */
export { DEFAULT_KEYWORDS, DEFAULT_FREE_MAIL_DOMAINS };

/** Bounds and defaults of every number in the file: [min, max, default]. */
export const NUMBER_BOUNDS = {
  timing: {
    confirmLeadMinutes: [15, 240, 60],
    minLeadMinutes: [1, 60, 10],
    draftHorizonHours: [1, 168, 24],
    waitMinutes: [5, 120, 15],
    giveUpMinutes: [10, 240, 30],
    thankYouDelayMinutes: [0, 1440, 60],
    bufferMinutes: [0, 240, 30],
  },
  policy: { askToCallAfter: [1, 10, 2], moveOnAfter: [1, 10, 2] },
  sync: { pollSeconds: [15, 86400, 60], horizonDays: [1, 366, 30] },
  dashboard: { port: [1, 65535, 7807] },
} as const satisfies Record<string, Record<string, readonly [number, number, number]>>;

export const CONFIRMATION_MODES = ['send', 'draft', 'off'] as const;
export const DIRECTIONS = ['unknown', 'candidate-calls', 'interviewer-calls'] as const;
export const LOG_LEVELS = ['info', 'fatal', 'error', 'warn', 'debug', 'trace', 'silent'] as const;
export const DEFAULT_WORKING_HOURS = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } as const;

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

function got(input: unknown): string {
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
function strict<S extends Shape>(shape: S, what = 'a mapping of settings') {
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
function text(what: string) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `required (${what})` : `must be ${what}${got(iss.input)}`) })
    .trim()
    .min(1, { error: `must not be empty (${what})` });
}

/** A whole number within bounds. */
function whole(min: number, max: number) {
  const range = `between ${min} and ${max}`;
  return z
    .number({ error: (iss) => `must be a number ${range}${got(iss.input)}` })
    .superRefine((n, ctx) => {
      if (!Number.isInteger(n)) ctx.addIssue({ code: 'custom', message: `must be a whole number ${range} (got ${n})` });
      else if (n < min || n > max) ctx.addIssue({ code: 'custom', message: `must be ${range} (got ${n})` });
    });
}

function bounded(bounds: readonly [number, number, number]) {
  return whole(bounds[0], bounds[1]).default(bounds[2]);
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
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

function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 8);
}

/** What identifies an account when the file gives it no id. Paths must already be absolute. */
export interface AccountKey {
  readonly type: string;
  readonly path?: string | undefined;
  readonly url?: string | undefined;
  readonly host?: string | undefined;
  readonly username?: string | undefined;
}

/**
 * The id of an account that the file gives none, stable as long as its path or address is.
 * Google and Microsoft default to one account each, shared by calendar and mailbox, so that one
 * sign-in serves both.
 */
export function defaultAccountId(account: AccountKey): string {
  switch (account.type) {
    case 'ics':
      return `ics-${shortHash(account.path ?? account.url ?? '')}`;
    case 'caldav':
      return `caldav-${shortHash(account.url ?? '', account.username ?? '')}`;
    case 'maildir':
      return `maildir-${shortHash(account.path ?? '')}`;
    case 'imap':
      return `imap-${shortHash(account.host ?? '', account.username ?? '')}`;
    case 'google':
    case 'gmail':
      return 'google';
    default:
      return account.type;
  }
}

const accountId = z
  .string({ error: (iss) => `must be an account id${got(iss.input)}` })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
    error: (iss) => `must be letters, digits, '.', '_' or '-' (at most 64)${got(iss.input)}`,
  })
  .optional();

/** An http(s) URL without a user or password in it. */
function webUrl(what: string) {
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

/** 'managed', or a redis://, rediss:// or unix: URL. Passwords belong in REDIS_URL, not in the file. */
export function parseRedisSetting(value: string, options: { allowPassword: boolean }): RedisSetting | string {
  const expected = '"managed" or a redis://, rediss:// or unix: URL';
  const trimmed = value.trim();
  if (trimmed === 'managed') return { mode: 'managed' };
  // The value is never echoed: it may hold a password.
  if (!URL.canParse(trimmed)) return `must be ${expected}`;
  const url = new URL(trimmed);
  if (url.protocol === 'unix:') {
    return url.pathname === '' ? `must be ${expected} (a unix: URL needs a socket path)` : { mode: 'url', url: trimmed };
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `must be ${expected}`;
  if (url.hostname === '') return `must be ${expected} (the URL has no host)`;
  if (!options.allowPassword && url.password !== '') {
    return 'must not hold a password: set the REDIS_URL environment variable instead';
  }
  return { mode: 'url', url: trimmed };
}

const redisSchema = z
  .string({ error: (iss) => `must be "managed" or a redis://, rediss:// or unix: URL${got(iss.input)}` })
  .transform((value, ctx): RedisSetting => {
    const parsed = parseRedisSetting(value, { allowPassword: false });
    if (typeof parsed !== 'string') return parsed;
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  });

export const candidateFields = {
  name: text('your name'),
  email: text('an email address, like ada@example.org')
    .pipe(z.email({ error: (iss) => `must be an email address, like ada@example.org${got(iss.input)}` }))
    .transform((s) => s.toLowerCase()),
  phone: z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? 'required (a phone number in international form, like "+1 415 555 0100")'
          : `must be a phone number in quotes, like "+1 415 555 0100"${got(iss.input)}`,
    })
    .transform((value, ctx) => {
      const phone = parsePhoneNumberFromString(value.trim());
      if (phone?.isValid() === true) return phone.number;
      ctx.addIssue({
        code: 'custom',
        message: `must be a valid phone number in international form, like "+1 415 555 0100"${got(value)}`,
      });
      return z.NEVER;
    }),
  timezone: text('an IANA time zone, like America/New_York').superRefine((zone, ctx) => {
    if (IANAZone.isValidZone(zone)) return;
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
    const s = shown(zone) ?? 'this';
    ctx.addIssue({
      code: 'custom',
      message: `${s} is not an IANA time zone${suggestion(zone, zones) || ' (like America/New_York or Europe/Berlin)'}`,
    });
  }),
};

/** The account's address, and the advanced endpoint overrides `ringback connect` may write. */
const oauthAccount = text('the account\'s email address');
const googleFields = {
  account: oauthAccount,
  apiRoot: webUrl('the Google API root (advanced)').optional(),
  authUrl: webUrl('the Google OAuth authorization address (advanced)').optional(),
  tokenUrl: webUrl('the Google OAuth token address (advanced)').optional(),
};
const microsoftFields = {
  account: oauthAccount,
  authority: webUrl('the Microsoft sign-in authority (advanced)').optional(),
  apiRoot: webUrl('the Microsoft Graph root (advanced)').optional(),
};

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function calendarSchemas(context: SchemaContext) {
  const where = (p: string) => resolveConfigPath(p, context.baseDir, context.homedir, context.platform);
  const ics = strict({
    type: z.literal('ics'),
    id: accountId,
    path: text('a path to an .ics file').optional(),
    url: webUrl('the address of an .ics calendar').optional(),
  })
    .superRefine((c, ctx) => {
      if (c.path !== undefined && c.url !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['url'], message: 'give either path or url, not both' });
      } else if (c.path === undefined && c.url === undefined) {
        ctx.addIssue({ code: 'custom', message: 'needs path (an .ics file) or url (an http or https address)' });
      }
    })
    .transform((c) => {
      const path = c.path === undefined ? undefined : where(c.path);
      const source = path ?? c.url ?? '';
      const id = c.id ?? defaultAccountId({ type: 'ics', path, url: c.url });
      return path !== undefined ? { type: c.type, id, path } : { type: c.type, id, url: source };
    });
  const caldav = strict({
    type: z.literal('caldav'),
    id: accountId,
    url: webUrl('the CalDAV server address'),
    username: text('the CalDAV user name'),
    calendars: z.array(text('a calendar URL'), { error: 'must be a list of calendar URLs' }).default([]),
  }).transform((c) => ({ ...c, id: c.id ?? defaultAccountId(c) }));
  const google = strict({
    type: z.literal('google'),
    id: accountId,
    ...googleFields,
    calendars: z.array(text('a calendar id'), { error: 'must be a list of calendar ids' }).default(['primary']),
  }).transform((c) => ({ ...withoutUndefined(c), id: c.id ?? defaultAccountId(c) }));
  const microsoft = strict({ type: z.literal('microsoft'), id: accountId, ...microsoftFields }).transform((c) => ({
    ...withoutUndefined(c),
    id: c.id ?? defaultAccountId(c),
  }));
  const calendar = z.discriminatedUnion('type', [ics, caldav, google, microsoft], {
    error: typeError(['ics', 'caldav', 'google', 'microsoft'], 'a calendar'),
  });
  return z
    .array(calendar, { error: (iss) => `must be a list of calendars${got(iss.input)}` })
    .superRefine((calendars, ctx) => uniqueIds(calendars, ctx))
    .default([]);
}

/** Messages of a list entry whose `type` picks its shape. */
function typeError(types: readonly string[], what: string) {
  return (iss: z.core.$ZodRawIssue): string => {
    const list = types.join(', ');
    if (iss.code !== 'invalid_union') return `must be ${what}: a mapping with a type (${list})${got(iss.input)}`;
    const input: unknown = iss.input;
    const type = typeof input === 'object' && input !== null ? (input as Record<string, unknown>).type : undefined;
    if (type === undefined) return `required (one of ${list})`;
    const s = shown(type);
    if (typeof type === 'string' && s !== undefined) return `${s} is not one of ${list}${suggestion(type, types)}`;
    return `must be one of ${list}${got(type)}`;
  };
}

function uniqueIds(accounts: readonly { id: string }[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  accounts.forEach((a, i) => {
    const first = seen.get(a.id);
    if (first === undefined) seen.set(a.id, i);
    else ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${a.id}" is already the id of calendars[${first}]; give each an id of its own` });
  });
}

function mailboxSchema(context: SchemaContext) {
  const smtp = (defaultPort: number) =>
    strict({
      host: text('the SMTP server name'),
      port: whole(1, 65535).default(defaultPort),
      secure: z.boolean({ error: (iss) => `must be true or false${got(iss.input)}` }).optional(),
      username: text('the SMTP user name').optional(),
    }, 'the SMTP server settings').transform(({ username, ...s }) => ({
      ...s,
      secure: s.secure ?? s.port === 465,
      ...(username === undefined ? {} : { username }),
    }));
  const maildir = strict({
    type: z.literal('maildir'),
    id: accountId,
    path: text('the path of a Maildir folder'),
    smtp: smtp(587).optional(),
  }).transform(({ smtp, ...m }) => {
    const path = resolveConfigPath(m.path, context.baseDir, context.homedir, context.platform);
    return { type: m.type, id: m.id ?? defaultAccountId({ type: m.type, path }), path, ...(smtp === undefined ? {} : { smtp }) };
  });
  const imap = strict({
    type: z.literal('imap'),
    id: accountId,
    host: text('the IMAP server name'),
    port: whole(1, 65535).default(993),
    secure: z.boolean({ error: (iss) => `must be true or false${got(iss.input)}` }).default(true),
    username: text('the IMAP user name'),
    smtp: smtp(587),
    serverFilesSent: z.boolean({ error: (iss) => `must be true or false${got(iss.input)}` }).default(false),
  }).transform((m) => ({ ...m, id: m.id ?? defaultAccountId(m) }));
  const gmail = strict({ type: z.literal('gmail'), id: accountId, ...googleFields }).transform((m) => ({
    ...withoutUndefined(m),
    id: m.id ?? defaultAccountId(m),
  }));
  const microsoft = strict({ type: z.literal('microsoft'), id: accountId, ...microsoftFields }).transform((m) => ({
    ...withoutUndefined(m),
    id: m.id ?? defaultAccountId(m),
  }));
  return z.discriminatedUnion('type', [maildir, imap, gmail, microsoft], {
    error: typeError(['maildir', 'imap', 'gmail', 'microsoft'], 'a mailbox'),
  });
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const clock = z
  .string({ error: (iss) => `must be a time like "09:00"${got(iss.input)}` })
  .regex(CLOCK, { error: (iss) => `must be a time like "09:00" (HH:MM, 24-hour)${got(iss.input)}` });

function timingSchema() {
  const t = NUMBER_BOUNDS.timing;
  const inRange = (v: number, b: readonly [number, number, number]) => Number.isInteger(v) && v >= b[0] && v <= b[1];
  return strict({
    confirmLeadMinutes: bounded(t.confirmLeadMinutes),
    minLeadMinutes: bounded(t.minLeadMinutes),
    draftHorizonHours: bounded(t.draftHorizonHours),
    waitMinutes: bounded(t.waitMinutes),
    giveUpMinutes: bounded(t.giveUpMinutes),
    thankYouDelayMinutes: bounded(t.thankYouDelayMinutes),
    bufferMinutes: bounded(t.bufferMinutes),
  })
    .superRefine((v, ctx) => {
      if (inRange(v.minLeadMinutes, t.minLeadMinutes) && inRange(v.confirmLeadMinutes, t.confirmLeadMinutes) && v.minLeadMinutes >= v.confirmLeadMinutes) {
        ctx.addIssue({ code: 'custom', path: ['minLeadMinutes'], message: `must be less than confirmLeadMinutes (${v.confirmLeadMinutes}) (got ${v.minLeadMinutes})` });
      }
      if (inRange(v.giveUpMinutes, t.giveUpMinutes) && inRange(v.waitMinutes, t.waitMinutes) && v.giveUpMinutes <= v.waitMinutes) {
        ctx.addIssue({ code: 'custom', path: ['giveUpMinutes'], message: `must be more than waitMinutes (${v.waitMinutes}) (got ${v.giveUpMinutes})` });
      }
    })
    .prefault({});
}

function detectionSchema() {
  const domain = text('a mail domain, like gmail.com')
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: (iss) => `must be a mail domain, like gmail.com${got(iss.input)}` }));
  return strict({
    keywords: z.array(text('a phrase'), { error: (iss) => `must be a list of phrases${got(iss.input)}` }).default([...DEFAULT_KEYWORDS]),
    defaultDirection: oneOf(DIRECTIONS).default('unknown'),
    freeMailDomains: z.array(domain, { error: (iss) => `must be a list of domains${got(iss.input)}` }).default([...DEFAULT_FREE_MAIL_DOMAINS]),
  }).prefault({});
}

function workingHoursSchema() {
  return strict({
    days: z
      .array(whole(1, 7), { error: (iss) => `must be a list of weekdays, 1 = Monday … 7 = Sunday${got(iss.input)}` })
      .min(1, { error: 'must name at least one weekday (1 = Monday … 7 = Sunday)' })
      .default([...DEFAULT_WORKING_HOURS.days]),
    start: clock.default(DEFAULT_WORKING_HOURS.start),
    end: clock.default(DEFAULT_WORKING_HOURS.end),
  })
    .superRefine((w, ctx) => {
      // Checks still run after a bad field; compare only two valid times.
      if (CLOCK.test(w.start) && CLOCK.test(w.end) && w.start >= w.end) ctx.addIssue({ code: 'custom', path: ['end'], message: `must be later than start (${w.start}) (got "${w.end}")` });
    })
    .transform((w) => ({ ...w, days: [...new Set(w.days)].sort((a, b) => a - b) }))
    .prefault({});
}

/** The whole file. Build one per load: defaults for paths depend on where the file is. */
export function configSchema(context: SchemaContext): z.ZodType<ResolvedConfig, unknown> {
  const b = NUMBER_BOUNDS;
  return strict({
    candidate: strict({ ...candidateFields }, 'your name, email, phone and timezone'),
    redis: redisSchema.default({ mode: 'managed' }),
    dataDir: text('a folder')
      .transform((p) => resolveConfigPath(p, context.baseDir, context.homedir, context.platform))
      .default(defaultDataDir(context)),
    prefix: text('a Redis key prefix')
      .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: (iss) => `must be letters, digits, '_' or '-'${got(iss.input)}` })
      .default('ringback'),
    calendars: calendarSchemas(context),
    mailbox: mailboxSchema(context).optional(),
    timing: timingSchema(),
    policy: strict({ askToCallAfter: bounded(b.policy.askToCallAfter), moveOnAfter: bounded(b.policy.moveOnAfter) }).prefault({}),
    confirmations: oneOf(CONFIRMATION_MODES).default('send'),
    detection: detectionSchema(),
    workingHours: workingHoursSchema(),
    sync: strict({ pollSeconds: bounded(b.sync.pollSeconds), horizonDays: bounded(b.sync.horizonDays) }).prefault({}),
    dashboard: strict({ port: bounded(b.dashboard.port) }).prefault({}),
    log: strict({ level: oneOf(LOG_LEVELS).default('info') }).prefault({}),
  }).transform((c): ResolvedConfig => ({ file: context.file, ...c, mailbox: c.mailbox ?? null }));
}
