/** A plan's audit line of five steps, for the tests of how plan lines are kept and read. */
import type { PlanLine } from '../../src/domain/plan-line.js';

const H = 3_600_000;
/** When the line is written: 01:14:33.123 UTC on 6 December 2026. */
export const PLANNED_AT = Date.UTC(2026, 11, 6, 1, 14, 33, 123);
/** The call: 01:30 UTC on 8 December 2026. */
const T = Date.UTC(2026, 11, 8, 1, 30);

export const FIVE_STEP_PLAN: PlanLine = {
  zone: 'America/New_York',
  steps: [
    { kind: 'confirmation-draft', dueAt: T - 24 * H },
    { kind: 'confirmation-send', dueAt: T - H },
    { kind: 'noshow-draft', dueAt: T + 0.25 * H },
    { kind: 'noshow-resolve', dueAt: T + 0.5 * H },
    { kind: 'thankyou-draft', dueAt: T + 1.5 * H },
  ],
};
