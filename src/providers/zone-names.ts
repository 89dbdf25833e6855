/**
 * The names calendar writers give time zones → the IANA zone the domain speaks. Shared by the
 * Graph adapter (`originalStartTimeZone`) and the iCalendar reader (TZID), which meet the same
 * Windows names.
 *
 * - Windows names ("W. Europe Standard Time"): Outlook, Exchange, Teams, Graph. The table is
 *   CLDR's windowsZones mapping (territory "001"), for the zones people meet in practice. Kept to
 *   CLDR as it is now: "Central Asia Standard Time" (UTC+06:00) is Asia/Bishkek, as Asia/Almaty
 *   moved to UTC+05:00 in 2024 (CLDR-17351) and would read such a call an hour late.
 * - Windows display names ("(UTC-05:00) Eastern Time (US & Canada)"), which Exchange 2010 and
 *   older Outlook write as TZID, and Zimbra's older "(GMT-05.00) Eastern Time (US & Canada)".
 * - Lotus Notes / Domino names: the Windows name without " Standard Time" ("Eastern", "Pacific").
 *
 * An IANA name or a UTC alias passes through, anything else is unknown (null).
 */
import { IANAZone } from 'luxon';
import { remembered } from '../domain/format.js';

const WINDOWS_ZONES: Readonly<Record<string, string>> = {
  'Dateline Standard Time': 'Etc/GMT+12', 'UTC-11': 'Etc/GMT+11', 'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Aleutian Standard Time': 'America/Adak', 'Alaskan Standard Time': 'America/Anchorage', 'UTC-09': 'Etc/GMT+9',
  'Pacific Standard Time (Mexico)': 'America/Tijuana', 'UTC-08': 'Etc/GMT+8', 'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix', 'Mountain Standard Time (Mexico)': 'America/Mazatlan',
  'Mountain Standard Time': 'America/Denver', 'Yukon Standard Time': 'America/Whitehorse',
  'Central America Standard Time': 'America/Guatemala', 'Central Standard Time': 'America/Chicago',
  'Easter Island Standard Time': 'Pacific/Easter', 'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina', 'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time (Mexico)': 'America/Cancun', 'Eastern Standard Time': 'America/New_York',
  'Haiti Standard Time': 'America/Port-au-Prince', 'Cuba Standard Time': 'America/Havana',
  'US Eastern Standard Time': 'America/Indiana/Indianapolis', 'Turks And Caicos Standard Time': 'America/Grand_Turk',
  'Paraguay Standard Time': 'America/Asuncion', 'Atlantic Standard Time': 'America/Halifax',
  'Venezuela Standard Time': 'America/Caracas', 'Central Brazilian Standard Time': 'America/Cuiaba',
  'SA Western Standard Time': 'America/La_Paz', 'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns', 'Tocantins Standard Time': 'America/Araguaina',
  'E. South America Standard Time': 'America/Sao_Paulo', 'SA Eastern Standard Time': 'America/Cayenne',
  'Argentina Standard Time': 'America/Argentina/Buenos_Aires', 'Greenland Standard Time': 'America/Nuuk',
  'Montevideo Standard Time': 'America/Montevideo', 'Magallanes Standard Time': 'America/Punta_Arenas',
  'Saint Pierre Standard Time': 'America/Miquelon', 'Bahia Standard Time': 'America/Bahia', 'UTC-02': 'Etc/GMT+2',
  'Azores Standard Time': 'Atlantic/Azores', 'Cape Verde Standard Time': 'Atlantic/Cape_Verde', UTC: 'UTC',
  'GMT Standard Time': 'Europe/London', 'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Sao Tome Standard Time': 'Africa/Sao_Tome', 'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin', 'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris', 'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos', 'Jordan Standard Time': 'Asia/Amman',
  'GTB Standard Time': 'Europe/Bucharest', 'Middle East Standard Time': 'Asia/Beirut',
  'Egypt Standard Time': 'Africa/Cairo', 'E. Europe Standard Time': 'Europe/Chisinau',
  'Syria Standard Time': 'Asia/Damascus', 'West Bank Standard Time': 'Asia/Hebron',
  'South Africa Standard Time': 'Africa/Johannesburg', 'FLE Standard Time': 'Europe/Kiev',
  'Israel Standard Time': 'Asia/Jerusalem', 'South Sudan Standard Time': 'Africa/Juba',
  'Kaliningrad Standard Time': 'Europe/Kaliningrad', 'Sudan Standard Time': 'Africa/Khartoum',
  'Libya Standard Time': 'Africa/Tripoli', 'Namibia Standard Time': 'Africa/Windhoek',
  'Arabic Standard Time': 'Asia/Baghdad', 'Turkey Standard Time': 'Europe/Istanbul', 'Arab Standard Time': 'Asia/Riyadh',
  'Belarus Standard Time': 'Europe/Minsk', 'Russian Standard Time': 'Europe/Moscow',
  'E. Africa Standard Time': 'Africa/Nairobi', 'Volgograd Standard Time': 'Europe/Volgograd',
  'Iran Standard Time': 'Asia/Tehran', 'Arabian Standard Time': 'Asia/Dubai', 'Astrakhan Standard Time': 'Europe/Astrakhan',
  'Azerbaijan Standard Time': 'Asia/Baku', 'Russia Time Zone 3': 'Europe/Samara', 'Mauritius Standard Time': 'Indian/Mauritius',
  'Saratov Standard Time': 'Europe/Saratov', 'Georgian Standard Time': 'Asia/Tbilisi', 'Caucasus Standard Time': 'Asia/Yerevan',
  'Afghanistan Standard Time': 'Asia/Kabul', 'West Asia Standard Time': 'Asia/Tashkent',
  'Ekaterinburg Standard Time': 'Asia/Yekaterinburg', 'Pakistan Standard Time': 'Asia/Karachi',
  'Qyzylorda Standard Time': 'Asia/Qyzylorda', 'India Standard Time': 'Asia/Kolkata', 'Sri Lanka Standard Time': 'Asia/Colombo',
  'Nepal Standard Time': 'Asia/Kathmandu', 'Central Asia Standard Time': 'Asia/Bishkek', 'Bangladesh Standard Time': 'Asia/Dhaka',
  'Omsk Standard Time': 'Asia/Omsk', 'Myanmar Standard Time': 'Asia/Yangon', 'SE Asia Standard Time': 'Asia/Bangkok',
  'Altai Standard Time': 'Asia/Barnaul', 'W. Mongolia Standard Time': 'Asia/Hovd', 'North Asia Standard Time': 'Asia/Krasnoyarsk',
  'N. Central Asia Standard Time': 'Asia/Novosibirsk', 'Tomsk Standard Time': 'Asia/Tomsk', 'China Standard Time': 'Asia/Shanghai',
  'North Asia East Standard Time': 'Asia/Irkutsk', 'Singapore Standard Time': 'Asia/Singapore',
  'W. Australia Standard Time': 'Australia/Perth', 'Taipei Standard Time': 'Asia/Taipei', 'Ulaanbaatar Standard Time': 'Asia/Ulaanbaatar',
  'Aus Central W. Standard Time': 'Australia/Eucla', 'Transbaikal Standard Time': 'Asia/Chita', 'Tokyo Standard Time': 'Asia/Tokyo',
  'North Korea Standard Time': 'Asia/Pyongyang', 'Korea Standard Time': 'Asia/Seoul', 'Yakutsk Standard Time': 'Asia/Yakutsk',
  'Cen. Australia Standard Time': 'Australia/Adelaide', 'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane', 'AUS Eastern Standard Time': 'Australia/Sydney',
  'West Pacific Standard Time': 'Pacific/Port_Moresby', 'Tasmania Standard Time': 'Australia/Hobart',
  'Vladivostok Standard Time': 'Asia/Vladivostok', 'Lord Howe Standard Time': 'Australia/Lord_Howe',
  'Bougainville Standard Time': 'Pacific/Bougainville', 'Russia Time Zone 10': 'Asia/Srednekolymsk',
  'Magadan Standard Time': 'Asia/Magadan', 'Norfolk Standard Time': 'Pacific/Norfolk', 'Sakhalin Standard Time': 'Asia/Sakhalin',
  'Central Pacific Standard Time': 'Pacific/Guadalcanal', 'Russia Time Zone 11': 'Asia/Kamchatka',
  'New Zealand Standard Time': 'Pacific/Auckland', 'UTC+12': 'Etc/GMT-12', 'Fiji Standard Time': 'Pacific/Fiji',
  'Chatham Islands Standard Time': 'Pacific/Chatham', 'UTC+13': 'Etc/GMT-13', 'Tonga Standard Time': 'Pacific/Tongatapu',
  'Samoa Standard Time': 'Pacific/Apia', 'Line Islands Standard Time': 'Pacific/Kiritimati',
};

