/**
 * The message bytes ringback writes (src/providers/mail/mime.ts, mime-bytes.ts): written in one
 * pass, they are the very bytes nodemailer's streamed `build()` gives for the same MIME tree
 * (same boundary), for any text; headers are RFC 2047 encoded and folded, bodies quoted-printable
 * with soft breaks, and both read back to what was composed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { messageBytes } from '../../../src/providers/mail/mime-bytes.js';
import { buildRawMessage, compileMessage, decodeWords, readHeaders } from '../../../src/providers/mail/mime.js';
import { composedEmail } from '../../support/composed-email.js';

/** Lines of text as a template or a user could write them: long, accented, emoji, trailing blanks, '=' and dots. */
const textPiece = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 90 }),
  fc.constantFrom('Grüße aus Köln', 'Hello   ', ' \t', '=', '=3D', '.', '..', 'こんにちは、お電話をお待ちしています', '😀👍🏽', '—', 'a'.repeat(200), 'é'.repeat(80), '\r\n', '\n', '\r', '\t'),
);
const text = fc.array(textPiece, { maxLength: 12 }).map((pieces) => pieces.join(''));
/** What a header value may hold (buildRawMessage refuses line breaks in headers). */
const headerText = text.map((s) => s.replace(/[\r\n]/g, ' '));

const email: fc.Arbitrary<ComposedEmail> = fc
  .record({ subject: headerText, name: headerText, fromName: headerText, body: text, html: text, reply: fc.boolean() })
  .map((x) =>
    composedEmail({
      subject: x.subject,
      from: { name: x.fromName, email: 'ada@example.org' },
      to: [{ name: x.name, email: 'lee@corp.example' }],
      text: x.body,
      html: x.html,
      ...(x.reply ? { inReplyTo: '<their.message@corp.example>', references: ['<first@corp.example>', '<their.message@corp.example>'] } : {}),
    }),
  );

describe('message bytes', () => {
  it("are nodemailer's streamed build, byte for byte, for any text", async () => {
    await fc.assert(
      fc.asyncProperty(email, async (e) => {
        const root = compileMessage(e);
        const ours = messageBytes(root);
        expect(ours).not.toBeNull();
        expect(ours?.toString('utf8')).toBe((await root.build()).toString('utf8'));
      }),
      { numRuns: 2_000 },
    );
  });

  it('encode a header of non-ASCII text as RFC 2047 words, folded under 78 characters, and read it back', async () => {
    const subject = 'Bestätigung: unser Telefonat morgen — Dienstag, 10. März um 15:00 Uhr (eine lange Betreffzeile)';
    const raw = await buildRawMessage(composedEmail({ subject, to: [{ name: 'Jürgen Müller-Lüdenscheidt', email: 'j@corp.example' }] }));
    const head = raw.subarray(0, raw.indexOf('\n\n')).toString('utf8');
    expect(head).toMatch(/^Subject: =\?UTF-8\?Q\?Best=C3=A4tigung/m);
    expect(head).toMatch(/^To: =\?UTF-8\?Q\?J=C3=BCrgen/m);
    for (const line of head.split('\n')) {
      expect(line.length).toBeLessThanOrEqual(78);
      expect(line).toMatch(/^[\x20-\x7e]*$/);
    }
    // Folded: continuation lines start with a blank.
    expect(head.split('\n').filter((l) => l.startsWith(' ')).length).toBeGreaterThan(1);
    expect(readHeaders(raw).subject).toBe(subject);
    expect(decodeWords('=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller-L=C3=BCdenscheidt?=')).toBe('Jürgen Müller-Lüdenscheidt');
  });

  it('keep an ASCII message as written: 7bit, LF line ends, one multipart/alternative of text then HTML', async () => {
    const e = composedEmail({ subject: 'Confirming our call', text: 'Hello Lee,\n\nTalk soon.\n\nAda', html: '<p>Hello Lee,</p>' });
    const raw = (await buildRawMessage(e)).toString('utf8');
    expect(raw).not.toContain('\r');
    expect(raw.endsWith('\n')).toBe(true);
    expect(raw).toMatch(/^Subject: Confirming our call$/m);
    expect(raw).toMatch(/^Message-ID: <ringback\.iv[0-9a-f]{8}\.confirmation\.1@example\.org>$/m);
    expect(raw).toMatch(/^Date: Tue, 04 Mar 2031 15:00:00 \+0000$/m);
    const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
    expect(boundary).toBeDefined();
    const parts = raw.split(`--${boundary}`);
    expect(parts).toHaveLength(4);
    expect(parts[1]).toBe('\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\nHello Lee,\n\nTalk soon.\n\nAda\n');
    expect(parts[2]).toBe('\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n<p>Hello Lee,</p>\n');
    expect(parts[3]).toBe('--\n');
  });

  it('write a body line longer than 76 characters as quoted-printable with soft breaks that decode to the line', async () => {
    const line = `Grüße, ${'wir sprechen morgen um 15:00 Uhr miteinander. '.repeat(4)}Ende=`;
    const raw = (await buildRawMessage(composedEmail({ text: line }))).toString('utf8');
    const part = raw.split('Content-Transfer-Encoding: quoted-printable\n\n')[1]?.split('\n--')[0] ?? '';
    expect(part.split('\n').length).toBeGreaterThan(2);
    for (const l of part.split('\n')) expect(l.length).toBeLessThanOrEqual(76);
    const decoded = Buffer.from(
      part.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
    expect(decoded).toBe(line);
  });
});
