/**
 * Detection is held to its figures on the corpus of invitations modelled on real templates
 * (`bench/detection/corpus.yaml`): precision ≥ 0.97 and recall ≥ 0.95 for phone interviews,
 * direction and number right on ≥ 95% of those found, and never a conference bridge as the number.
 */
import { describe, expect, it } from 'vitest';
import { figures, loadCorpus, report, run } from '../../bench/detection/score.js';
import { THRESHOLDS, shortOf } from '../../bench/detection/thresholds.js';

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