/** UTC as Exchange may write it. */
const UTC_ALIASES = new Set(['utc', 'tzone://microsoft/utc', 'coordinated universal time', 'gmt', 'etc/utc', 'etc/gmt', 'z']);

/**
 * Names resolved so far, both ways. Checking a name against the IANA database builds an
 * Intl.DateTimeFormat (some 80 µs), and a calendar names the same few zones on every entry: a
 * 1,500-entry feed spent 120 ms of its 300 ms parse there. Kept by `remembered` (the last 2,000),
 * so an endless stream of made-up names cannot grow it.
 */
const known = new Map<string, string | null>();
const MAX_NAME = 200;

/** The IANA zone for an Outlook time zone name, or null when unknown. */
export function ianaZoneOf(name: string): string | null {
  if (name.length > MAX_NAME) return null;
  return remembered(known, `windows:${name}`, () => windowsZone(name));
}

function windowsZone(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return null;
  if (UTC_ALIASES.has(trimmed.toLowerCase())) return 'UTC';
  const mapped = WINDOWS_ZONES[trimmed];
  if (mapped !== undefined) return canonicalZone(mapped);
  return canonicalZone(trimmed);
}

/**
 * Lower-cased zone name → its spelling: the zones of the Windows table and the runtime's list,
 * then each other valid name (a link such as "US/Eastern") as first met. Built on first use.
 */
