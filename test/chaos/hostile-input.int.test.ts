/**
 * hostile input, reduced (the full run: `npm run chaos hostile-input`, docs/RELIABILITY.md): a
 * corpus of hostile calendars, each synced by the engine in a process of its own, and fuzzed
 * config files through the validator and `ringback doctor`.
 */
import { describe, expect, it } from 'vitest';
import { runConfigFuzz, runCorpus } from '../../chaos/scenarios/hostile-input.js';

describe('hostile input (reduced)', () => {
  it('finds every good invitation in each hostile calendar, leaves the bad parts out and audits them, in bounded time', async () => {
    const { items } = await runCorpus({ hugeBytes: 1024 * 1024, manyEvents: 2_000, endlessRules: 40, garbageBytes: 64 * 1024 }, () => undefined);
    expect(items.map((i) => i.name)).toEqual(['truncated', 'huge', 'unknown-tzid', 'endless-rrule', 'many-events', 'invalid-utf8', 'garbage']);
    for (const item of items) {
      expect(item.error, item.name).toBeNull();
      expect(item.interviewsFound, item.name).toBe(item.interviewsExpected);
      expect(item.ok, item.name).toBe(true);
      expect(item.ms, item.name).toBeLessThan(20_000);
    }
  }, 60_000);

  it('a fuzzed config never lets an exception escape, and doctor exits 2 with one line', async () => {
    const r = await runConfigFuzz(1_000, 6, () => undefined);
    expect(r.escaped).toEqual([]);
    expect(r.rejected).toBeGreaterThan(500);
    expect(r.doctorRuns).toBe(6);
    expect(r.doctorBad).toEqual([]);
  }, 60_000);
});
