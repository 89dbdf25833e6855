/**
 * The stored form of an interview record: deflated with the preset dictionary to the very bytes
 * earlier versions wrote (whatever buffers zlib is given), and read back as written, also when it
 * inflates to many times its size.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Interview } from '../../src/domain/types.js';
import { decodeInterview, encodeInterview } from '../../src/store/records.js';
import { storedInterview } from '../support/interview-record.js';

let seed = 11;
/** 600 characters of Cyrillic and beyond, in no order: deflate shortens them little. */
const NOISE = Array.from({ length: 600 }, () => String.fromCharCode(0x400 + ((seed = (seed * 48271) % 2147483647) % 3000))).join('');

const CASES: Record<string, Interview> = {
  plain: storedInterview('iv-plain', { revision: 2, revisionKey: 'rk-2', title: 'Phone screen with Acme — Zoë’s team', notes: 'Sam will call you.' }),
  noise: storedInterview('iv-noise', { title: NOISE, notes: [...NOISE].reverse().join('') }),
  // 195 bytes stored for 16 KB of JSON: more than the buffer sized from the stored bytes.
  repeated: storedInterview('iv-repeated', { title: 'call '.repeat(2000), notes: 'a'.repeat(6000) }),
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

describe('interview records, as stored', () => {
  it('are deflated to the bytes earlier versions wrote', () => {
    // Written by the version before zlib's buffers were sized to the record (its 16 KB default).
    expect(encodeInterview(CASES.plain!).toString('base64')).toBe(
      'Aos2MzYxtrAwsQB5T7cgJzETHIjJxbq5EGZqWYkuQsZIR6koW9dICU8omBsbmFmYGIAANo87JuemKjxqmKIQlX949aOGmcUKJamJuUpgjYamJhYQjRCemRnUGMfc1KLM5ER9v9Ty+Mj8omxQiAUn5ir4pIJ8U5yY65CYnJuql5yfCwpEOBsUmCaGpqampgaGBgYEg9VAB2xoeWZOjgIsi+nBghcCYwE=',
    );
    expect(encodeInterview(CASES.noise!).length).toBe(2447);
    expect(sha256(encodeInterview(CASES.noise!))).toBe('J/T2VTBApAmn0+p1MYX5KBOJ4uL9Vy9sEz+INkR29uo=');
    expect(encodeInterview(CASES.repeated!).length).toBe(195);
    expect(sha256(encodeInterview(CASES.repeated!))).toBe('MKBsxMYXdTGuKKAfxPXeYCbvarJTLbdR7lpmaBwwgms=');
  });

  it('read back as written, however many times their size they inflate to', () => {
    for (const [name, interview] of Object.entries(CASES)) {
      expect(decodeInterview(encodeInterview(interview)), name).toEqual(interview);
    }
  });
});

describe('a field added after the positional list', () => {
  it('a dial-in interview keeps its flag through the stored form; one without it gains none', () => {
    const dialIn = storedInterview('iv-dial-in', { direction: 'candidate-calls', number: null, dialIn: true });
    expect(decodeInterview(encodeInterview(dialIn)).dialIn).toBe(true);
    expect(decodeInterview(encodeInterview(CASES.plain!))).not.toHaveProperty('dialIn');
  });
});

describe('the zone the invitation states', () => {
  it('survives the stored form; an interview without it gains none', () => {
    const stated = storedInterview('iv-stated', { statedZone: 'America/Los_Angeles' });
    expect(decodeInterview(encodeInterview(stated)).statedZone).toBe('America/Los_Angeles');
    expect(decodeInterview(encodeInterview(CASES.plain!))).not.toHaveProperty('statedZone');
  });
});
