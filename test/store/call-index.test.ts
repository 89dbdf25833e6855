/**
 * The call index's digests (src/store/call-index.ts) lead to every listing the domain takes for the
 * same call (src/domain/duplicates.ts): a pair the index kept apart would never be compared, and the
 * interviewer would get two confirmations. No server: the digests are computed alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameCall } from '../../src/domain/duplicates.js';
import { callDigestsOf, mayBeSameCall } from '../../src/store/call-index.js';
import { storedInterview } from '../support/interview-record.js';

/** A few UIDs and addresses, so that pairs often share one; an occurrence part, capitals, no address. */
const uid = fc.constantFrom('inv-1@acme.com', 'inv-2@acme.com', 'weekly@acme.com');
const eventId = fc.oneof(uid, fc.tuple(uid, fc.constantFrom('2026-03-10', '2026-03-10T15:00:00.000Z')).map(([u, at]) => `${u}/${at}`), fc.constantFrom('AAMkEv01', 'g-123'));
const email = fc.oneof(fc.constantFrom('sam@acme.com', 'SAM@Acme.com', 'lee@globex.example', ''), fc.constant(null));
const listing = (id: string, sourceId: string) =>
  fc.record({ eventId, uid: fc.option(uid, { nil: undefined }), email }).map(({ eventId, uid, email }) =>
    storedInterview(id, { sourceId, eventId, ...(uid === undefined ? {} : { uid }), counterpart: { name: 'Sam', email } }),
  );

describe('the digests of the call index', () => {
  it('may be the same call for every pair the domain finds to be one call, by the same key', () => {
    fc.assert(
      fc.property(listing('iva', 'google'), listing('ivb', 'icloud'), (a, b) => {
        const by = sameCall(a, b);
        const digests = [callDigestsOf(a), callDigestsOf(b)] as const;
        if (by !== null) expect(mayBeSameCall(...digests)).toBe(true);
        if (by === 'uid') expect(digests[0].uid).toBe(digests[1].uid);
        if (by === 'counterpart') expect(digests[0].counterpart).toBe(digests[1].counterpart);
      }),
      { numRuns: 500 },
    );
  });

  it('keep apart listings that share neither key', () => {
    const a = storedInterview('iva', { sourceId: 'google', eventId: 'inv-1@acme.com', counterpart: { name: 'Sam', email: 'sam@acme.com' } });
    const b = storedInterview('ivb', { sourceId: 'icloud', eventId: 'inv-2@acme.com', counterpart: { name: 'Lee', email: 'lee@globex.example' } });
    expect(sameCall(a, b)).toBeNull();
    expect(mayBeSameCall(callDigestsOf(a), callDigestsOf(b))).toBe(false);
    // No address on either: only the UID counts.
    const none = (l: typeof a) => ({ ...l, counterpart: { name: 'Sam', email: null } });
    expect(mayBeSameCall(callDigestsOf(none(a)), callDigestsOf(none(b)))).toBe(false);
  });
});
