/**
 * What each field of `ringback.yaml` means, and the bounds and default of every number: defined
 * once here. The schema describes each field with this text (`describe`), `ringback init` writes it
 * as the comment above the field (write.ts), and a test checks that the committed example holds
 * every documented field and no other. The domain never reads this file: it receives the resolved
 * values through its own input types.
 */
import type { PolicySettings, TimingSettings } from '../src/domain/types.js';

/**
 * A field's meaning: one sentence or more, wrapped at 100 columns in the file, or lines already
 * laid out for the file (lists, aligned columns).
 */
export type FieldDoc = string | readonly string[];

/** The doc as one line of text (the schema's description). */
export function docText(doc: FieldDoc): string {
  return typeof doc === 'string' ? doc : doc.map((line) => line.trim()).join(' ');
}

export const CONFIRMATION_MODES = ['send', 'draft', 'off'] as const;
export const DIRECTIONS = ['unknown', 'candidate-calls', 'interviewer-calls'] as const;
export const LOG_LEVELS = ['info', 'fatal', 'error', 'warn', 'debug', 'trace', 'silent'] as const;

/** A whole-number setting: allowed from `min` to `max`, `default` when the file does not give it. */
export interface NumberField {
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly doc: string;
}

/**
 * Every number in the file, by section, in the order the file lists them. `T` is when the
 * interview starts, `E` when it ends.
 */
export const NUMBER_FIELDS = {
  timing: {
    /** @defaultValue 60 */
    confirmLeadMinutes: { min: 15, max: 240, default: 60, doc: 'The confirmation is sent this many minutes before T.' },
    /** @defaultValue 10 */
    minLeadMinutes: { min: 1, max: 60, default: 10, doc: 'An interview found inside confirmLeadMinutes still gets a confirmation, sent at once, if at least this many minutes remain. Less than confirmLeadMinutes.' },
    /** @defaultValue 24 */
    draftHorizonHours: { min: 1, max: 168, default: 24, doc: 'The confirmation is written as a draft this many hours before T, for you to read or edit.' },
    /** @defaultValue 15 */
    waitMinutes: { min: 5, max: 120, default: 15, doc: 'With no call this many minutes after T, a "you did not call" draft is prepared.' },
    /** @defaultValue 30 */
    giveUpMinutes: { min: 10, max: 240, default: 30, doc: 'This many minutes after T, an unsent no-show draft is removed and the call assumed held; a sent one records an interviewer no-show. More than waitMinutes.' },
    /** @defaultValue 60 */
    thankYouDelayMinutes: { min: 0, max: 1440, default: 60, doc: 'The thank-you draft is prepared this many minutes after the interview ends.' },
    /** @defaultValue 30 */
    bufferMinutes: { min: 0, max: 240, default: 30, doc: 'Free minutes kept before and after every time slot ringback proposes.' },
    /** @defaultValue 5 */
    reviewMinutes: { min: 0, max: 60, default: 5, doc: 'A confirmation draft stays in Drafts at least this many minutes before it is sent (when the call is far enough ahead), for you to read it. 0 sends a short-notice confirmation at once.' },
  },
  policy: {
    /** @defaultValue 2 */
    askToCallAfter: { min: 1, max: 10, default: 2, doc: 'From this many no-shows by one company on, the note asks them to call you when convenient instead of offering new times.' },
    /** @defaultValue 2 */
    moveOnAfter: { min: 1, max: 10, default: 2, doc: 'At this many no-shows the company is flagged as a pattern: its confirmations stay drafts until you clear it (`ringback company clear`).' },
  },
  limits: {
    /** @defaultValue 3 */
    emailsPerRecipientPerDay: { min: 1, max: 50, default: 3, doc: 'At most this many emails to one address in any 24 hours; the rest stay drafts, and the audit and `ringback doctor` say so.' },
  },
  sync: {
    /** @defaultValue 60 */
    pollSeconds: { min: 15, max: 86400, default: 60, doc: 'Seconds between calendar checks.' },
    /** @defaultValue 30 */
    horizonDays: { min: 1, max: 366, default: 30, doc: 'How many days ahead recurring events are expanded.' },
  },
  dashboard: {
    /** @defaultValue 7807 */
    port: { min: 1, max: 65535, default: 7807, doc: 'Port.' },
  },
} as const satisfies Record<string, Record<string, NumberField>>;

