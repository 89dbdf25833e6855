/**
 * Times in words for the audit, the CLI and the dashboard: "Thu 26 Nov 17:50 UTC (in 2 h)". Pure:
 * `now` is a parameter. Here rather than in src/engine/wording.ts so that the store can put a plan
 * line kept as data back into words when it is read (src/domain/plan-line.ts).
 */
import type { Millis } from './types.js';

/** One formatter per zone: building one costs ~100 µs, and plans are audited on every sync. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    if (formatters.size < 100) formatters.set(zone, f);
  }
  return f;
}

/** Whether the runtime knows `zone` (its formatter is made, and kept, on the way). */
export function isKnownZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/** `clock` by formatToParts: used when `format` is not of the expected shape. */
function clockByParts(t: Millis, zone: string): string {
  const parts = Object.fromEntries(formatterFor(zone).formatToParts(t).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** What en-US `format` gives for the options of formatterFor: "Thu, Nov 26, 17:50 UTC". */
const FORMATTED = /^(\p{L}+), (\p{L}+) (\d{1,2}), (\d{2}):(\d{2}) (\S+)$/u;

/**
 * "Thu 26 Nov 17:50 UTC". Taken from `format` and put in order: formatToParts costs 3–4 µs a call
 * against 1 µs, and every plan line has five of them (schedule benchmark, issue 17). Should a
 * version of ICU format it otherwise, the parts are used.
 */
export function clock(t: Millis, zone: string): string {
  const m = FORMATTED.exec(formatterFor(zone).format(t));
  return m ? `${m[1]} ${m[3]} ${m[2]} ${m[4]}:${m[5]} ${m[6]}` : clockByParts(t, zone);
}

export function describeTime(t: Millis, zone: string, now: Millis): string {
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
  return `at ${clock(t, zone)} (${rel})`;
}
