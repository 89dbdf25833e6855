/**
 * How people write a time zone after a clock reading in an email: "9:00 AM Pacific", "18:00 CET",
 * "14:00 UK time", "10:00 AM India time". Data only; `zones.ts` reads it.
 *
 * Keys are the runtime's generic English zone names (Intl `longGeneric`, e.g. "Central European
 * Time"); a zone whose generic name is not listed is written as its short generic name with
 * "time" ("Singapore time", "Sydney time"), or its IANA city when the runtime has no name.
 *
 * Sources: US style guides write the region alone or with "time" after a clock reading and accept
 * the catch-all ET/PT over EST/EDT (https://episcopalchurch.org/styleguide/time-zones/amp; "do not
 * specify daylight time or standard time … Pacific time",
 * https://documentation.avaya.com/en-us/home/bundle/avaya-documentation-standards/AvayaGISCustomerDocStandards/WritingConventions/time-and-time-zones/FormatForTimeZoneNames.html);
 * European zones are written by abbreviation after a 24-hour clock ("CET for Central European
 * Time", https://howtosayguide.com/how-to-say-time-zone-in-email).
 */

/** North American zones are named by their region alone: "9:00 AM Eastern". */
export const REGION_WORDS: Readonly<Record<string, string>> = {
  'Eastern Time': 'Eastern',
  'Central Time': 'Central',
  'Mountain Time': 'Mountain',
  'Pacific Time': 'Pacific',
  'Alaska Time': 'Alaska',
  'Hawaii-Aleutian Time': 'Hawaii',
  // Honolulu keeps standard time all year, so the runtime names it by its standard time.
  'Hawaii-Aleutian Standard Time': 'Hawaii',
  'Atlantic Time': 'Atlantic',
  'Newfoundland Time': 'Newfoundland',
};

/**
 * Zones written by abbreviation, standard and summer time;
 * only abbreviations with one meaning are listed. IST is India, Ireland and Israel, CST US Central,
 * China and Cuba, AST Atlantic and Arabia (https://timemeaning.com/learn/ambiguous-timezone-abbreviations):
 * those zones are written by place ("India time", "Ireland time", "Israel time", "China time"). [standard, summer] by UTC offset in
 * minutes ([offset, name] pairs). "18:00 CET" in winter, "18:00 CEST" in summer.
 */
export const ABBREVIATIONS: Readonly<Record<string, readonly (readonly [number, string])[]>> = {
  'Central European Time': [
    [60, 'CET'],
    [120, 'CEST'],
  ],
  'Eastern European Time': [
    [120, 'EET'],
    [180, 'EEST'],
  ],
  'Western European Time': [
    [0, 'WET'],
    [60, 'WEST'],
  ],
  // Not "BST" in summer: Bangladesh Standard Time is also BST, so "10:00 BST" in a note to Dhaka
  // names the reader's own clock (https://timemeaning.com/learn/ambiguous-timezone-abbreviations).
  'United Kingdom Time': [
    [0, 'GMT'],
    [60, 'UK time'],
  ],
  'Japan Standard Time': [[540, 'JST']],
  'Korean Standard Time': [[540, 'KST']],
};

/**
 * Zones whose runtime name misleads a reader, by IANA name. Arizona keeps standard time all year
 * ("MST" while Denver is on MDT, so "Mountain" would be an hour wrong in summer), and Adak keeps
 * daylight time that Honolulu does not (both "Hawaii-Aleutian"); the others are
 * names the runtime writes awkwardly ("Hong Kong SAR China Time").
 */
export const ZONE_WORDS: Readonly<Record<string, string>> = {
  'America/Phoenix': 'Arizona time',
  'US/Arizona': 'Arizona time',
  'Asia/Hong_Kong': 'Hong Kong time',
  'Hongkong': 'Hong Kong time',
  'Asia/Yangon': 'Myanmar time',
  'Asia/Rangoon': 'Myanmar time',
  // Adak keeps US daylight time (UTC−9 in summer) and Honolulu does not (UTC−10 all year), but the
  // runtime names both "Hawaii-Aleutian": "10:00 AM Hawaii" from Adak in July is 9:00 AM in Honolulu
  // (https://hex.pm/packages/naiveical/0.1.2/files/priv/zoneinfo/America/Atka.ics,
  // https://opensource.apple.com/source/CPANInternal/CPANInternal-108/DateTime-TimeZone/lib/DateTime/TimeZone/Pacific/Honolulu.pm.auto.html).
  'America/Adak': 'Adak time',
  'America/Atka': 'Adak time',
  'US/Aleutian': 'Adak time',
};

/** Universal time: a zone that says nothing about where anyone is. */
export const UNIVERSAL_ZONES: readonly string[] = [
  'UTC',
  'Etc/UTC',
  'Etc/UCT',
  'UCT',
  'Etc/Universal',
  'Universal',
  'Etc/Zulu',
  'Zulu',
  'GMT',
  'Etc/GMT',
  'Etc/GMT0',
  'Etc/GMT+0',
  'Etc/GMT-0',
  'GMT0',
  'GMT+0',
  'GMT-0',
  'Etc/Greenwich',
  'Greenwich',
];
