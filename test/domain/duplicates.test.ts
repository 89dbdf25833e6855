/** When two listings are one call, and which of them owns it (src/domain/duplicates.ts). */
import { describe, expect, it } from 'vitest';
import { callUidOf, followsMovedOwner, ownerOf, sameCall, withOwner } from '../../src/domain/duplicates.js';
import { AT, storedInterview } from '../support/interview-record.js';

describe('callUidOf', () => {
  it.each([
    ['abc123@google.com', 'abc123@google.com'],
    // An occurrence of a series, as the ical sources write it (ical-recurrence.ts).
    ['weekly-1@example.org/2026-03-10T15:00:00.000Z', 'weekly-1@example.org'],
    ['weekly-1@example.org/2026-03-10', 'weekly-1@example.org'],
    // A UID that holds a slash of its own keeps it.
    ['a/b@example.org', 'a/b@example.org'],
  ])('%s → %s', (id, uid) => {
    expect(callUidOf(id)).toBe(uid);
  });
});

describe('sameCall', () => {
  const a = storedInterview('iva', { sourceId: 'google', eventId: 'inv-7@acme.com' });
  it.each([
    ['the same UID at the same start', { eventId: 'inv-7@acme.com' }, 'uid'],
    ['the same UID, one listed as an occurrence', { eventId: 'inv-7@acme.com/2026-03-10T15:00:00.000Z' }, 'uid'],
    ['another UID, same start, same counterpart', { eventId: 'copy-1' }, 'counterpart'],
    ['another UID, same counterpart written in capitals', { eventId: 'copy-1', counterpart: { name: 'Sam', email: 'SAM@acme.com' } }, 'counterpart'],
    ['another UID, same start, another counterpart', { eventId: 'copy-1', counterpart: { name: 'Lee', email: 'lee@globex.example' } }, null],
    ['another UID, neither has an address', { eventId: 'copy-1', counterpart: { name: 'Sam', email: null } }, null],
    ['the same UID at another start', { eventId: 'inv-7@acme.com', start: AT + 3_600_000 }, null],
    ['two entries of one calendar, same start, same counterpart', { sourceId: 'google', eventId: 'copy-1' }, null],
    // A Google or Microsoft listing: the provider's id, the invitation's UID beside it.
    ['a provider id with the same invitation UID', { eventId: 'AAMkEv01', uid: 'inv-7@acme.com', counterpart: { name: 'Lee', email: 'lee@globex.example' } }, 'uid'],
    ['a provider id with another invitation UID', { eventId: 'inv-7@acme.com', uid: 'other@acme.com', counterpart: { name: 'Lee', email: 'lee@globex.example' } }, null],
  ] as const)('%s', (_, over, expected) => {
    expect(sameCall(a, storedInterview('ivb', { sourceId: 'icloud', ...over }))).toBe(expected);
  });
  it('an interview is never a duplicate of itself', () => {
    expect(sameCall(a, a)).toBeNull();
  });
});

describe('ownerOf', () => {
  const me = storedInterview('ivme', { sourceId: 'icloud', eventId: 'inv-7', firstSeen: AT - 1_000 });
  it('is the listing recorded first that is no duplicate itself and is still in its calendar', () => {
    const peers = [
      storedInterview('ivz', { eventId: 'inv-7', firstSeen: AT - 9_000, status: 'cancelled', vanished: true }),
      storedInterview('ivy', { eventId: 'inv-7', firstSeen: AT - 8_000, duplicateOf: 'ivx', duplicateBy: 'uid' }),
      storedInterview('ivx', { eventId: 'inv-7', firstSeen: AT - 5_000 }),
      storedInterview('ivw', { eventId: 'inv-7', firstSeen: AT - 2_000 }),
    ];
    expect(ownerOf(me, peers)?.owner.id).toBe('ivx');
  });
  it('is the first listing even when it was declined, cancelled or marked: that is about the call', () => {
    for (const status of ['declined', 'cancelled', 'done'] as const) {
      const peers = [storedInterview('ivx', { eventId: 'inv-7', firstSeen: AT - 5_000 }), storedInterview('ivz', { eventId: 'inv-7', firstSeen: AT - 9_000, status })];
      expect(ownerOf(me, peers)?.owner.id).toBe('ivz');
    }
  });
  it('is none among listings of other calls', () => {
    expect(ownerOf(me, [storedInterview('ivq', { eventId: 'other', counterpart: { name: 'Lee', email: 'lee@globex.example' } })])).toBeNull();
  });
  it('withOwner sets both fields, and clears both', () => {
    const owner = storedInterview('ivx', { eventId: 'inv-7' });
    const dup = withOwner(me, { owner, by: 'uid' });
    expect([dup.duplicateOf, dup.duplicateBy]).toEqual(['ivx', 'uid']);
    expect(Object.keys(withOwner(dup, null))).not.toContain('duplicateOf');
    expect(Object.keys(withOwner(dup, null))).not.toContain('duplicateBy');
  });
});

describe('followsMovedOwner', () => {
  const me = storedInterview('ivme', { sourceId: 'icloud', eventId: 'inv-7', duplicateOf: 'ivowner', duplicateBy: 'uid' });
  const owner = storedInterview('ivowner', { sourceId: 'google', eventId: 'inv-7', start: AT + 3_600_000 });
  it.each([
    ['the owner moved by its calendar, the same invitation', {}, 'uid'],
    ['the owner moved, another UID but the same interviewer', { eventId: 'copy-1' }, 'counterpart'],
    ['the owner moved and is another call now', { eventId: 'copy-1', counterpart: { name: 'Lee', email: 'lee@globex.example' } }, null],
    ['the owner left its calendar', { vanished: true }, null],
    ['the owner is at the same time (decided among the records there)', { start: AT }, null],
    ['the owner became a duplicate itself', { duplicateOf: 'ivother' }, null],
  ] as const)('%s', (_, over, expected) => {
    expect(followsMovedOwner(me, { ...owner, ...over })?.by ?? null).toBe(expected);
  });
});
