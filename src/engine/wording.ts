/** Short phrases for the audit and the CLI: times relative to now in the candidate's zone, titles. */
export { clock, describeTime } from '../domain/time-phrases.js';

/** A title as it may appear in a log line: one line, bounded, no control characters. */
export function safeTitle(title: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const flat = title.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '(untitled)';
}
