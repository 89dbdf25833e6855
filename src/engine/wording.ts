/** Short phrases for the audit and the CLI: times relative to now in the candidate's zone. */
import { DateTime } from 'luxon';
import type { Millis } from '../domain/types.js';

export function describeTime(t: Millis, zone: string, now: Millis): string {
  const dt = DateTime.fromMillis(t, { zone });
  const delta = t - now;
  const abs = Math.abs(delta);
  const rel =
    abs < 5_000
      ? 'now'
      : abs < 60_000
        ? `${delta >= 0 ? 'in ' : ''}${Math.round(abs / 1000)} s${delta < 0 ? ' ago' : ''}`
        : abs < 3600_000
          ? `${delta >= 0 ? 'in ' : ''}${Math.round(abs / 60_000)} min${delta < 0 ? ' ago' : ''}`
          : abs < 48 * 3600_000
            ? `${delta >= 0 ? 'in ' : ''}${Math.round(abs / 3600_000)} h${delta < 0 ? ' ago' : ''}`
            : `${delta >= 0 ? 'in ' : ''}${Math.round(abs / 86_400_000)} days${delta < 0 ? ' ago' : ''}`;
  return `at ${dt.toFormat('ccc d LLL HH:mm ZZZZ')} (${rel})`;
}

/** A title as it may appear in a log line: one line, bounded, no control characters. */
export function safeTitle(title: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const flat = title.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat || '(untitled)';
}
