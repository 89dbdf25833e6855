/**
 * The sections of `ringback.yaml` other than the accounts: `candidate`, `redis`, `timing`,
 * `detection` and `workingHours`, with the bounds and defaults of every number and the fixed
 * choices the file may hold.
 */
import { SIGNALS } from '../src/domain/detection/words.js';
import { knownZone } from '../src/domain/format.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { isIP } from 'node:net';
import { z } from 'zod';
import { isClusterUrl, parseClusterUrl } from './cluster-url.js';
import { suggestion } from './did-you-mean.js';
import { CONFIRMATION_MODES, DEFAULT_FREE_MAIL_DOMAINS, DEFAULT_INTERVIEW_KEYWORDS, DEFAULTS, DEFAULT_WORKING_HOURS, DIRECTIONS, docText, FIELD_DOCS, LOG_LEVELS, NUMBER_FIELDS, type NumberField } from './fields.js';
import { bounded, got, oneOf, shown, strict, text, webUrl, whole } from './schema-fields.js';
import type { RedisSetting } from './types.js';

export { CONFIRMATION_MODES, DEFAULT_WORKING_HOURS, DIRECTIONS, LOG_LEVELS };

type Bounds = readonly [min: number, max: number, defaultValue: number];

/** Bounds and defaults of every number in the file, [min, max, default], as fields.ts defines them. */
export const NUMBER_BOUNDS = Object.fromEntries(
  Object.entries(NUMBER_FIELDS).map(([section, fields]) => [
    section,
    Object.fromEntries(Object.entries(fields).map(([key, f]: [string, NumberField]) => [key, [f.min, f.max, f.default] as const])),
  ]),
) as { readonly [S in keyof typeof NUMBER_FIELDS]: { readonly [K in keyof (typeof NUMBER_FIELDS)[S]]: Bounds } };

/** A number field of the file: its bounds, its default and its meaning, from fields.ts. */
export function numberField(field: NumberField) {
  return bounded([field.min, field.max, field.default]).describe(field.doc);
}

/**
 * 'managed', or a redis://, rediss:// or unix: URL, or a Redis Cluster as
 * redis+cluster://host:port,host:port (config/cluster-url.ts). Passwords belong in REDIS_URL,
 * not in the file.
 */
export function parseRedisSetting(value: string, options: { allowPassword: boolean }): RedisSetting | string {
  const expected = '"managed" or a redis://, rediss:// or unix: URL';
  const trimmed = value.trim();
  if (trimmed === 'managed') return { mode: 'managed' };
  if (isClusterUrl(trimmed)) {
    const cluster = parseClusterUrl(trimmed);
    if (typeof cluster === 'string') return cluster;
    if (!options.allowPassword && cluster.password !== undefined) {
      return 'must not hold a password: set the REDIS_URL environment variable instead';
    }
    return { mode: 'url', url: trimmed };
  }
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

export const redisSchema = z
  .string({ error: (iss) => `must be "managed" or a redis://, rediss:// or unix: URL${got(iss.input)}` })
  .transform((value, ctx): RedisSetting => {
    const parsed = parseRedisSetting(value, { allowPassword: false });
    if (typeof parsed !== 'string') return parsed;
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  });

export const candidateFields = {
  name: text('your name').describe(docText(FIELD_DOCS.candidate.name)),
  email: text('an email address, like ada@example.org')
    .pipe(z.email({ error: (iss) => `must be an email address, like ada@example.org${got(iss.input)}` }))
    .transform((s) => s.toLowerCase())
    .describe(docText(FIELD_DOCS.candidate.email)),
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
    })
    .describe(docText(FIELD_DOCS.candidate.phone)),
  // Any case is taken ("america/new_york"), and kept as tzdata writes it: every table read by a
  // zone's name (the 24-hour clock, the words for a zone, the weekend) knows it so.
  timezone: text('an IANA time zone, like America/New_York').transform((zone, ctx) => {
    const spelled = knownZone(zone);
    if (spelled !== null) return spelled;
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
    const s = shown(zone) ?? 'this';
    ctx.addIssue({
      code: 'custom',
      message: `${s} is not an IANA time zone${suggestion(zone, zones) || ' (like America/New_York or Europe/Berlin)'}`,
    });
    return z.NEVER;
  }).describe(docText(FIELD_DOCS.candidate.timezone)),
};

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const clock = z
  .string({ error: (iss) => `must be a time like "09:00"${got(iss.input)}` })
  .regex(CLOCK, { error: (iss) => `must be a time like "09:00" (HH:MM, 24-hour)${got(iss.input)}` });

