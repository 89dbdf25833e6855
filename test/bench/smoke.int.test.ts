/**
 * Every benchmark scenario at a tiny size (seconds), so that the benchmarks never rot: each must
 * run to the end on its own Redis and report finite figures, with its baselines and its files.
 * This checks that the benchmarks work, not how fast ringback is: no figure is compared with a
 * target here.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTable, runScenarios } from '../../bench/run.js';
import { SCENARIOS } from '../../bench/scenarios.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('benchmarks at a tiny size', () => {
  it('has the six scenarios of the issue, and detection throughput', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual(['sync-steady', 'fleet', 'schedule', 'churn', 'fire', 'footprint', 'detect']);
  });

  for (const scenario of SCENARIOS) {
    it(`${scenario.name} runs and reports finite figures`, async () => {
      const dir = await mkdtemp(join(tmpdir(), `ringback-smoke-${scenario.name}-`));
      dirs.push(dir);
      const lines: string[] = [];
      const [result] = await runScenarios([scenario], { tiny: true, scale: 1, resultsDir: dir, log: (line) => lines.push(line) });

      expect(result?.scenario).toBe(scenario.name);
      expect(lines.length).toBeGreaterThan(1);
      expect(result?.figures.length).toBeGreaterThan(0);
      for (const figure of result?.figures ?? []) {
        expect(Number.isFinite(figure.value), `${figure.name}: ${figure.value}`).toBe(true);
        if (figure.baseline !== null) expect(Number.isFinite(figure.baseline), `${figure.name} baseline`).toBe(true);
        if (figure.ratio !== null) expect(Number.isFinite(figure.ratio), `${figure.name} ratio`).toBe(true);
        expect(figure.pass === null || typeof figure.pass === 'boolean').toBe(true);
      }
      // At least one figure of each scenario is held to a target of the issue.
      expect(result?.figures.some((f) => f.target !== '' && f.pass !== null)).toBe(true);
      for (const file of result?.files ?? []) expect((await stat(join(dir, file))).size, file).toBeGreaterThan(0);
      expect(formatTable(result ? [result] : [])).toContain(scenario.name);
      // fire also runs its due times on two daemon processes (child processes), beside the one.
      if (scenario.name === 'fire') expect(result?.figures.filter((f) => f.name.startsWith('2 processes:')).length).toBe(5);
    }, 240_000);
  }
});
