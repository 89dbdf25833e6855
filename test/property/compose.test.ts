/**
 * The four emails composed from hostile calendar data: composing never throws; no header value
 * holds a line break or another control character; the HTML holds no markup but the template's
 * own, every '<', '>', '"' and '&' of the data escaped; and the message the mailbox builds either
 * has the counterpart as its one recipient, or is refused whole (never a second recipient); a
 * counterpart without an address gives a message without any.
 */
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeApology, composeConfirmation, composeNoShow, composeThankYou } from '../../src/domain/compose.js';
import type { ComposedEmail, Interview, Slot } from '../../src/domain/types.js';
import { PermanentError } from '../../src/providers/errors.js';
import { buildRawMessage, readHeaders } from '../../src/providers/mail/mime.js';
import { CANDIDATE, CONTROL, RUNS, hostileText, instant, interview } from './arbitraries.js';

const slots: fc.Arbitrary<Slot[]> = fc.array(fc.record({ start: instant, end: instant }), { maxLength: 6 });
const messageId = fc.oneof(fc.constant('<ringback.iv1.confirmation.1@example.org>'), hostileText);
const replyTo = fc.option(fc.record({ messageId, subject: hostileText }), { nil: null });

type Kind = 'confirmation' | 'noshow' | 'thankyou' | 'apology';
const composed: fc.Arbitrary<{ email: ComposedEmail; interview: Interview }> = fc
  .record({
    kind: fc.constantFrom<Kind>('confirmation', 'noshow', 'thankyou', 'apology'),
    interview,
    candidateName: fc.oneof(fc.constant(CANDIDATE.name), hostileText),
    messageId,
    now: instant,
    shortNotice: fc.boolean(),
    slots,
    replyTo,
    noShows: fc.integer({ min: 1, max: 5 }),
    ask: fc.constantFrom('reschedule', 'call-me') as fc.Arbitrary<'reschedule' | 'call-me'>,
    availableUntil: instant,
  })
  .map((x) => {
    const base = { interview: x.interview, candidate: { ...CANDIDATE, name: x.candidateName }, messageId: x.messageId, now: x.now };
    const email =
      x.kind === 'confirmation'
        ? composeConfirmation({ ...base, shortNotice: x.shortNotice })
        : x.kind === 'noshow'
          ? composeNoShow({ ...base, escalation: { noShows: x.noShows, ask: x.ask, pattern: x.noShows >= 2 }, availableUntil: x.availableUntil, slots: x.slots })
          : x.kind === 'thankyou'
            ? composeThankYou({ ...base, rescheduled: x.shortNotice })
            : composeApology({ ...base, slots: x.slots, replyTo: x.replyTo });
    return { email, interview: x.interview };
  });

/** An address as it travels: an international domain in its ASCII (punycode) form. */
function ascii(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  // eslint-disable-next-line no-control-regex
  return `${address.slice(0, at)}@${/^[\u0000-\u007f]*$/.test(domain) ? domain : domainToASCII(domain)}`.toLowerCase();
}

/** The template's own markup; anything else that looks like a tag came from the data. */
const OWN_TAGS = /<!DOCTYPE html>|<\/?(?:html|head|body|p|ul|li)>|<meta charset="utf-8">|<br>/g;

describe('composing from hostile calendar data', () => {
  it(`no header holds a line break or a control character; the HTML holds only the template's markup (${RUNS} emails)`, () => {
    fc.assert(
      fc.property(composed, ({ email, interview }) => {
        const headers = [email.subject, email.from.name, email.from.email, email.messageId, email.inReplyTo ?? '', ...(email.references ?? [])];
        for (const person of email.to) headers.push(person.name, person.email);
        for (const value of headers) expect(value).not.toMatch(CONTROL);
        expect(email.to).toHaveLength(interview.counterpart.email === null ? 0 : 1);
        const data = email.html.replace(OWN_TAGS, '');
        expect(data).not.toMatch(/[<>"]/);
        // Every '&' starts one of the entities escapeHtml writes.
        expect(data.replace(/&(?:amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      }),
      { numRuns: RUNS },
    );
  });

  it(`the built message has the counterpart as its only recipient, or is refused whole (${RUNS} emails)`, async () => {
    await fc.assert(
      fc.asyncProperty(composed, async ({ email, interview }) => {
        let raw: Buffer;
        try {
          raw = await buildRawMessage(email);
        } catch (error) {
          expect(error).toBeInstanceOf(PermanentError);
          return;
        }
        const headers = readHeaders(raw);
        const block = raw.toString('utf8').split('\n\n')[0] ?? '';
        if (interview.counterpart.email === null) {
          expect(headers.to).toEqual([]);
          expect(block).not.toMatch(/^(?:to|cc|bcc):/im);
          return;
        }
        expect(headers.to).toEqual([ascii(email.to[0]?.email ?? '')]);
        expect(headers.cc).toEqual([]);
        expect(headers.from).toEqual([ascii(email.from.email)]);
        expect(block).not.toMatch(/^bcc:/im);
        expect(block.match(/^to:/gim)).toHaveLength(1);
        expect(block.match(/^subject:/gim)).toHaveLength(1);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
