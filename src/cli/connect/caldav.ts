/**
 * `ringback connect caldav`: a CalDAV account (iCloud, Fastmail, Nextcloud, any server) with a
 * username and an app password. It discovers the calendars (which also checks the password), lets
 * the user pick some, reads them once, and returns a `caldav` calendar account with
 * `secrets[id].password`. A failure is one line saying what failed; the password is never printed.
 *
 * Picking: `--calendar` (repeatable) names calendars by URL or display name; without it, a
 * terminal asks (Enter keeps all); elsewhere every calendar is read. "All" is written as an empty
 * list, so that calendars made later are read too.
 */
import { defaultAccountId } from '../../../config/schema.js';
import type { CaldavCalendarConfig } from '../../../config/types.js';
import { BadInputError } from '../../errors.js';
import { createCaldavSource, discoverCaldavCalendars, type DiscoveredCalendar } from '../../providers/calendar/caldav.js';
import { describeConnectFailure } from './imap.js';
import type { ConnectIO, ConnectResult } from './types.js';

export interface CaldavPreset {
  readonly label: string;
  /** Server address; `<host>` stands for the user's own server name. */
  readonly url: string;
  readonly appPasswordHelp: string;
}

/** CalDAV addresses of the providers the README documents. */
export const CALDAV_PRESETS: Readonly<Record<'icloud' | 'fastmail' | 'nextcloud', CaldavPreset>> = {
  icloud: {
    label: 'iCloud Calendar',
    url: 'https://caldav.icloud.com',
    appPasswordHelp: 'account.apple.com → Sign-In and Security → App-Specific Passwords',
  },
  fastmail: {
    label: 'Fastmail',
    url: 'https://caldav.fastmail.com/dav/',
    appPasswordHelp: 'Settings → Privacy & Security → App passwords (access: CalDAV)',
  },
  nextcloud: {
    label: 'Nextcloud',
    url: 'https://<host>/remote.php/dav',
    appPasswordHelp: 'Personal settings → Security → Devices & sessions → Create new app password',
  },
};

export interface CaldavConnectFlags {
  readonly preset?: keyof typeof CALDAV_PRESETS;
  /** Server address; for `--preset nextcloud`, the server name is enough. */
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
  /** Calendars to read, by URL or display name; none means every calendar. */
  readonly calendar?: readonly string[];
}

/** How far ahead the first read looks, as the daemon's default horizon. */
const CHECK_DAYS = 30;

function serverUrl(value: string, flag: string): string {
  const text = value.trim();
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new BadInputError(`${flag}: expected the server address, like https://caldav.fastmail.com/dav/`);
  }
  if (url.username || url.password) throw new BadInputError(`${flag}: leave the user name and password out of the address; give --username instead`);
  return url.href;
}

async function presetUrl(flags: CaldavConnectFlags, io: ConnectIO): Promise<string | undefined> {
  if (!flags.preset) return undefined;
  const preset = CALDAV_PRESETS[flags.preset];
  if (!preset) throw new BadInputError(`--preset: "${String(flags.preset)}" is not one of ${Object.keys(CALDAV_PRESETS).join(', ')}`);
  io.say(`${preset.label}: make an app password at ${preset.appPasswordHelp}`);
  if (!preset.url.includes('<host>')) return flags.url ?? preset.url;
  const given = flags.url ?? (await io.ask('Nextcloud server name (like cloud.example.org)', { flag: '--url' }));
  const host = given.trim().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) throw new BadInputError(`--url: "${host.slice(0, 80)}" is not a server name like cloud.example.org`);
  return preset.url.replace('<host>', host);
}

/** Asks which calendars to read; null means all. Without a terminal, all. */
async function pick(found: readonly DiscoveredCalendar[], flags: CaldavConnectFlags, io: ConnectIO): Promise<string[] | null> {
  if (flags.calendar && flags.calendar.length > 0) {
    return flags.calendar.map((wanted) => {
      const match = found.find((c) => c.url === wanted || c.url === serverUrlOrNull(wanted) || c.displayName.toLowerCase() === wanted.trim().toLowerCase());
      if (!match) throw new BadInputError(`--calendar: "${wanted.slice(0, 120)}" is not one of ${found.map((c) => `"${c.displayName}"`).join(', ')}`);
      return match.url;
    });
  }
  if (found.length === 1) return null;
  found.forEach((c, i) => io.say(`  ${i + 1}. ${c.displayName}  ${c.url}`));
  let answer: string;
  try {
    answer = await io.ask('Calendars to read (numbers separated by commas; Enter for all)', { flag: '--calendar' });
  } catch (error) {
    // No terminal to ask on: the documented default is every calendar.
    if (error instanceof BadInputError) return null;
    throw error;
  }
  if (answer.trim() === '') return null;
  return answer.split(',').map((part) => {
    const index = Number(part.trim()) - 1;
    const chosen = found[index];
    if (!Number.isInteger(index) || !chosen) throw new BadInputError(`--calendar: "${part.trim().slice(0, 20)}" is not a number from 1 to ${found.length}`);
    return chosen.url;
  });
}

function serverUrlOrNull(text: string): string | null {
  return URL.canParse(text.trim()) ? new URL(text.trim()).href : null;
}

export async function connectCaldav(flags: CaldavConnectFlags, io: ConnectIO): Promise<ConnectResult> {
  const url = serverUrl((await presetUrl(flags, io)) ?? flags.url ?? (await io.ask('CalDAV server address (like https://caldav.fastmail.com/dav/)', { flag: '--url' })), '--url');
  const username = (flags.username ?? (await io.ask('User name (usually the email address)', { flag: '--username' }))).trim();
  if (!username || /[\r\n]/.test(username)) throw new BadInputError('--username: give the account user name, usually the email address');
  const password = flags.password ?? (await io.ask('App password', { secret: true, flag: '--password' }));
  if (!password) throw new BadInputError('--password: give the app password of the account');
  const host = new URL(url).host;
  const where = `CalDAV ${host}`;

  let found: DiscoveredCalendar[];
  try {
    found = await discoverCaldavCalendars({ url, username, password, signal: io.signal });
  } catch (error) {
    throw new BadInputError(`connect caldav: ${describeConnectFailure(error, where, new URL(url).hostname)}`);
  }
  if (found.length === 0) throw new BadInputError(`connect caldav: ${where}: no calendar with events found for ${username}`);
  const chosen = await pick(found, flags, io);

  const id = defaultAccountId({ type: 'caldav', url, username });
  const source = createCaldavSource({ id, url, username, password, calendars: chosen ?? [], horizonDays: CHECK_DAYS, now: Date.now });
  let events = 0;
  let skipped = 0;
  try {
    for await (const page of source.sync(null, io.signal)) {
      events += page.upserts.length;
      skipped += page.skipped.length;
    }
  } catch (error) {
    throw new BadInputError(`connect caldav: ${describeConnectFailure(error, where, new URL(url).hostname)}`);
  } finally {
    await source.close();
  }
  const names = (chosen ?? found.map((c) => c.url)).map((u) => found.find((c) => c.url === u)?.displayName ?? u);
  io.say(`${where}: read ${names.join(', ')}: ${events} events in the next ${CHECK_DAYS} days${skipped ? `, ${skipped} entries skipped` : ''}`);

  const calendar: CaldavCalendarConfig = { type: 'caldav', id, url, username, calendars: chosen ?? [] };
  return { calendars: [calendar], mailbox: null, secrets: { [id]: { password } } };
}
