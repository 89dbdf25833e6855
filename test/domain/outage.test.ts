import { describe, expect, it } from 'vitest';
import { outageWindow, pastUse, usefulUntil } from '../../src/domain/outage.js';
import type { ActionKind } from '../../src/domain/types.js';

const MIN = 60_000;
const T = Date.UTC(2026, 11, 4, 15, 0);
const timing = { minLeadMinutes: 10, giveUpMinutes: 30 };

describe('what a parked action is still good for', () => {
  const cases: { kind: ActionKind; dueAt: number; now: number; useful: boolean }[] = [
    { kind: 'confirmation-send', dueAt: T - 60 * MIN, now: T - 11 * MIN, useful: true },
    { kind: 'confirmation-send', dueAt: T - 60 * MIN, now: T - 10 * MIN, useful: true },
    { kind: 'confirmation-send', dueAt: T - 60 * MIN, now: T - 9 * MIN, useful: false },
    { kind: 'confirmation-draft', dueAt: T - 24 * 60 * MIN, now: T - 5 * MIN, useful: false },
    { kind: 'noshow-draft', dueAt: T + 15 * MIN, now: T + 29 * MIN, useful: true },
    { kind: 'noshow-draft', dueAt: T + 15 * MIN, now: T + 31 * MIN, useful: false },
    { kind: 'thankyou-draft', dueAt: T + 90 * MIN, now: T + 90 * MIN + 23 * 60 * MIN, useful: true },
    { kind: 'thankyou-draft', dueAt: T + 90 * MIN, now: T + 90 * MIN + 25 * 60 * MIN, useful: false },
    { kind: 'apology-draft', dueAt: T + 60 * MIN, now: T + 60 * MIN + 25 * 60 * MIN, useful: false },
    { kind: 'noshow-resolve', dueAt: T + 30 * MIN, now: T + 30 * 24 * 60 * MIN, useful: true },
  ];
  it.each(cases)('$kind at now − T = $now: useful $useful', ({ kind, dueAt, now, useful }) => {
    expect(pastUse({ kind, dueAt }, T, timing, now) === null).toBe(useful);
  });

  it('says why, in the words of the setting', () => {
    expect(pastUse({ kind: 'confirmation-send', dueAt: T - 60 * MIN }, T, timing, T)).toBe('the call was less than 10 minutes away');
    expect(pastUse({ kind: 'noshow-draft', dueAt: T }, T, timing, T + 60 * MIN)).toContain('30 minutes');
    expect(usefulUntil({ kind: 'noshow-resolve', dueAt: T }, T, timing)).toBeNull();
  });

  it('names the window, or says it is not over', () => {
    const f = (t: number) => new Date(t).toISOString().slice(11, 16);
    expect(outageWindow(T, T + 90 * MIN, f)).toBe('from 15:00 to 16:30');
    expect(outageWindow(T, null, f)).toBe('since 15:00 (still unusable)');
  });
});
