/**
 * Reading an event's text as a person does: the title, the location, and the description line by
 * line, with the joining blocks that meeting providers append (Google Meet, Zoom, Teams, Webex)
 * told apart from what a person wrote. Pure and bounded: long text is cut before it is read.
 */
import { readable, scan, type Hit, type Lexicon, type Signal } from './words.js';

/** Only this much of a title, location or description is read. */
export const READ_LIMIT = 32_768;
/** At most this many lines of a description are read. */
const MAX_LINES = 600;

export interface Line {
  /** The line as written (HTML removed), for numbers and for evidence. */
  readonly raw: string;
  readonly hits: readonly Hit[];
  /** Inside a provider's joining block: nothing here was written by a person. */
  readonly inBlock: boolean;
  /** "Event Name: …", "What: …": a scheduler names the event type here, as a title would. */
  readonly labelled: boolean;
}

export interface Reading {
  readonly title: readonly Hit[];
  readonly titleKeywords: readonly Hit[];
  readonly titleText: string;
  readonly location: readonly Hit[];
  readonly locationText: string;
  readonly lines: readonly Line[];
}

const HTML_HINT = /<\/?(?:br|p|div|span|a|b|i|u|li|ul|ol|table|tr|td|font|strong|em|h\d)\b[^<>]{0,500}>/i;
const ENTITIES: Readonly<Record<string, string>> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Calendar descriptions often hold HTML (Google, Outlook); numbers in `tel:` links are kept. */
export function plainText(text: string): string {
  const cut = text.slice(0, READ_LIMIT);
  if (!HTML_HINT.test(cut)) return cut;
  return cut
    .replace(/href\s*=\s*["']tel:([^"'<>]{1,60})["']/gi, '> $1 <')
    .replace(/<br\s*\/?>|<\/(?:p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^<>]{0,1000}>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ENTITIES[name] ?? ' ');
}

function isLabelled(text: string, lexicon: Lexicon): boolean {
  const colon = text.indexOf(':');
  return colon > 0 && colon <= 30 && lexicon.labels.has(text.slice(0, colon).trim());
}

function has(hits: readonly Hit[], signal: Signal): boolean {
  return hits.some((h) => h.signals.includes(signal));
}

/** Reads the three text fields of an event. */
export function readEvent(fields: { title: string; location: string; description: string }, lexicon: Lexicon): Reading {
  const titleText = readable(fields.title.slice(0, READ_LIMIT));
  const locationText = readable(plainText(fields.location));
  const rawLines = plainText(fields.description).replace(/\r\n?/g, '\n').split('\n', MAX_LINES);
  const lines: Line[] = [];
  let inBlock = false;
  for (const raw of rawLines) {
    const text = readable(raw);
    const closes = lexicon.blockClose.some((marker) => text.includes(marker));
    if (inBlock && closes) {
      lines.push({ raw, hits: [], inBlock: true, labelled: false });
      inBlock = false;
      continue;
    }
    if (!inBlock && scan(text, lexicon.blockOpen, 1).length > 0) inBlock = true;
    lines.push({ raw, hits: text.trim() === '' ? [] : scan(text, lexicon.byFirst, 60), inBlock, labelled: !inBlock && isLabelled(text, lexicon) });
  }
  return {
    title: scan(titleText, lexicon.byFirst),
    titleKeywords: scan(titleText, lexicon.keywords),
    titleText,
    location: scan(locationText, lexicon.byFirst),
    locationText,
    lines,
  };
}

/**
 * Whether a number on line `index` belongs to a conference bridge: its line, or the line before
 * or after it, names a PIN, a meeting or conference ID, a passcode, "join by phone"…; or it sits in
 * a provider's block; or it is written with the pauses and `#` that dial a PIN (`,,123456#`).
 */
export function isBridgeLine(lines: readonly Line[], index: number): boolean {
  const line = lines[index];
  if (line === undefined) return false;
  if (line.inBlock) return true;
  if (/\d\s*,,|,,\s*\d|\d#|tel\.meet/i.test(line.raw)) return true;
  for (const k of [index - 1, index, index + 1]) {
    const near = lines[k];
    if (near !== undefined && has(near.hits, 'bridge')) return true;
  }
  return false;
}

/** True when the line speaks of a fallback ("in case the video fails, we'll call you"). */
export function isFallbackLine(line: Line): boolean {
  return has(line.hits, 'fallback');
}
