/** A plan's audit line kept as data: read back into the very words it stands for. */
import { describe, expect, it } from 'vitest';
import { describePlanLine, type PlanLine } from '../../src/domain/plan-line.js';
import { decodePlanLine, encodePlanLine } from '../../src/store/plan-line.js';
import { FIVE_STEP_PLAN, PLANNED_AT } from '../support/plan-line.js';

const at = PLANNED_AT;
const FULL = FIVE_STEP_PLAN;

describe('plan lines', () => {
  it('are written in the words the audit has always used', () => {
    expect(describePlanLine(FULL, at)).toBe(
      'planned: confirmation draft at Sun 6 Dec 20:30 EST (in 24 h); confirmation send at Mon 7 Dec 19:30 EST (in 47 h); ' +
        'no-show draft at Mon 7 Dec 20:45 EST (in 2 days); no-show check at Mon 7 Dec 21:00 EST (in 2 days); thank-you draft at Mon 7 Dec 22:00 EST (in 2 days)',
    );
    expect(describePlanLine({ zone: 'UTC', steps: [] }, at)).toBe('nothing left to plan');
  });

  it('are kept compact and read back to the same words, in any zone, order and time, to the millisecond', () => {
    expect(encodePlanLine(FULL, at)).toBe('CD1fzpulCS1daow0ND2og80NRjag0TD255s0America/New_York');
    const lines: PlanLine[] = [
      FULL,
      { zone: 'UTC', steps: [{ kind: 'apology-draft', dueAt: at }, { kind: 'thankyou-draft', dueAt: at + 3_999 }] },
      { zone: 'America/Argentina/Buenos_Aires', steps: [...FULL.steps].reverse() },
      { zone: 'Asia/Kolkata', steps: [{ kind: 'confirmation-send', dueAt: at + 59_999 }, { kind: 'noshow-draft', dueAt: at + 400 * 86_400_000 + 1 }] },
      // Not expected of a plan (every due time is at or after its time), read all the same.
      { zone: 'Europe/London', steps: [{ kind: 'noshow-resolve', dueAt: at - 90 * 60_000 }] },
    ];
    for (const line of lines) {
      const stored = encodePlanLine(line, at) ?? '';
      expect(decodePlanLine(stored, at)).toEqual(line);
      expect(describePlanLine(decodePlanLine(stored, at) as PlanLine, at)).toBe(describePlanLine(line, at));
    }
  });

  it('are refused when they are not one, and not written with a zone that would read as a step', () => {
    for (const value of ['', 'CD1', 'CD1NR2']) expect(decodePlanLine(value, at)).toBeNull();
    // Anything after the steps is the zone (the store shows a line whose zone the runtime does not know as it is).
    expect(decodePlanLine('CD1NR-2UTC', at)).toEqual({ zone: 'UTC', steps: [{ kind: 'confirmation-draft', dueAt: at + 1 }, { kind: 'noshow-resolve', dueAt: at - 1 }] });
    expect(encodePlanLine({ zone: 'CD1', steps: FULL.steps }, at)).toBeNull();
    expect(encodePlanLine({ zone: '', steps: FULL.steps }, at)).toBeNull();
    // Every zone the runtime knows is kept.
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(decodePlanLine(encodePlanLine({ zone, steps: FULL.steps }, at) ?? '', at)?.zone).toBe(zone);
  });
});