export function timingSchema() {
  const t = NUMBER_BOUNDS.timing;
  const inRange = (v: number, b: readonly [number, number, number]) => Number.isInteger(v) && v >= b[0] && v <= b[1];
  return strict({
    confirmLeadMinutes: numberField(NUMBER_FIELDS.timing.confirmLeadMinutes),
    minLeadMinutes: numberField(NUMBER_FIELDS.timing.minLeadMinutes),
    draftHorizonHours: numberField(NUMBER_FIELDS.timing.draftHorizonHours),
    waitMinutes: numberField(NUMBER_FIELDS.timing.waitMinutes),
    giveUpMinutes: numberField(NUMBER_FIELDS.timing.giveUpMinutes),
    thankYouDelayMinutes: numberField(NUMBER_FIELDS.timing.thankYouDelayMinutes),
    bufferMinutes: numberField(NUMBER_FIELDS.timing.bufferMinutes),
    reviewMinutes: numberField(NUMBER_FIELDS.timing.reviewMinutes),
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

/** The word lists a user may extend (`detection.words`); `blockOpen` is internal. */
export const WORD_SIGNALS = SIGNALS.filter((s) => s !== 'blockOpen') as [string, ...string[]];

export function detectionSchema() {
  const domain = text('a mail domain, like gmail.com')
    .transform((s) => s.toLowerCase())
    .pipe(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: (iss) => `must be a mail domain, like gmail.com${got(iss.input)}` }));
  return strict({
    keywords: z.array(text('a phrase'), { error: (iss) => `must be a list of phrases${got(iss.input)}` }).default([...DEFAULT_INTERVIEW_KEYWORDS]).describe(docText(FIELD_DOCS.detection.keywords)),
    defaultDirection: oneOf(DIRECTIONS).default(DEFAULTS['detection.defaultDirection']).describe(docText(FIELD_DOCS.detection.defaultDirection)),
    freeMailDomains: z.array(domain, { error: (iss) => `must be a list of domains${got(iss.input)}` }).default([...DEFAULT_FREE_MAIL_DOMAINS]).describe(docText(FIELD_DOCS.detection.freeMailDomains)),
    // Phrases added to the built-in word lists, by signal; see the README's "How detection decides".
    words: z
      .partialRecord(
        z.enum(WORD_SIGNALS, { error: (iss) => `is not a word list; known: ${WORD_SIGNALS.join(', ')}${got(iss.input)}` }),
        z.array(text('a phrase').pipe(z.string().max(200, { error: 'must be at most 200 characters' })), { error: (iss) => `must be a list of phrases${got(iss.input)}` }).max(500, { error: 'must hold at most 500 phrases' }),
        { error: (iss) => `must map word lists to phrases, like "phone: [Telefonat]"${got(iss.input)}` },
      )
      .optional()
      .describe(docText(FIELD_DOCS.detection.words)),
  }).prefault({});
}

export function workingHoursSchema() {
  return strict({
    days: z
      .array(whole(1, 7), { error: (iss) => `must be a list of weekdays, 1 = Monday … 7 = Sunday${got(iss.input)}` })
      .min(1, { error: 'must name at least one weekday (1 = Monday … 7 = Sunday)' })
      // Left out: the week of the candidate's zone, which schema.ts fills in once it knows the zone.
      .optional()
      .describe(docText(FIELD_DOCS.workingHours.days)),
    start: clock.default(DEFAULT_WORKING_HOURS.start).describe(docText(FIELD_DOCS.workingHours.start)),
    end: clock.default(DEFAULT_WORKING_HOURS.end).describe(docText(FIELD_DOCS.workingHours.end)),
  })
    .superRefine((w, ctx) => {
      // Checks still run after a bad field; compare only two valid times.
      if (CLOCK.test(w.start) && CLOCK.test(w.end) && w.start >= w.end) ctx.addIssue({ code: 'custom', path: ['end'], message: `must be later than start (${w.start}) (got "${w.end}")` });
    })
    .transform((w) => ({ ...w, days: w.days === undefined ? undefined : [...new Set(w.days)].sort((a, b) => a - b) }))
    .prefault({});
}

/**
 * Whether the dashboard, listening on `host`, can be reached from this machine only: any of
 * 127.0.0.0/8 binds the loopback interface. Not the rule for where a password may go without
 * encryption (src/providers/loopback.ts `isLoopbackHost`, three addresses only).
 */
export function listensOnThisMachineOnly(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * `dashboard`: where it listens, and the address a browser opens it at when that is not
 * `http://127.0.0.1:<port>` (a port published by Docker on another host port, a forward).
 */
export function dashboardSchema() {
  const host = text('an IP address to listen on').refine((value) => value === '' || value === 'localhost' || isIP(value) !== 0, {
    error: (iss) => `must be an IP address to listen on, like 127.0.0.1 (this computer only) or 0.0.0.0 (every interface, in a container)${got(iss.input)}`,
  });
  const publicUrl = webUrl('the address your browser opens the dashboard at, like http://127.0.0.1:7807')
    .refine((value) => {
      // Not a URL at all is webUrl's message.
      const url = URL.canParse(value) ? new URL(value) : null;
      return url === null || ((url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '');
    }, { error: 'must be the address alone (scheme, host and port), like http://127.0.0.1:7807, without a path' })
    // The origin is what a browser sends in Origin and (without the scheme) in Host.
    .transform((value) => (URL.canParse(value) ? new URL(value).origin : value));
  return strict({
    port: numberField(NUMBER_FIELDS.dashboard.port),
    host: host.default(DEFAULTS['dashboard.host']).describe(docText(FIELD_DOCS.dashboard.host)),
    publicUrl: publicUrl.optional().describe(docText(FIELD_DOCS.dashboard.publicUrl)),
  })
    .prefault({})
    .transform((d) => ({ ...d, publicUrl: d.publicUrl ?? null }));
}
