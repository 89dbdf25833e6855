import { describe, expect, it } from 'vitest';
import { mustConfirm } from '../../src/domain/vanishing.js';

describe('mustConfirm', () => {
  it.each([
    { gone: 0, wait: false },
    { gone: 1, wait: false }, // one call cancelled by its organizer: at once
    { gone: 2, wait: true },
    { gone: 3, wait: true }, // a partial listing that drops 3 of 10 waits too
    { gone: 40, wait: true },
  ])('$gone scheduled interviews gone in one sync: wait = $wait', ({ gone, wait }) => {
    expect(mustConfirm(gone)).toBe(wait);
  });
});
