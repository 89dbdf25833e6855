/**
 * Reading a Retry-After. RFC 9110 §10.2.3 (https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3):
 * `Retry-After = HTTP-date / delay-seconds`, delay-seconds being digits only; an HTTP-date
 * (§5.6.7) is sent as IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and a recipient must also
 * read the two obsolete forms, rfc850 ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6
 * 08:49:37 1994"), both in UTC. Anything else is unreadable and gets the default wait, not a wait
 * of whatever a lenient date parser makes of it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/providers/errors.js';

const NOW = Date.UTC(1994, 10, 6, 8, 49, 7); // 30 s before the RFC's example date
const FALLBACK = 30_000;

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 7 ', 7_000],
    ['Sun, 06 Nov 1994 08:49:37 GMT', 30_000],
    ['Sunday, 06-Nov-94 08:49:37 GMT', 30_000],
    ['Sun Nov  6 08:49:37 1994', 30_000],
    // A date already past: come back now.
    ['Sun, 06 Nov 1994 08:48:37 GMT', 0],
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW, FALLBACK)).toBe(ms);
  });

  it.each(['-5', '1.5', '0x10', '1e3', '5, 10', 'Infinity', 'soon', '2026-12-07', ''])(
    'takes %j, which is neither delay-seconds nor an HTTP-date, as no Retry-After',
    (value) => {
      expect(parseRetryAfter(value, NOW, FALLBACK)).toBe(FALLBACK);
    },
  );

  it('bounds a wait too long to be meant, in seconds or as a date, so that an account is not shut for years', () => {
    expect(parseRetryAfter('99999999999', NOW, FALLBACK)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW, FALLBACK)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter(String(MAX_RETRY_AFTER_MS / 1000 - 1), NOW, FALLBACK)).toBe(MAX_RETRY_AFTER_MS - 1000);
  });
});
