/**
 * What the iCalendar modules share: {@link SkipEvent}, the error that leaves one entry out with a
 * reason for the audit, and the cleaning of the text values ical.js hands back (control
 * characters, line breaks, lengths).
 */
import type ICAL from 'ical.js';

export class SkipEvent extends Error {}

export function textOf(component: ICAL.Component, property: string): string {
  const value: unknown = component.getFirstPropertyValue(property);
  return typeof value === 'string' ? clean(value) : value == null ? '' : clean(String(value));
}

/** Strips NUL and the other control characters except newline and tab. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '');
}

export function oneLine(text: string): string {
  return clean(text).replace(/\s+/g, ' ').trim();
}

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  // Do not cut a surrogate pair in half.
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

export function messageOf(error: unknown): string {
  return clean(error instanceof Error ? error.message : String(error)).slice(0, 200);
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * ICS bytes → text, unfolding the lines (RFC 5545 §3.1) before decoding UTF-8. Some writers fold
 * at 75 bytes without regard to characters, so a fold can fall inside a multi-byte character
 * ("é" split between two lines); decoding first would turn each half into U+FFFD in a name or a
 * title. Unfolding is idempotent, so the text reader unfolding again changes nothing.
 */
export function decodeIcs(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  // Only a text with an undecodable sequence can hold a split character: the byte pass (seven
  // times the cost of decoding) is spent on those alone.
  return text.includes('\uFFFD') ? new TextDecoder('utf-8').decode(unfoldBytes(bytes)) : text;
}

/**
 * A fold is a line break and one space or tab. The break may be any run of CR and LF: CR LF, a bare
 * LF or CR, and CR CR LF from a file written in a Windows text mode (collective/icalendar#166),
 * where an empty line between is nothing, as the line reader (ical-entries.ts) reads it.
 */
function unfoldBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i];
    if (byte === CR || byte === LF) {
      let next = i + 1;
      while (bytes[next] === CR || bytes[next] === LF) next += 1;
      const after = bytes[next];
      if (after === 0x20 || after === 0x09) {
        i = next; // the break and the one space or tab that marks the fold
        continue;
      }
      // Not a fold: the whole run is copied at once (a run is scanned once, however long).
      out.set(bytes.subarray(i, next), length);
      length += next - i;
      i = next - 1;
      continue;
    }
    out[length++] = byte as number;
  }
  return out.subarray(0, length);
}
