/** The reading phrases are matched against: plain ASCII takes a shortcut, which must read the same. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readable } from '../../src/domain/detection/words.js';

/** The full reading, as it was written before the shortcut. */
const full = (text: string): string => text.normalize('NFC').replace(/\p{Cf}/gu, '').replace(/[\u2018\u2019\u02BC\u00B4`]/g, "'").toLowerCase();

describe('readable', () => {
  it('reads any text as the full reading does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(readable(text)).toBe(full(text));
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(readable(text)).toBe(full(text));
      }),
    );
  });

  it.each(['Call `me` at 5', 'We\u2019ll CALL you', 'e\u0301tape', 'a\u200bb', 'Tab\there\r\nDEL\x7f'])('%j', (text) => {
    expect(readable(text)).toBe(full(text));
  });
});
