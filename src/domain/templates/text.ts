/**
 * Making untrusted calendar text safe to put in a header, a plain-text body or HTML.
 *
 * Titles, names and addresses come from other people's calendars. Before they reach an email
 * they are bounded (a 5 MB title costs no more than a short one), stripped of control characters
 * (CR/LF would let a name inject headers), of bidi embeddings/overrides/isolates (they can make
 * an address read backwards), and of lone surrogates left by truncation. Emoji and right-to-left
 * scripts themselves stay: they are somebody's real name.
 */

/** Longest subject we produce, in characters. */
export const MAX_SUBJECT = 200;

// C0 and C1 controls, DEL, line/paragraph separators, bidi controls, BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Cut to at most `max` code points, marking the cut with an ellipsis. */
export function truncate(value: string, max: number): string {
  // A prefix of 2·max+2 code units holds more than `max` code points whenever the value does.
  const points = Array.from(value.slice(0, max * 2 + 2));
  if (points.length <= max) return value;
  return `${points.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}

/**
 * One line of untrusted text: unsafe characters become spaces, runs of whitespace collapse,
 * and the result has at most `max` characters. Never throws, whatever the input.
 */
export function oneLine(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  // Only a bounded prefix is looked at; the rest could never be shown anyway.
  const head = value.slice(0, max * 4 + 16);
  const clean = head.replace(UNSAFE, ' ').replace(LONE_SURROGATE, '').replace(/\s+/g, ' ').trim();
  return truncate(clean, max);
}

/** Multi-line untrusted text (event notes): lines kept, each cleaned, the whole bounded. */
export function manyLines(value: unknown, maxChars: number, maxLines: number): string[] {
  if (typeof value !== 'string') return [];
  const head = value.slice(0, maxChars * 2 + 16);
  const lines = head
    .split(/\r\n|[\r\n\u2028\u2029\u0085]/)
    .map((line) => oneLine(line, maxChars))
    .filter((line) => line !== '');
  const out: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (out.length === maxLines || used + line.length > maxChars) {
      out.push('…');
      break;
    }
    out.push(line);
    used += line.length;
  }
  return out;
}

/** An address or Message-ID: no whitespace or control characters at all, bounded. */
export function headerToken(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  return value.slice(0, max * 2).replace(UNSAFE, '').replace(LONE_SURROGATE, '').replace(/\s+/g, '').slice(0, max);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** "Re: <subject>", never "Re: Re:" (also folds the German "AW:" and Nordic "SV:" prefixes). */
export function replySubject(subject: string): string {
  const rest = oneLine(subject, MAX_SUBJECT * 2).replace(/^(?:(?:re|aw|sv)\s*(?:\[\d+\])?\s*:\s*)+/i, '');
  return oneLine(rest === '' ? 'Re: our phone interview' : `Re: ${rest}`, MAX_SUBJECT);
}
