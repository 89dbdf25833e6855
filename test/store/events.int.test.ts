/**
 * The events seen per calendar source, against a real Redis: one field per event holds its hash and
 * busy time; what an earlier version kept in two hashes is read and merged.
 */
import { describe, expect, it } from 'vitest';
import {
  forgetEvents,
  getBusy,
  getEventHashes,
  getEventHashesOf,
  invalidateEventHashes,
  mergeLegacyBusy,
  setEventsSeen,
} from '../../src/store/events.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('events');

const HOUR = 3_600_000;
const T = Date.UTC(2026, 11, 7, 9);
const ALL = { from: 0, to: Number.MAX_SAFE_INTEGER };

const keyOf = (source: string, kind: 'events' | 'busy') => `{${t.store.prefix}}:src:${source}:${kind}`;

describe('events seen per source', () => {
  it('keeps each event in one field: its hash for the sync, its busy time for free slots', async () => {
    await setEventsSeen(
      t.store,
      'one',
      new Map([
        ['late', { hash: 'h-late', busy: { start: T + 5 * HOUR, end: T + 6 * HOUR } }],
        ['early', { hash: 'h-early', busy: { start: T, end: T + HOUR } }],
        ['all-day', { hash: 'h-all-day' }],
        ['skip:abc', { hash: '1' }],
      ]),
    );
    expect(await t.redis.hlen(keyOf('one', 'events'))).toBe(4);
    expect(await t.redis.exists(keyOf('one', 'busy'))).toBe(0);
    expect(await getEventHashes(t.store, 'one')).toEqual(new Map([['late', 'h-late'], ['early', 'h-early'], ['all-day', 'h-all-day'], ['skip:abc', '1']]));
    expect(await getEventHashesOf(t.store, 'one', ['early', 'all-day', 'never'])).toEqual(new Map([['early', 'h-early'], ['all-day', 'h-all-day']]));
    expect(await getBusy(t.store, 'one', ALL)).toEqual([
      { start: T, end: T + HOUR },
      { start: T + 5 * HOUR, end: T + 6 * HOUR },
    ]);
    expect(await getBusy(t.store, 'one', { from: T + HOUR, to: T + 5 * HOUR + 1 })).toEqual([{ start: T + 5 * HOUR, end: T + 6 * HOUR }]);

    // A change that frees the time (now all-day or cancelled) takes the busy time away.
    await setEventsSeen(t.store, 'one', new Map([['early', { hash: 'h-early-2' }]]));
    expect(await getBusy(t.store, 'one', ALL)).toEqual([{ start: T + 5 * HOUR, end: T + 6 * HOUR }]);
    await forgetEvents(t.store, 'one', ['late']);
    expect(await getBusy(t.store, 'one', ALL)).toEqual([]);
    expect([...(await getEventHashes(t.store, 'one')).keys()].sort()).toEqual(['all-day', 'early', 'skip:abc']);
  });

  it('invalidation empties every hash but keeps each id and its busy time', async () => {
    await setEventsSeen(
      t.store,
      'two',
      new Map([
        ['a', { hash: 'h-a', busy: { start: T, end: T + HOUR } }],
        ['b', { hash: 'h-b' }],
        ['skip:x', { hash: '1' }],
      ]),
    );
    await invalidateEventHashes(t.store, 'two', ['gone-from-store']);
    expect(await getEventHashes(t.store, 'two')).toEqual(new Map([['a', ''], ['b', ''], ['skip:x', '1'], ['gone-from-store', '']]));
    expect(await getBusy(t.store, 'two', ALL)).toEqual([{ start: T, end: T + HOUR }]);
    // The next sync writes the event again, busy time with it.
    await setEventsSeen(t.store, 'two', new Map([['a', { hash: 'h-a', busy: { start: T + HOUR, end: T + 2 * HOUR } }]]));
    expect((await getEventHashes(t.store, 'two')).get('a')).toBe('h-a');
    expect(await getBusy(t.store, 'two', ALL)).toEqual([{ start: T + HOUR, end: T + 2 * HOUR }]);
  });

  it('reads the hashes of an earlier version, and merges its busy hash into them once', async () => {
    // As earlier versions wrote them: the hash alone here, `start,end` in a hash of its own.
    await t.redis.hset(keyOf('old', 'events'), 'a', 'h-a', 'b', 'h-b', 'c', 'h-c', 'skip:y', '1');
    await t.redis.hset(keyOf('old', 'busy'), 'a', `${T},${T + HOUR}`, 'b', `${T + 2 * HOUR},${T + 3 * HOUR}`, 'deleted', `${T},${T + 9 * HOUR}`);
    expect(await getEventHashes(t.store, 'old')).toEqual(new Map([['a', 'h-a'], ['b', 'h-b'], ['c', 'h-c'], ['skip:y', '1']]));
    expect(await getEventHashesOf(t.store, 'old', ['b'])).toEqual(new Map([['b', 'h-b']]));

    expect(await mergeLegacyBusy(t.store, 'old')).toBe(2);
    expect(await t.redis.exists(keyOf('old', 'busy'))).toBe(0);
    // Hashes unchanged (no event is processed again for it), busy times moved, the unknown one dropped.
    expect(await getEventHashes(t.store, 'old')).toEqual(new Map([['a', 'h-a'], ['b', 'h-b'], ['c', 'h-c'], ['skip:y', '1']]));
    expect(await getBusy(t.store, 'old', ALL)).toEqual([
      { start: T, end: T + HOUR },
      { start: T + 2 * HOUR, end: T + 3 * HOUR },
    ]);
    expect(await mergeLegacyBusy(t.store, 'old')).toBe(0);
    expect(await getBusy(t.store, 'old', ALL)).toHaveLength(2);
  });

  it('never lets a busy time of an earlier version overwrite one written since', async () => {
    await setEventsSeen(t.store, 'mixed', new Map([['a', { hash: 'h-a2', busy: { start: T + HOUR, end: T + 2 * HOUR } }]]));
    await t.redis.hset(keyOf('mixed', 'busy'), 'a', `${T},${T + HOUR}`);
    expect(await mergeLegacyBusy(t.store, 'mixed')).toBe(0);
    expect(await getBusy(t.store, 'mixed', ALL)).toEqual([{ start: T + HOUR, end: T + 2 * HOUR }]);
  });
});
