import { describe, expect, it } from 'vitest';
import { decideEscalation, isPattern, type CompanyHistory } from '../../src/domain/escalation.js';
import type { Escalation, PolicySettings } from '../../src/domain/types.js';

const defaults: PolicySettings = { askToCallAfter: 2, moveOnAfter: 2 };

describe('decideEscalation', () => {
  it.each<{ name: string; history: CompanyHistory; settings: PolicySettings; expected: Escalation }>([
    { name: 'first no-show: offer to reschedule', history: { interviewerNoShows: 1, candidateMisses: 0 }, settings: defaults, expected: { noShows: 1, ask: 'reschedule', pattern: false } },
    { name: 'second no-show: ask them to call, pattern', history: { interviewerNoShows: 2, candidateMisses: 0 }, settings: defaults, expected: { noShows: 2, ask: 'call-me', pattern: true } },
    { name: 'third no-show: still call-me, pattern', history: { interviewerNoShows: 3, candidateMisses: 0 }, settings: defaults, expected: { noShows: 3, ask: 'call-me', pattern: true } },
    { name: 'candidate misses never count', history: { interviewerNoShows: 1, candidateMisses: 5 }, settings: defaults, expected: { noShows: 1, ask: 'reschedule', pattern: false } },
    { name: 'pattern before call-me', history: { interviewerNoShows: 2, candidateMisses: 0 }, settings: { askToCallAfter: 3, moveOnAfter: 2 }, expected: { noShows: 2, ask: 'reschedule', pattern: true } },
    { name: 'call-me before pattern', history: { interviewerNoShows: 2, candidateMisses: 0 }, settings: { askToCallAfter: 2, moveOnAfter: 4 }, expected: { noShows: 2, ask: 'call-me', pattern: false } },
    { name: 'thresholds of 1: the first no-show escalates fully', history: { interviewerNoShows: 1, candidateMisses: 0 }, settings: { askToCallAfter: 1, moveOnAfter: 1 }, expected: { noShows: 1, ask: 'call-me', pattern: true } },
    { name: 'no no-shows never escalate, even with thresholds of 0', history: { interviewerNoShows: 0, candidateMisses: 3 }, settings: { askToCallAfter: 0, moveOnAfter: 0 }, expected: { noShows: 0, ask: 'reschedule', pattern: false } },
    { name: 'a fractional count rounds down', history: { interviewerNoShows: 2.7, candidateMisses: 0 }, settings: { askToCallAfter: 3, moveOnAfter: 3 }, expected: { noShows: 2, ask: 'reschedule', pattern: false } },
    { name: 'a NaN count is none', history: { interviewerNoShows: Number.NaN, candidateMisses: 0 }, settings: defaults, expected: { noShows: 0, ask: 'reschedule', pattern: false } },
    { name: 'a negative count is none', history: { interviewerNoShows: -4, candidateMisses: 0 }, settings: defaults, expected: { noShows: 0, ask: 'reschedule', pattern: false } },
    { name: 'NaN thresholds never trigger', history: { interviewerNoShows: 9, candidateMisses: 0 }, settings: { askToCallAfter: Number.NaN, moveOnAfter: Number.NaN }, expected: { noShows: 9, ask: 'reschedule', pattern: false } },
  ])('$name', ({ history, settings, expected }) => {
    expect(decideEscalation(history, settings)).toEqual(expected);
  });
});

describe('isPattern', () => {
  it.each([
    { recorded: 0, settings: defaults, pattern: false },
    { recorded: 1, settings: defaults, pattern: false },
    { recorded: 2, settings: defaults, pattern: true },
    { recorded: 5, settings: defaults, pattern: true },
    { recorded: 2, settings: { askToCallAfter: 2, moveOnAfter: 3 }, pattern: false },
    { recorded: 3, settings: { askToCallAfter: 2, moveOnAfter: 3 }, pattern: true },
    { recorded: 0, settings: { askToCallAfter: 0, moveOnAfter: 0 }, pattern: false },
    { recorded: Number.NaN, settings: defaults, pattern: false },
  ])('$recorded no-shows with moveOnAfter $settings.moveOnAfter → $pattern', ({ recorded, settings, pattern }) => {
    expect(isPattern(recorded, settings)).toBe(pattern);
  });
});
