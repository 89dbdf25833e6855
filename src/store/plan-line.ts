/**
 * A plan's audit line kept as data: field `p1` of its entry in the `audit` stream (audit.ts), put
 * in words when read (src/domain/plan-line.ts).
 *
 * `{zone} {CODE}{due}{CODE}{due}…`: the candidate's zone, then each step in the plan's order as its
 * kind's code in capitals (ACTION_KIND_FIELD, records.ts) and its due time in ms after the line's
 * `at`, base 36; e.g. `America/New_York CD1ekj8wCS2s0fgo…`. A new interview's line of five steps
 * takes about 57 bytes, where its words deflated took 59 (`z1`); writing it costs next to nothing,
 * where the words and their deflate cost the process 40–100 µs per new interview, the largest
 * part of what a replan adds to BullMQ's own work (schedule benchmark, issue 17, bench/README.md).
 */
import type { PlanLine } from '../domain/plan-line.js';
import type { Millis } from '../domain/types.js';
import { ACTION_KIND_FIELD, kindOfActionField } from './records.js';

export function encodePlanLine(line: PlanLine, at: Millis): string {
  let steps = '';
  for (const step of line.steps) steps += `${ACTION_KIND_FIELD[step.kind].toUpperCase()}${Math.round(step.dueAt - at).toString(36)}`;
  return `${line.zone} ${steps}`;
}

const STEP = /([A-Z]{2})(-?[0-9a-z]+)/gy;

/** The line of a `p1` field; null when it is not one (then the caller shows it as it is). */
export function decodePlanLine(value: string, at: Millis): PlanLine | null {
  const space = value.indexOf(' ');
  if (space <= 0) return null;
  const steps: { kind: NonNullable<ReturnType<typeof kindOfActionField>>; dueAt: Millis }[] = [];
  const rest = value.slice(space + 1);
  STEP.lastIndex = 0;
  let read = 0;
  for (let m = STEP.exec(rest); m; m = STEP.exec(rest)) {
    const kind = kindOfActionField((m[1] as string).toLowerCase());
    if (!kind) return null;
    steps.push({ kind, dueAt: at + parseInt(m[2] as string, 36) });
    read = STEP.lastIndex;
  }
  return read === rest.length ? { zone: value.slice(0, space), steps } : null;
}
