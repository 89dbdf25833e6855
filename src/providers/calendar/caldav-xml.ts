/**
 * The CalDAV vocabulary: the XML bodies ringback sends, and how it reads what tsdav's parser makes
 * of the answers (calendars, their members, hrefs in whatever percent-encoding the server uses).
 */
import type { davRequest } from 'tsdav';
import type { Millis } from '../../domain/types.js';

export interface Collection {
  readonly url: string;
  readonly displayName: string;
  readonly syncCollection: boolean;
  readonly ctag: string | null;
}
export interface Member {
  readonly href: string;
  readonly etag: string;
}

export const xmlEscape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
export const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
export const COLLECTION_PROPS =
  '<d:displayname/><d:resourcetype/><d:supported-report-set/><c:supported-calendar-component-set/><cs:getctag/><d:sync-token/>';
export const davTime = (at: Millis): string => `${new Date(at).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;

/** The text of a property as tsdav's XML parser left it (string, number or CDATA node). */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const node = value as { _cdata?: unknown; _text?: unknown };
    return text(node._cdata ?? node._text);
  }
  return null;
}

/** One key per object whatever the server's percent-encoding: the decoded path. */
export function keyOf(href: string, base: string): string {
  const path = new URL(href, base).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    // A lone '%' the server did not encode: the raw path is still a stable key.
    return path;
  }
}

export const samePath = (href: string, url: string): boolean =>
  keyOf(href, url).replace(/\/$/, '') === keyOf(url, url).replace(/\/$/, '');

export type DavAnswer = Awaited<ReturnType<typeof davRequest>>[number];

/** A multistatus always yields `props`; a plain HTTP answer does not. */
export const failedOutright = (answer: DavAnswer | undefined): boolean => !!answer && !answer.ok && answer.props === undefined;

export function toCollection(url: string, props: Record<string, unknown>): Collection | null {
  const type = props.resourcetype;
  if (!type || typeof type !== 'object' || !('calendar' in type)) return null;
  const components = JSON.stringify(props.supportedCalendarComponentSet ?? '');
  if (components.includes('"name"') && !components.includes('"VEVENT"')) return null;
  return {
    url,
    displayName: text(props.displayname) ?? url,
    syncCollection: JSON.stringify(props.supportedReportSet ?? '').includes('syncCollection'),
    ctag: text(props.getctag) ?? text(props.syncToken),
  };
}
