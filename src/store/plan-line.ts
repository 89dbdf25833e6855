/**
 * A plan's audit line kept as data, in the message field of its entry in the `audit` stream
 * (`z1` behind a mark, audit.ts), put in words when read (src/domain/plan-line.ts).
 *
 * `{CODE}{due}{CODE}{due}…{zone}`: each step in the plan's order as its kind's code in capitals
 * (ACTION_KIND_FIELD, records.ts) and its due time in base 36, as ms after the step before (the
 * first: after the line's `at`), then the candidate's zone; e.g.
 * `CD1fzpulCS1daow0ND2og80NRjag0TD255s0America/New_York`. A new interview's line of five steps
 * takes 53 bytes with audit.ts' mark, where its words deflated took 55–63; writing it costs next
 * to nothing, where the words and their deflate cost the process 40–100 µs per new interview, the
 * largest part of what a replan adds to BullMQ's own work (schedule benchmark, issue 17,
 * bench/README.md).
 */
import type { PlanLine } from '../domain/plan-line.js';
import type { Millis } from '../domain/types.js';
import { ACTION_KIND_FIELD, kindOfActionField } from './records.js';

const STEP = new RegExp(`(${Object.values(ACTION_KIND_FIELD).map((code) => code.toUpperCase()).join('|')})(-?[0-9a-z]+)`, 'y');

/** The line as kept; null for a zone that would read as a step (no IANA zone does). */
export function encodePlanLine(line: PlanLine, at: Millis): string | null {
  STEP.lastIndex = 0;
  if (line.zone === '' || STEP.test(line.zone)) return null;
  let steps = '';
  let after = at;
  for (const step of line.steps) {
    steps += `${ACTION_KIND_FIELD[step.kind].toUpperCase()}${Math.round(step.dueAt - after).toString(36)}`;
    after = step.dueAt;
  }
  return `${steps}${line.zone}`;
}

/** The line kept as `value`; null when it is not one (then the caller shows it as it is). */
export function decodePlanLine(value: string, at: Millis): PlanLine | null {
  const steps: { kind: NonNullable<ReturnType<typeof kindOfActionField>>; dueAt: Millis }[] = [];
  let after = at;
  STEP.lastIndex = 0;
  let read = 0;
  for (let m = STEP.exec(value); m; m = STEP.exec(value)) {
    const kind = kindOfActionField((m[1] as string).toLowerCase());
    if (!kind) return null;
    after += parseInt(m[2] as string, 36);
    steps.push({ kind, dueAt: after });
    read = STEP.lastIndex;
  }
  return read < value.length ? { zone: value.slice(read), steps } : null;
}
