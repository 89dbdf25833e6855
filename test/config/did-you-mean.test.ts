import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggestion } from '../../config/did-you-mean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['ab', 'ba', 1],
    ['confirmLeadMinuts', 'confirmLeadMinutes', 1],
    ['America/NewYork', 'America/New_York', 1],
    ['ca', 'abc', 3],
  ] as const)('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['calendars', 'candidate', 'confirmations', 'mailbox', 'timing', 'log'];
  it('suggests the closest candidate when close enough', () => {
    expect(didYouMean('calendar', keys)).toBe('calendars');
    expect(didYouMean('Mailbx', keys)).toBe('mailbox');
    expect(didYouMean('timnig', keys)).toBe('timing');
    expect(didYouMean('lgo', keys)).toBe('log');
  });
  it('allows more edits for longer words, and none beyond', () => {
    expect(didYouMean('confirmatoinz', keys)).toBe('confirmations');
    expect(didYouMean('weather', keys)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
  it('formats the hint', () => {
    expect(suggestion('calender', keys)).toBe(' (did you mean "calendars"?)');
    expect(suggestion('zzzzzz', keys)).toBe('');
  });
});
