/**
 * The stored form of an audit message: deflated with the preset dictionary, to the very bytes
 * earlier versions wrote (whatever buffers zlib is given), and read back as written.
 */
import { describe, expect, it } from 'vitest';
import { decodeAuditMessage, encodeAuditMessage } from '../../src/store/records.js';

const PLANNED =
  'planned: confirmation draft at Tue 29 Dec 15:30 EST (in 24 days); confirmation send at Wed 30 Dec 14:30 EST (in 25 days); ' +
  'no-show draft at Wed 30 Dec 15:45 EST (in 25 days); no-show check at Wed 30 Dec 16:00 EST (in 25 days); thank-you draft at Wed 30 Dec 17:00 EST (in 25 days)';
const STEPS = Array.from({ length: 40 }, (_, i) => `step ${i} at ${(i * 7919) % 1000}`).join('; ');

describe('audit messages', () => {
  it('are deflated to the bytes earlier versions wrote', () => {
    // Written by the version before the output buffer was sized to the message (zlib's 16 KB default).
    expect(encodeAuditMessage(PLANNED)?.toString('base64')).toBe('IxAWYF9ZgqPZ0BTZSiMTvKEB9psBRJ8Jij5T/OFhALPLxBSPHniIIOsxQ4ksfGGCrMscmy4A');
    expect(encodeAuditMessage(STEPS)?.toString('base64')).toBe(
      'PdHBbUVBCEPRVn4JY2AGUOrJPlLSvyL8xm95JS+O4Pfv++ezZri+PgxMNPqmTZbXTZ/MnTdj8uS5uSd375uHibiZk+F+syZ9282etIQYRKFfFl1YcoEwkwuEdQgGyupIBtKyRANtuWQDcceEA3U7pAN5ccQz8rzEM/Ks37M9PMhn9MHlM/q2eEZep3hGXrV4Rl5BPCMvXTwj72zxnLyd4jl5UeI5ebHet5LnJp6TZyGf04cjnz8+8Zw84Zy4NuG8nzH+AQ==',
    );
  });

  it('read back as written, at every length up to the 2,000 characters kept; kept as text when deflate is no shorter', () => {
    let seed = 7;
    const noise = Array.from({ length: 2000 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90))).join('');
    const texts = [PLANNED, STEPS, 'ok', 'x', 'Zoë’s call — 電話面接', PLANNED.repeat(7).slice(0, 2000), noise, noise.slice(0, 70)];
    for (const text of texts) {
      const deflated = encodeAuditMessage(text);
      if (deflated) {
        expect(deflated.length).toBeLessThan(Buffer.byteLength(text));
        expect(decodeAuditMessage(deflated)).toBe(text);
      }
    }
    // Too short for deflate to shorten: its output is more than the buffer of the message's size.
    expect(encodeAuditMessage('ok')).toBeNull();
    expect(encodeAuditMessage(noise.slice(0, 70))).toBeNull();
    expect(encodeAuditMessage(PLANNED.repeat(7).slice(0, 2000))).not.toBeNull();
  });

  it('never start with a byte of block type 3, which marks a plan line kept as data in the same field', () => {
    for (let i = 0; i < 2000; i++) {
      const text = `${PLANNED.slice(i % 200)} ${i} ${STEPS.slice(0, i % 600)}`;
      const deflated = encodeAuditMessage(text);
      if (deflated) expect((deflated[0] as number) & 0b110).not.toBe(0b110);
    }
  });
});
