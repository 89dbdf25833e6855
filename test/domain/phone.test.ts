import { describe, expect, it } from 'vitest';
import {
  PHONE_SCAN_LIMIT,
  findPhoneNumbers,
  formatPhone,
  isPlausibleNumber,
  regionOf,
  toE164,
} from '../../src/domain/phone.js';
import { withCpuTime } from '../support/cpu-time.js';

describe('findPhoneNumbers', () => {
  it.each([
    { text: 'Call +1 415 555 0100', region: undefined, found: [{ e164: '+14155550100', extension: null }] },
    { text: '(212) 555-0199 ext. 23', region: 'US', found: [{ e164: '+12125550199', extension: '23' }] },
    { text: 'tel:+44-20-7946-0958;ext=12', region: 'US', found: [{ e164: '+442079460958', extension: '12' }] },
    { text: 'tel:+14155550100', region: undefined, found: [{ e164: '+14155550100', extension: null }] },
    { text: '030 1234567', region: 'DE', found: [{ e164: '+49301234567', extension: null }] },
    { text: '030 1234567', region: undefined, found: [] },
    { text: 'region in lower case: 030 1234567', region: 'de', found: [{ e164: '+49301234567', extension: null }] },
    { text: 'unknown region: +33 1 23 45 67 89', region: 'ZZ', found: [{ e164: '+33123456789', extension: null }] },
    { text: 'Bidi in a number: +1 415\u202E 555 0100', region: undefined, found: [{ e164: '+14155550100', extension: null }] },
    { text: 'Order ID 12345, room 4, 2030-03-04', region: 'US', found: [] },
    {
      text: '212-555-0199 or again (212) 555 0199, then +1 646 555 0123',
      region: 'US',
      found: [
        { e164: '+12125550199', extension: null },
        { e164: '+16465550123', extension: null },
      ],
    },
  ])('$text ($region)', ({ text, region, found }) => {
    expect(findPhoneNumbers(text, region)).toEqual(found);
  });

  it('looks only at the start of very long text', () => {
    const text = 'x '.repeat(PHONE_SCAN_LIMIT) + '+1 415 555 0100';
    expect(findPhoneNumbers(text)).toEqual([]);
  });

  it('stays fast on digit-dense junk', () => {
    // 0.6-1.6 s of CPU here, depending on what else the cores run; a scan that grew faster than the
    // text would take minutes on these 5 MB.
    expect(withCpuTime(() => findPhoneNumbers('12 34 +1 ('.repeat(500_000), 'US')).cpuMs).toBeLessThan(3_000);
  });
});

describe('toE164', () => {
  it.each([
    { written: '+1 415 555 0100', region: undefined, e164: '+14155550100' },
    { written: '(415) 555-0100', region: 'US', e164: '+14155550100' },
    { written: '(415) 555-0100', region: undefined, e164: null },
    { written: 'not a number', region: 'US', e164: null },
    { written: '', region: undefined, e164: null },
  ])('$written → $e164', ({ written, region, e164 }) => {
    expect(toE164(written, region)).toBe(e164);
  });
});

describe('isPlausibleNumber and regionOf', () => {
  it.each([
    { e164: '+14155550100', plausible: true, region: 'US' },
    { e164: '+442079460958', plausible: true, region: 'GB' },
    { e164: '+4930123456', plausible: true, region: 'DE' },
    { e164: '+1415555', plausible: false, region: undefined },
    { e164: '+1 415 555 0100', plausible: false, region: undefined },
    { e164: '14155550100', plausible: false, region: undefined },
    { e164: '', plausible: false, region: undefined },
  ])('$e164', ({ e164, plausible, region }) => {
    expect(isPlausibleNumber(e164)).toBe(plausible);
    expect(regionOf(e164)).toBe(region);
  });
});

describe('formatPhone', () => {
  it.each([
    { e164: '+14155550100', viewer: 'US', shown: '(415) 555-0100' },
    { e164: '+14155550100', viewer: 'GB', shown: '+1 415 555 0100' },
    { e164: '+14155550100', viewer: undefined, shown: '+1 415 555 0100' },
    { e164: '+442079460958', viewer: 'gb', shown: '020 7946 0958' },
    { e164: 'garbage', viewer: 'US', shown: 'garbage' },
  ])('$e164 for a viewer in $viewer', ({ e164, viewer, shown }) => {
    expect(formatPhone(e164, viewer)).toBe(shown);
  });
});