let spellings: Map<string, string> | null = null;

function spellingsOf(): Map<string, string> {
  if (spellings === null) {
    spellings = new Map();
    for (const zone of [...Object.values(WINDOWS_ZONES), ...Intl.supportedValuesOf('timeZone')]) {
      if (!spellings.has(zone.toLowerCase())) spellings.set(zone.toLowerCase(), zone);
    }
  }
  return spellings;
}

/**
 * The zone's name in one spelling per zone, or null for no zone. The database takes any case
 * ("eUrOpE/bErLiN"), and luxon keeps a zone object per name it is given, for good: handed the name
 * as the file wrote it, invitations from anyone could grow that memory without end, one spelling
 * at a time. Spelled one way, it holds one per zone (some 600 names with the links). The spelling
 * is the IANA one where known, which the emails read (a 24-hour clock for "Europe/…", the city).
 * Links are kept as written ("Asia/Kolkata" is not made the runtime's "Asia/Calcutta").
 */
function canonicalZone(name: string): string | null {
  if (!IANAZone.isValidZone(name)) return null;
  const known = spellingsOf();
  const key = name.toLowerCase();
  const spelled = known.get(key);
  if (spelled !== undefined) return spelled;
  known.set(key, name);
  return name;
}

/**
 * Windows display names without their "(UTC±hh:mm)" prefix, lower case, separators made commas →
 * the Windows name. From Microsoft's list of Windows time zones
 * (learn.microsoft.com/windows-hardware/manufacture/desktop/default-time-zones), older spellings
 * from Exchange 2003 as sabre/vobject collects them (lib/timezonedata/exchangezones.php) and
 * Zimbra's (zimbra/zm-timezones conf/timezones.ics). Only the zones people meet in practice.
 */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  'international date line west': 'Dateline Standard Time', hawaii: 'Hawaiian Standard Time', alaska: 'Alaskan Standard Time',
  'pacific time (us & canada)': 'Pacific Standard Time', 'pacific time (us & canada), tijuana': 'Pacific Standard Time',
  arizona: 'US Mountain Standard Time', 'mountain time (us & canada)': 'Mountain Standard Time',
  'central time (us & canada)': 'Central Standard Time', saskatchewan: 'Canada Central Standard Time',
  'central america': 'Central America Standard Time', 'guadalajara, mexico city, monterrey': 'Central Standard Time (Mexico)',
  'eastern time (us & canada)': 'Eastern Standard Time', 'indiana (east)': 'US Eastern Standard Time',
  'bogota, lima, quito, rio branco': 'SA Pacific Standard Time', 'bogota, lima, quito': 'SA Pacific Standard Time',
  'atlantic time (canada)': 'Atlantic Standard Time', newfoundland: 'Newfoundland Standard Time',
  brasilia: 'E. South America Standard Time', 'city of buenos aires': 'Argentina Standard Time',
  'buenos aires, georgetown': 'Argentina Standard Time', 'coordinated universal time': 'UTC',
  'dublin, edinburgh, lisbon, london': 'GMT Standard Time', 'greenwich mean time, dublin, edinburgh, lisbon, london': 'GMT Standard Time',
  'greenwich mean time, dublin, edinburgh, london': 'GMT Standard Time', 'monrovia, reykjavik': 'Greenwich Standard Time',
  'amsterdam, berlin, bern, rome, stockholm, vienna': 'W. Europe Standard Time',
  'belgrade, bratislava, budapest, ljubljana, prague': 'Central Europe Standard Time',
  'brussels, copenhagen, madrid, paris': 'Romance Standard Time', 'sarajevo, skopje, warsaw, zagreb': 'Central European Standard Time',
  'west central africa': 'W. Central Africa Standard Time', 'athens, bucharest': 'GTB Standard Time',
  'helsinki, kyiv, riga, sofia, tallinn, vilnius': 'FLE Standard Time',
  jerusalem: 'Israel Standard Time', cairo: 'Egypt Standard Time', 'harare, pretoria': 'South Africa Standard Time',
  istanbul: 'Turkey Standard Time', 'moscow, st. petersburg': 'Russian Standard Time', 'nairobi': 'E. Africa Standard Time',
  'abu dhabi, muscat': 'Arabian Standard Time', 'chennai, kolkata, mumbai, new delhi': 'India Standard Time',
  'kathmandu': 'Nepal Standard Time', 'bangkok, hanoi, jakarta': 'SE Asia Standard Time',
  'beijing, chongqing, hong kong, urumqi': 'China Standard Time', 'kuala lumpur, singapore': 'Singapore Standard Time',
  perth: 'W. Australia Standard Time', taipei: 'Taipei Standard Time', 'osaka, sapporo, tokyo': 'Tokyo Standard Time',
  seoul: 'Korea Standard Time', adelaide: 'Cen. Australia Standard Time', darwin: 'AUS Central Standard Time',
  brisbane: 'E. Australia Standard Time', 'canberra, melbourne, sydney': 'AUS Eastern Standard Time', hobart: 'Tasmania Standard Time',
  'auckland, wellington': 'New Zealand Standard Time',
};