type NumberSection = keyof typeof NUMBER_FIELDS;

/** Each number's default, by section. */
function defaultsOf<S extends NumberSection>(section: S): { readonly [K in keyof (typeof NUMBER_FIELDS)[S]]: number } {
  const fields = NUMBER_FIELDS[section] as Readonly<Record<string, NumberField>>;
  return Object.fromEntries(Object.entries(fields).map(([key, f]) => [key, f.default])) as { readonly [K in keyof (typeof NUMBER_FIELDS)[S]]: number };
}

/** The timing every interview is planned with when the file sets none. */
export const DEFAULT_TIMING: TimingSettings = defaultsOf('timing');
export const DEFAULT_POLICY: PolicySettings = defaultsOf('policy');
export const DEFAULT_WORKING_HOURS = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' } as const;

/** Title phrases that name an interview (detection's `keyword` signal): the default of `detection.keywords`. */
export const DEFAULT_INTERVIEW_KEYWORDS: readonly string[] = [
  'phone interview',
  'phone screen',
  'phone screening',
  'screening call',
  'recruiter call',
  'phone call with',
  'intro call',
];

/** Domains that never name a company: the default of `detection.freeMailDomains`. */
export const DEFAULT_FREE_MAIL_DOMAINS: readonly string[] = [
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com',
  'yahoo.com', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com',
  'proton.me', 'protonmail.com', 'pm.me', 'gmx.com', 'gmx.net', 'gmx.de', 'web.de',
  'mail.com', 'zoho.com', 'yandex.com', 'fastmail.com', 'hey.com', 'tutanota.com', 'qq.com', '163.com',
]

/** The defaults of the other single-value fields, by the field's path. */
export const DEFAULTS = {
  /** @defaultValue 'managed' */
  redis: 'managed',
  /** @defaultValue 'ringback' */
  prefix: 'ringback',
  /** @defaultValue 'send' */
  confirmations: 'send',
  /** @defaultValue 'unknown' */
  'detection.defaultDirection': 'unknown',
  /** @defaultValue '127.0.0.1' */
  'dashboard.host': '127.0.0.1',
  /** @defaultValue 'info' */
  'log.level': 'info',
} as const satisfies {
  readonly redis: string;
  readonly prefix: string;
  readonly confirmations: (typeof CONFIRMATION_MODES)[number];
  readonly 'detection.defaultDirection': (typeof DIRECTIONS)[number];
  readonly 'dashboard.host': string;
  readonly 'log.level': (typeof LOG_LEVELS)[number];
};
const WORKING_DAYS = `[${DEFAULT_WORKING_HOURS.days.join(', ')}]`;

