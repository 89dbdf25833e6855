import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMAIL_KINDS,
  emailKindOf,
  FALLBACK_DOMAIN,
  interviewIdFor,
  messageIdFor,
  parseMessageId,
  sanitiseDomain,
  sha256,
  type EmailKind,
} from '../../src/domain/ids.js';
import type { ActionKind } from '../../src/domain/types.js';

describe('sha256', () => {
  it('is the digest createHash gives, for any text (lone surrogates too), in hex and base64url', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(sha256(text, 'hex')).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
        expect(sha256(text, 'base64url')).toBe(createHash('sha256').update(text).digest('base64url'));
      }),
    );
  });
});

describe('interviewIdFor', () => {
  // Pinned: ids are stored in Redis and in every Message-ID, so the scheme must never drift.
  it.each([
    { sourceId: 'ics-main', eventId: 'evt-1', id: 'iv3640857ee4' },
    { sourceId: 'google:ada@example.org', eventId: 'abc123_20250610T140000Z', id: 'iv2be6267a93' },
  ])('$sourceId / $eventId → $id', ({ sourceId, eventId, id }) => {
    expect(interviewIdFor(sourceId, eventId)).toBe(id);
    expect(interviewIdFor(sourceId, eventId)).toBe(id);
  });

  it('is iv and 10 hex digits for any input', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (s, e) => {
        expect(interviewIdFor(s, e)).toMatch(/^iv[0-9a-f]{10}$/);
      }),
    );
  });

  it.each([
    { a: ['a', 'bc'], b: ['ab', 'c'] },
    { a: ['src', 'evt'], b: ['evt', 'src'] },
    { a: ['src', 'evt-1'], b: ['src', 'evt-2'] },
    { a: ['src', ''], b: ['', 'src'] },
  ])('keeps $a apart from $b', ({ a, b }) => {
    expect(interviewIdFor(a[0] ?? '', a[1] ?? '')).not.toBe(interviewIdFor(b[0] ?? '', b[1] ?? ''));
  });
});

describe('emailKindOf', () => {
  it.each<[ActionKind, EmailKind]>([
    ['confirmation-draft', 'confirmation'],
    ['confirmation-send', 'confirmation'],
    ['noshow-draft', 'noshow'],
    ['noshow-resolve', 'noshow'],
    ['thankyou-draft', 'thankyou'],
    ['apology-draft', 'apology'],
  ])('%s works on the %s email', (action, kind) => {
    expect(emailKindOf(action)).toBe(kind);
  });
});

describe('messageIdFor', () => {
  it.each([
    { domain: 'example.org', out: '<ringback.iv3640857ee4.confirmation.1@example.org>' },
    { domain: 'Mail.Example.ORG', out: '<ringback.iv3640857ee4.confirmation.1@mail.example.org>' },
    { domain: 'ada@example.org', out: '<ringback.iv3640857ee4.confirmation.1@example.org>' },
    { domain: 'exa mple.org\r\nBcc: x', out: '<ringback.iv3640857ee4.confirmation.1@example.orgbccx>' },
    { domain: 'x.org\r\nBcc: x@evil.test', out: '<ringback.iv3640857ee4.confirmation.1@evil.test>' },
    { domain: '-foo-..bar.', out: '<ringback.iv3640857ee4.confirmation.1@foo.bar>' },
    { domain: 'münchen.de', out: '<ringback.iv3640857ee4.confirmation.1@mnchen.de>' },
    { domain: '', out: `<ringback.iv3640857ee4.confirmation.1@${FALLBACK_DOMAIN}>` },
    { domain: '...', out: `<ringback.iv3640857ee4.confirmation.1@${FALLBACK_DOMAIN}>` },
    { domain: '<>@', out: `<ringback.iv3640857ee4.confirmation.1@${FALLBACK_DOMAIN}>` },
  ])('domain "$domain" → $out', ({ domain, out }) => {
    expect(messageIdFor({ interviewId: 'iv3640857ee4', kind: 'confirmation', revision: 1, domain })).toBe(out);
  });

  it.each<[EmailKind, number, string]>([
    ['noshow', 0, '<ringback.iv0000000001.noshow.0@example.org>'],
    ['thankyou', 7, '<ringback.iv0000000001.thankyou.7@example.org>'],
    ['apology', 12, '<ringback.iv0000000001.apology.12@example.org>'],
  ])('%s revision %i → %s', (kind, revision, out) => {
    expect(messageIdFor({ interviewId: 'iv0000000001', kind, revision, domain: 'example.org' })).toBe(out);
  });

  it('cleans the interview id too', () => {
    expect(messageIdFor({ interviewId: 'IV.12 3>', kind: 'noshow', revision: 2, domain: 'x.org' })).toBe('<ringback.iv123.noshow.2@x.org>');
  });

  it.each([
    { revision: -1 },
    { revision: 1.5 },
    { revision: Number.NaN },
  ])('refuses revision $revision', ({ revision }) => {
    expect(() => messageIdFor({ interviewId: 'iv1', kind: 'noshow', revision, domain: 'x.org' })).toThrow(RangeError);
  });

  it('refuses an interview id with nothing usable and an unknown kind', () => {
    expect(() => messageIdFor({ interviewId: '..', kind: 'noshow', revision: 1, domain: 'x.org' })).toThrow(RangeError);
    expect(() => messageIdFor({ interviewId: 'iv1', kind: 'invite' as EmailKind, revision: 1, domain: 'x.org' })).toThrow(RangeError);
  });

  it('is a safe header value that parses back, for any domain', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.constantFrom(...EMAIL_KINDS),
        fc.nat({ max: 1_000_000 }),
        fc.string(),
        fc.string(),
        (domain, kind, revision, s, e) => {
          const interviewId = interviewIdFor(s, e);
          const id = messageIdFor({ interviewId, kind, revision, domain });
          expect(id).toMatch(/^<[\x21-\x7e]+>$/);
          expect(id).not.toMatch(/[\r\n]/);
          expect(parseMessageId(id)).toEqual({ interviewId, kind, revision, domain: sanitiseDomain(domain) });
        },
      ),
    );
  });
});

describe('parseMessageId', () => {
  it.each([
    { id: '<ringback.iv3640857ee4.noshow.3@example.org>', parts: { interviewId: 'iv3640857ee4', kind: 'noshow', revision: 3, domain: 'example.org' } },
    { id: '  <RINGBACK.IV3640857EE4.Thankyou.0@Example.Org>\r\n', parts: { interviewId: 'iv3640857ee4', kind: 'thankyou', revision: 0, domain: 'example.org' } },
    { id: 'ringback.iv1.apology.9@x.org', parts: { interviewId: 'iv1', kind: 'apology', revision: 9, domain: 'x.org' } },
  ])('reads $id', ({ id, parts }) => {
    expect(parseMessageId(id)).toEqual(parts);
  });

  it.each([
    '',
    '<CAFxyz@mail.gmail.com>',
    '<ringback.iv1.invite.1@x.org>',
    '<ringback.iv1.noshow.-1@x.org>',
    '<ringback.iv1.noshow.1.5@x.org>',
    '<ringback.iv1.noshow.1@x.org',
    'ringback.iv1.noshow.1@x.org>',
    '<ringback.iv1.noshow.1@>',
    '<ringback.iv1.noshow.@x.org>',
    '<ringback..noshow.1@x.org>',
    '<ringback.iv1.noshow.1@x.org><ringback.iv2.noshow.1@x.org>',
    '<ringback.iv1.noshow.99999999999999999@x.org>',
  ])('refuses %j', (id) => {
    expect(parseMessageId(id)).toBeNull();
  });
});