/** "(UTC-05:00) ", "(GMT-05.00) ", "(UTC) ", "(GMT) ": the offset prefix of a display name. */
const DISPLAY_PREFIX = /^\((?:UTC|GMT)(?:([+-])(\d{1,2})[:.](\d{2}))?\)\s*/i;

/**
 * The IANA zone an iCalendar TZID names, or null. Tried in turn: an IANA name (also at the end of
 * a path, as old Thunderbird writes `/mozilla.org/20070129_1/Europe/Berlin`), a UTC alias, a
 * Windows name, a Lotus Notes name, a Windows display name. A display name is taken only when the
 * offset it shows is the standard offset of the zone it maps to, so a mislabelled or unknown
 * variant is never read as a zone of another offset.
 */
export function zoneOfTzid(tzid: string): string | null {
  // No zone's name is this long (the longest display names are under 100 characters); a feed of
  // huge made-up names must not fill the memory of names with them.
  if (tzid.length > MAX_NAME) return null;
  return remembered(known, `tzid:${tzid}`, () => tzidZone(tzid));
}

function tzidZone(tzid: string): string | null {
  const name = tzid.trim().replace(/^"(.*)"$/, '$1').trim();
  if (name === '') return null;
  const direct = ianaZoneOf(name) ?? ianaTail(name);
  if (direct !== null) return direct;
  const lotus = WINDOWS_ZONES[`${name} Standard Time`];
  if (lotus !== undefined) return ianaZoneOf(lotus);
  return displayZone(name);
}

/**
 * The zone a TZID names when read as a Windows name shortened by " Standard Time", as Lotus Notes
 * writes "Pacific" and "Eastern", or null. Asked by the iCalendar reader for a name whose common
 * meaning disagrees with the file's own definition of it: `TZID:GMT` defined with British summer
 * time is "GMT Standard Time", Europe/London (pretalx/pretalx#2588).
 */
export function zoneOfShortWindowsName(tzid: string): string | null {
  if (tzid.length > MAX_NAME) return null;
  const windows = WINDOWS_ZONES[`${tzid.trim()} Standard Time`];
  return windows === undefined ? null : ianaZoneOf(windows);
}

/** The IANA name at the end of a prefixed TZID (`/mozilla.org/20070129_1/Europe/Paris`). */
function ianaTail(name: string): string | null {
  const parts = name.split('/').filter((part) => part !== '');
  for (let take = Math.min(parts.length, 3); take >= 1; take -= 1) {
    const zone = canonicalZone(parts.slice(-take).join('/'));
    if (zone !== null) return zone;
  }
  return null;
}

function displayZone(name: string): string | null {
  const prefix = DISPLAY_PREFIX.exec(name);
  if (!prefix) return null;
  const text = name
    .slice(prefix[0].length)
    .toLowerCase()
    .replace(/\s*[,;/:]\s*/g, ', ')
    .replace(/\s+/g, ' ')
    .trim();
  const windows = DISPLAY_NAMES[text];
  const zone = windows === undefined ? null : ianaZoneOf(windows);
  if (zone === null) return null;
  const shown = prefix[1] === undefined ? 0 : (prefix[1] === '-' ? -1 : 1) * (Number(prefix[2]) * 60 + Number(prefix[3]));
  return standardOffsetMinutes(zone) === shown ? zone : null;
}

/** The smaller of a zone's January and July offsets in 2025: its standard time on both hemispheres. */
function standardOffsetMinutes(zone: string): number {
  const iana = IANAZone.create(zone);
  return Math.min(iana.offset(Date.UTC(2025, 0, 15)), iana.offset(Date.UTC(2025, 6, 15)));
}