/** The fields other than the numbers above, by section; a section's own entry documents it whole. */
export const FIELD_DOCS = {
  candidate: {
    name: 'Your name as it appears in emails. Required.',
    email: 'The address your mailbox sends from. Required.',
    phone: 'Your phone number in international form (stored as E.164). Required.',
    timezone: ["The IANA time zone your working hours are in. Required (`ringback init` suggests this system's)."],
  },
  redis: [
    'Where ringback keeps its state and its queue: "managed" starts a private redis-server in',
    'dataDir; otherwise a redis://, rediss:// or unix: URL (Redis 6.2 or later, maxmemory-policy',
    'noeviction). A URL with a password belongs in the REDIS_URL environment variable, which',
    `overrides this field. Default: ${DEFAULTS.redis}.`,
  ],
  dataDir: [
    'Folder for the managed Redis, keys and logs. Default: ~/.local/share/ringback on Linux',
    '($XDG_DATA_HOME/ringback when set), ~/Library/Application Support/ringback on macOS,',
    '%LOCALAPPDATA%\\ringback on Windows.',
  ],
  prefix: [`Prefix of every Redis key, so that several setups can share one Redis. Default: ${DEFAULTS.prefix}.`],
  calendars: [
    'Calendars to watch for phone interviews. Each entry has a `type`:',
    '  ics        a local .ics file (`path:`) or an http(s) address (`url:`); give exactly one',
    '  caldav     `url:` and `username:`; `calendars:` lists calendar URLs (default []: all of them)',
    '  google     `calendars:` lists calendar ids (default [primary])',
    '  microsoft  the Outlook calendar of the account',
    '`id:` names the account (its secrets are stored under it); default: derived from the path or',
    'address. Passwords and tokens never go here: `ringback connect <type>` stores them encrypted.',
    "Relative paths are read from this file's folder.",
  ],
  mailbox: [
    'The mailbox where drafts are written and from which confirmations are sent. `type`:',
    '  maildir    a Maildir++ folder (`path:`) that Dovecot or any mail client can open; with `smtp:`',
    '             sent mail is also relayed: { host, port (default 587), secure (default: port is',
    '             465), username }',
    '  imap       `host:`, `port:` (default 993), `secure:` (default true), `username:`, `smtp:` (as',
    '             above, required), `serverFilesSent:` (true when the server files sent mail itself,',
    '             as Gmail does; default false)',
    '  gmail      a Google account, signed in with `ringback connect google`',
    '  microsoft  an Outlook account, signed in with `ringback connect microsoft`',
    '`id:` as for calendars.',
  ],
  confirmations: [
    `Confirmations: ${CONFIRMATION_MODES.join(' | ')}. send: the draft is sent confirmLeadMinutes before`,
    'the call as you left it (delete it to cancel); draft: it stays a draft for you to send;',
    `off: none is written. Default: ${DEFAULTS.confirmations}.`,
  ],
  detection: {
    keywords: [
      'Title phrases that name an interview, besides the built-in word lists (one of the pieces of',
      'evidence detection weighs; see "How detection decides" in the README).',
    ],
    words: [
      "Phrases added to detection's built-in word lists, by list (interview, phone, video, inPerson,",
      'notInterview, interviewerSide, personal, interviewerCalls, candidateCalls, bridge, …):',
    ],
    defaultDirection: [
      `Who dials whom when a number is written but nothing says whose it is: ${DIRECTIONS.join(' | ')}.`,
      'With no number written at all, the interviewer calls you at candidate.phone.',
      `Default: ${DEFAULTS['detection.defaultDirection']}.`,
    ],
    freeMailDomains: ['Mail domains that name no company (shared providers). Giving a list replaces the default.'],
  },
  workingHours: {
    days: [
      'ISO weekdays, 1 = Monday … 7 = Sunday. Default: the working week where candidate.timezone is,',
      `${WORKING_DAYS} in most places, [7, 1, 2, 3, 4] in Israel and most Arab states, [6, 7, 1, 2, 3] in Iran and Afghanistan.`,
    ],
    start: [`HH:MM, 24-hour; start before end. Defaults: "${DEFAULT_WORKING_HOURS.start}" and "${DEFAULT_WORKING_HOURS.end}".`],
    // The file says it once, above start, for both.
    end: [`HH:MM, 24-hour; later than start. Default: "${DEFAULT_WORKING_HOURS.end}".`],
  },
  dashboard: {
    publicUrl: 'The address your browser opens it at, when that is not http://127.0.0.1:<port> (a port published on another host port, a forward): printed with the token, and the only address it answers to. Default: none.',
    host: `The address it listens on: ${DEFAULTS['dashboard.host']}, this computer only (the default), or 0.0.0.0 in a container whose port is published on the host's 127.0.0.1 (ringback warns at start when it is not a loopback address).`,
  },
  log: {
    level: [`${['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].join(' | ')}. Default: ${DEFAULTS['log.level']}.`],
  },
} as const satisfies Record<string, FieldDoc | Record<string, FieldDoc>>;
