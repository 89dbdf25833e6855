/**
 * Detection is held to its figures on the corpus of invitations modelled on real templates
 * (`bench/detection/corpus.yaml`): precision ≥ 0.97 and recall ≥ 0.95 for phone interviews,
 * direction and number right on ≥ 95% of those found, and never a conference bridge as the number.
 */
import { describe, expect, it } from 'vitest';
import { HOLDOUT_FILE, figures, loadCorpus, report, run } from '../../bench/detection/score.js';
import { HOLDOUT_THRESHOLDS, THRESHOLDS, shortOf } from '../../bench/detection/thresholds.js';

describe('detection on the corpus', () => {
  const entries = loadCorpus();
  const outcomes = run(entries);
  const f = figures(outcomes);

  it('has enough phone interviews and look-alikes, each citing its template', () => {
    expect(f.phones).toBeGreaterThanOrEqual(THRESHOLDS.minPhones);
    expect(f.lookAlikes).toBeGreaterThanOrEqual(THRESHOLDS.minLookAlikes);
    for (const entry of entries) expect(entry.source, entry.id).toMatch(/^https:\/\//);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('meets precision, recall, direction and number, and never dials a bridge', () => {
    const short = shortOf(f);
    expect(short, `${short.join('; ')}\n\n${report(outcomes)}`).toEqual([]);
    expect(f.bridgesChosen).toBe(0);
  });

  it('names every bridge number of the corpus and never chooses one', () => {
    const withBridges = entries.filter((e) => e.bridges.size > 0);
    expect(withBridges.length).toBeGreaterThan(20);
    for (const o of outcomes) if (o.number !== null) expect(o.entry.bridges.has(o.number), o.entry.id).toBe(false);
  });
});

/**
 * The held-out file (`bench/detection/holdout.yaml`): invitations written apart from the corpus and
 * never used to tune detection. Held to the same precision, recall and bridge bars. Direction and
 * number are held at 90%: two ATS reminders come from a no-reply address, so there is nobody to
 * confirm with and no dialling is planned (the kind is still read right).
 */
describe('detection on the held-out invitations', () => {
  const entries = loadCorpus(HOLDOUT_FILE);
  const outcomes = run(entries);
  const f = figures(outcomes);

  it('has enough phone interviews and look-alikes, each citing its source', () => {
    expect(f.phones).toBeGreaterThanOrEqual(HOLDOUT_THRESHOLDS.minPhones);
    expect(f.lookAlikes).toBeGreaterThanOrEqual(HOLDOUT_THRESHOLDS.minLookAlikes);
    for (const entry of entries) expect(entry.source, entry.id).toMatch(/^https:\/\//);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  it('meets precision and recall, never dials a bridge, and reads direction and number on 90%', () => {
    const short = shortOf(f, { ...HOLDOUT_THRESHOLDS, dialling: 0.9 });
    expect(short, `${short.join('; ')}\n\n${report(outcomes, 'held-out')}`).toEqual([]);
    expect(f.bridgesChosen).toBe(0);
  });
});
