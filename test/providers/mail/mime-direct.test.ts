/**
 * The message written straight from the composed email (src/providers/mail/mime-direct.ts) is the
 * message nodemailer's MailComposer tree gives, byte for byte (the same boundary drawn), for every
 * email of the gallery (docs/emails) and for any text, name and subject; addresses nodemailer would
 * rewrite are left to it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { variants } from '../../../src/gallery/variants.js';
import { directMessage } from '../../../src/providers/mail/mime-direct.js';
import { buildRawMessage, compileMessage, readHeaders } from '../../../src/providers/mail/mime.js';
import { composedEmail } from '../../support/composed-email.js';

const BOUNDARY = '0123456789abcdef';

/** nodemailer's bytes of the email, streamed by its own build(), with the same boundary. */
async function nodemailerBytes(email: ComposedEmail): Promise<string> {
  return (await compileMessage(email, BOUNDARY).build()).toString('utf8');
}

const textPiece = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.string({ unit: 'grapheme', maxLength: 90 }),
  fc.constantFrom('Grüße aus Köln', 'Hello   ', ' \t', '=', '=3D', '.', '..', 'こんにちは、お電話をお待ちしています', '😀👍🏽', '—', '–', 'a'.repeat(200), 'é'.repeat(80), '\r\n', '\n', '\r', '\t', '"', '\\', ',', '<', '\x01', '\x7f', '=?UTF-8?Q?x?='),
);
const text = fc.array(textPiece, { maxLength: 12 }).map((pieces) => pieces.join(''));
/** What a header value may hold (buildRawMessage refuses line breaks in headers). */
const headerText = text.map((s) => s.replace(/[\r\n]/g, ' '));
const address = fc.constantFrom('lee@corp.example', 'dana.whitfield+jobs@mail.corp-x.example', 'Lee@Corp.Example', 'o\'brien@corp.example', 'x@jõgeva.example', 'a_b@sub.corp.example');

const email: fc.Arbitrary<ComposedEmail> = fc
  .record({ subject: headerText, names: fc.array(headerText, { maxLength: 3 }), to: fc.array(address, { maxLength: 3 }), fromName: headerText, body: text, html: text, reply: fc.boolean() })
  .map((x) =>
    composedEmail({
      subject: x.subject,
      from: { name: x.fromName, email: 'ada@example.org' },
      to: x.to.map((a, i) => ({ name: x.names[i] ?? '', email: a })),
      text: x.body,
      html: x.html,
      ...(x.reply ? { inReplyTo: '<their.message@corp.example>', references: ['<first@corp.example>', '<their.message@corp.example>'] } : {}),
    }),
  );

describe('a message written straight from the email', () => {
  it("is nodemailer's message, byte for byte, for any text, name and subject", async () => {
    let written = 0;
    await fc.assert(
      fc.asyncProperty(email, async (e) => {
        const direct = directMessage(e, BOUNDARY);
        if (e.text !== '' && e.html !== '' && e.to.every((p) => /^[a-z0-9._+'-]+@[a-z0-9.-]+$/.test(p.email))) expect(direct).not.toBeNull();
        if (direct === null) return;
        written++;
        expect(direct.toString('utf8')).toBe(await nodemailerBytes(e));
      }),
      { numRuns: 2_000 },
    );
    // About half: the rest have an empty body or an address left to nodemailer.
    expect(written).toBeGreaterThan(700);
  });

  it('is the same for every email of the gallery (docs/emails), as written and read back', async () => {
    const all = variants();
    expect(all.length).toBeGreaterThanOrEqual(27);
    for (const variant of all) {
      const direct = directMessage(variant.email, BOUNDARY);
      expect(direct, variant.name).not.toBeNull();
      expect(direct?.toString('utf8'), variant.name).toBe(await nodemailerBytes(variant.email));
      const headers = readHeaders(direct ?? Buffer.alloc(0));
      expect(headers.subject, variant.name).toBe(variant.email.subject);
      expect(headers.messageId, variant.name).toBe(variant.email.messageId);
      expect(headers.to, variant.name).toEqual(variant.email.to.map((p) => p.email.toLowerCase()));
    }
  });

  it('leaves to nodemailer an address it would rewrite, and the message is still the same', async () => {
    for (const to of ['Lee@Corp.Example', 'x@jõgeva.example', '"odd local"@corp.example']) {
      const e = composedEmail({ to: [{ name: 'Lee', email: to }] });
      expect(directMessage(e, BOUNDARY), to).toBeNull();
    }
    const e = composedEmail({ to: [{ name: 'Lee', email: 'Lee@Corp.Example' }] });
    expect((await buildRawMessage(e)).toString('utf8')).toMatch(/^To: Lee <Lee@corp\.example>$/m);
  });

  it('encodes a non-ASCII name and subject as RFC 2047 words and refuses a header with a line break', async () => {
    const e = composedEmail({ subject: 'Confirming our phone interview tomorrow at 9:00 AM Eastern – Platform Engineer', to: [{ name: 'Jürgen Müller', email: 'j@corp.example' }] });
    const raw = directMessage(e, BOUNDARY)?.toString('utf8') ?? '';
    expect(raw).toMatch(/^To: =\?UTF-8\?Q\?J=C3=BCrgen_M=C3=BCller\?= <j@corp\.example>$/m);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?Q\?Confirming_our_phone_interview_tomorrow_\?=$/m);
    for (const line of raw.split('\n\n')[0]?.split('\n') ?? []) expect(line.length).toBeLessThanOrEqual(78);
    await expect(buildRawMessage(composedEmail({ subject: 'a\r\nBcc: x@evil.example' }))).rejects.toThrow(/line break/);
  });
});
