/**
 * The resolved configuration: `ringback.yaml` parsed once, validated whole, every default filled.
 * Modules receive this (or the part they need); none of them reads `process.env` or the file.
 */
import type { LOG_LEVELS } from './fields.js';
import type { DetectionSettings } from '../src/domain/detect.js';
import type { WorkingHours } from '../src/domain/slots.js';
import type { Candidate, ConfirmationMode, PolicySettings, TimingSettings } from '../src/domain/types.js';

// The sections the domain reads are the domain's own input types: config/ depends on the domain,
// never the reverse. What each field means to the user is documented in fields.ts.
export type { DetectionSettings, WorkingHours };

export type RedisSetting = { readonly mode: 'managed' } | { readonly mode: 'url'; readonly url: string };

export interface IcsCalendarConfig {
  readonly type: 'ics';
  /** Account id: given in the file, or derived from the path or URL so that it stays stable. */
  readonly id: string;
  readonly path?: string;
  readonly url?: string;
}
export interface CaldavCalendarConfig {
  readonly type: 'caldav';
  readonly id: string;
  readonly url: string;
  readonly username: string;
  /** Calendar URLs picked at connect time; empty means every calendar found. */
  readonly calendars: readonly string[];
}
/** Advanced: where the Google APIs and OAuth endpoints are (tests, proxies). */
export interface GoogleOverrides {
  /** API root for every Google API; its path is ignored. @defaultValue https://www.googleapis.com/ */
  readonly apiRoot?: string;
  readonly authUrl?: string;
  readonly tokenUrl?: string;
}
export interface GoogleCalendarConfig extends GoogleOverrides {
  readonly type: 'google';
  readonly id: string;
  /** The Google account's address. */
  readonly account: string;
  /** Calendar ids; default `primary`. */
  readonly calendars: readonly string[];
}
/** Advanced: another cloud's or a test server's sign-in and Graph. */
export interface MicrosoftOverrides {
  /** @defaultValue https://login.microsoftonline.com/common */
  readonly authority?: string;
  /** @defaultValue https://graph.microsoft.com/v1.0 */
  readonly apiRoot?: string;
}
export interface MicrosoftCalendarConfig extends MicrosoftOverrides {
  readonly type: 'microsoft';
  readonly id: string;
  /** The account's address (user principal name). */
  readonly account: string;
}
export type CalendarConfig =
  | IcsCalendarConfig
  | CaldavCalendarConfig
  | GoogleCalendarConfig
  | MicrosoftCalendarConfig;

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (465). STARTTLS is used when offered otherwise. */
  readonly secure: boolean;
  readonly username?: string;
}
export interface MaildirMailboxConfig {
  readonly type: 'maildir';
  readonly id: string;
  readonly path: string;
  /** When present, `send` also relays through this server. */
  readonly smtp?: SmtpConfig;
}
export interface ImapMailboxConfig {
  readonly type: 'imap';
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly username: string;
  readonly smtp: SmtpConfig;
  /** True when the provider files sent mail itself (Gmail). */
  readonly serverFilesSent: boolean;
}
export interface GmailMailboxConfig extends GoogleOverrides {
  readonly type: 'gmail';
  readonly id: string;
  readonly account: string;
}
export interface MicrosoftMailboxConfig extends MicrosoftOverrides {
  readonly type: 'microsoft';
  readonly id: string;
  readonly account: string;
}
export type MailboxConfig = MaildirMailboxConfig | ImapMailboxConfig | GmailMailboxConfig | MicrosoftMailboxConfig;

/**
 * Every field resolved: what each means, its bounds and its default are in fields.ts (the one
 * place; the schema, `ringback init` and the example take them from there).
 */
export interface ResolvedConfig {
  /** The file it came from, or null for the embedded default. */
  readonly file: string | null;
  readonly candidate: Candidate;
  readonly redis: RedisSetting;
  readonly dataDir: string;
  /** Key prefix in Redis, wrapped as a Cluster hash tag by the store. */
  readonly prefix: string;
  readonly calendars: readonly CalendarConfig[];
  readonly mailbox: MailboxConfig | null;
  readonly timing: TimingSettings;
  readonly policy: PolicySettings;
  readonly confirmations: ConfirmationMode;
  readonly limits: { readonly emailsPerRecipientPerDay: number };
  readonly detection: DetectionSettings;
  readonly workingHours: WorkingHours;
  readonly sync: { readonly pollSeconds: number; readonly horizonDays: number };
  readonly dashboard: {
    readonly port: number;
    /**
     * Anything but a loopback address lets other machines ask for its pages (the token still
     * guards them).
     */
    readonly host: string;
    /** The origin a browser opens it at: the address printed, and the only Host and Origin accepted. */
    readonly publicUrl: string | null;
  };
  readonly log: { readonly level: (typeof LOG_LEVELS)[number] };
}
