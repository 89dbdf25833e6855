/**
 * Phone numbers: finding them in event text, and showing them to people.
 *
 * Every number leaves this module as E.164 (`+14155550100`), the form the store, the CLI
 * (`interviews --json`) and the emails compare. An extension cannot be written in E.164, so it
 * travels beside the number in {@link FoundPhone.extension}.
 *
 * Pure: libphonenumber-js with its bundled metadata, no I/O.
 */
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  searchPhoneNumbersInText,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js';

/** A number found in free text. */
export interface FoundPhone {
  /** E.164, without extension. */
  readonly e164: string;
  /** Digits of an extension (`ext. 23`, `;ext=23`, `x23`), or null. */
  readonly extension: string | null;
}

/**
 * How much of one text is searched for numbers. The matcher is linear but slow on digit-dense
 * junk (about 6 µs a character), and event descriptions are attacker-controlled: anyone can send
 * an invitation. 32 KB keeps the worst case near 200 ms while covering real invitations, where
 * the number sits near the top or in a dial-in block of a few KB.
 * @defaultValue 32768
 */
export const PHONE_SCAN_LIMIT = 32_768;

/** At most this many numbers are taken from one text; later ones are never the one to dial. */
export const MAX_PHONES_PER_TEXT = 20;

const E164_SHAPE = /^\+[1-9]\d{1,14}$/;

/**
 * Format characters (bidi overrides, zero-width joiners) can sit inside a number to disguise it;
 * they carry no digits, so they are removed before searching.
 */
const FORMAT_CHARS = /\p{Cf}/gu;

function toRegion(region: string | undefined): CountryCode | undefined {
  if (region === undefined) return undefined;
  const upper = region.toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

/**
 * Every valid number in `text`, in order of appearance, without duplicates. Numbers written
 * without a country code are read in `defaultRegion` (ISO 3166 alpha-2, e.g. `US`).
 * `tel:` URIs (RFC 3966, including `;ext=`) are understood.
 */
export function findPhoneNumbers(text: string, defaultRegion?: string): FoundPhone[] {
  const region = toRegion(defaultRegion);
  const scanned = text.slice(0, PHONE_SCAN_LIMIT).replace(FORMAT_CHARS, '');
  const found: FoundPhone[] = [];
  const seen = new Set<string>();
  const matches = searchPhoneNumbersInText(scanned, region === undefined ? {} : { defaultCountry: region });
  for (const match of matches) {
    const e164 = match.number.number;
    if (!seen.has(e164) && E164_SHAPE.test(e164)) {
      seen.add(e164);
      found.push({ e164, extension: match.number.ext ?? null });
    }
    if (found.length >= MAX_PHONES_PER_TEXT) break;
  }
  return found;
}

function parseE164(e164: string): PhoneNumber | undefined {
  if (!E164_SHAPE.test(e164)) return undefined;
  return parsePhoneNumberFromString(e164);
}

/** "00" then a country code at the start of a number; Australia's "0011" is left to its own reading. */
const IDD_00 = /^\s*00(?=[1-9])(?!11)/;

/**
 * Reads one number written by a person (`+1 415 555 0100`, `(415) 555-0100`, `tel:+1…`) and
 * returns it as E.164, or null when it is not a valid number.
 */
export function toE164(written: string, defaultRegion?: string): string | null {
  const region = toRegion(defaultRegion);
  const text = written.slice(0, 200).replace(FORMAT_CHARS, '');
  const parsed = parsePhoneNumberFromString(text, region);
  if (parsed !== undefined && parsed.isValid()) return E164_SHAPE.test(parsed.number) ? parsed.number : null;
  // "0044 161 496 0750": Europe's way out of the country, written for a reader anywhere. Read where
  // "00" is not the way out (the United States dial 011) only when the number is valid after it.
  const abroad = IDD_00.exec(text);
  return abroad === null ? null : toE164(`+${text.slice(abroad[0].length)}`);
}

/** True when `e164` is written in E.164 and is a valid number for its country. */
export function isPlausibleNumber(e164: string): boolean {
  return parseE164(e164)?.isValid() ?? false;
}

/** The country (ISO 3166 alpha-2) a number belongs to, or undefined (non-geographic or invalid). */
export function regionOf(e164: string): string | undefined {
  return parseE164(e164)?.country;
}

/**
 * A number as a person reads it: national format when the viewer is in the number's country
 * (`(415) 555-0100`), international otherwise (`+1 415 555 0100`). Text that is not E.164 is
 * returned as given, so that a display never fails.
 */
export function formatPhone(e164: string, viewerRegion?: string): string {
  const parsed = parseE164(e164);
  if (parsed === undefined) return e164;
  const viewer = toRegion(viewerRegion);
  if (viewer !== undefined && parsed.country === viewer) return parsed.formatNational();
  return parsed.formatInternational();
}
