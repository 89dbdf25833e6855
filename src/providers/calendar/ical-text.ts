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
