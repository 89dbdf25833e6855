/**
 * What a benchmark reports: figures, each measured against its baseline in the same run and read
 * against the target of issue 8. A figure without a target is shown for context only.
 *
 * Ratios are always oriented so that bigger is better:
 * - `share`: ours ÷ baseline (throughput, as "% of raw");
 * - `fewer`: baseline ÷ ours (cost, as "× fewer");
 * - `times`: ours ÷ baseline for a latency with an absolute target, as "× the baseline" (context:
 *   how much of the figure the baseline already accounts for).
 */

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The baseline's figure in the same unit, from the same run; null when the scenario has none. */
  readonly baseline: number | null;
  readonly baselineLabel: string | null;
  /** See the module comment; null without a baseline. */
  readonly ratio: number | null;
  readonly ratioKind: 'share' | 'fewer' | 'times' | null;
  /** The target in words, e.g. "≥ 50% of raw", "≤ 250 ms"; '' when the figure is context only. */
  readonly target: string;
  /** null when the figure has no target. */
  readonly pass: boolean | null;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly what: string;
  /** The size actually run (scaled or tiny sizes are reported as they were). */
  readonly size: Readonly<Record<string, number | string>>;
  readonly figures: readonly Figure[];
  /** What was driven (engine, adapter, daemon), and anything a reader needs to trust the figures. */
  readonly notes: readonly string[];
  /** Where the time went: Redis command stats, slow log, CPU profile summaries. */
  readonly profile: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
  /** Files written next to the JSON (relative names). */
  readonly files: readonly string[];
}

export interface ScenarioContext {
  /** The smoke-test size: seconds, not minutes. */
  readonly tiny: boolean;
  /** Multiplies the sizes (1 = as specified). Ignored when tiny. */
  readonly scale: number;
  /** Where plots and profiles go. */
  readonly resultsDir: string;
  /** Profile the measured phases with the CPU profiler (`--cpu-prof`); see lib/cpu.ts. */
  readonly cpuProfile: boolean;
  /** How the benchmark's own Redis is reached (`--redis unix|tcp`); see lib/redis.ts. */
  readonly redis: 'unix' | 'tcp';
  /** Redis settings to apply with CONFIG SET at start (`--redis-config name=value`, e.g. hz=100). */
  readonly redisConfig?: Readonly<Record<string, string>>;
  progress(message: string): void;
}

export interface Scenario {
  readonly name: string;
  readonly what: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** A figure with a limit on its own value. */
export function limit(
  name: string,
  value: number,
  unit: string,
  bound: { max?: number; min?: number },
  against?: { baseline: number; label: string; kind: 'share' | 'fewer' | 'times' },
): Figure {
  const parts: string[] = [];
  let pass = Number.isFinite(value);
  if (bound.max !== undefined) {
    parts.push(`≤ ${formatNumber(bound.max)} ${unit}`);
    pass &&= value <= bound.max;
  }
  if (bound.min !== undefined) {
    parts.push(`≥ ${formatNumber(bound.min)} ${unit}`);
    pass &&= value >= bound.min;
  }
  const compared = against ? info(name, value, unit, against) : info(name, value, unit);
  return { ...compared, target: parts.join(', '), pass };
}

/** A throughput against its baseline's: ratio = ours ÷ baseline, target a minimum share. */
export function share(name: string, value: number, baseline: number, unit: string, label: string, minShare: number): Figure {
  const ratio = baseline > 0 ? value / baseline : Number.NaN;
  const target = `≥ ${Math.round(minShare * 100)}% of ${label}`;
  return { ...compared(name, value, unit, { baseline, label, kind: 'share' }, ratio), target, pass: Number.isFinite(ratio) && ratio >= minShare };
}

/** A cost against its baseline's: ratio = baseline ÷ ours, target a minimum factor. */
export function fewer(name: string, value: number, baseline: number, unit: string, label: string, minFactor: number): Figure {
  const ratio = value > 0 ? baseline / value : baseline > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  const target = `≥ ${formatNumber(minFactor)}× fewer than ${label}`;
  return { ...compared(name, value, unit, { baseline, label, kind: 'fewer' }, ratio), target, pass: !Number.isNaN(ratio) && ratio >= minFactor };
}

/** Context only: no target. With a baseline, the ratio is ours ÷ baseline or baseline ÷ ours. */
export function info(
  name: string,
  value: number,
  unit: string,
  against?: { baseline: number; label: string; kind: 'share' | 'fewer' | 'times' },
): Figure {
  if (!against) return { name, value, unit, baseline: null, baselineLabel: null, ratio: null, ratioKind: null, target: '', pass: null };
  const computed = against.kind === 'fewer' ? against.baseline / value : value / against.baseline;
  // A baseline of 0 (a bare worker that started a job in the very millisecond) gives no ratio.
  return compared(name, value, unit, against, Number.isFinite(computed) ? computed : null);
}

/** A figure against its baseline, with the ratio as its kind computes it; no target yet. */
function compared(
  name: string,
  value: number,
  unit: string,
  against: { baseline: number; label: string; kind: 'share' | 'fewer' | 'times' },
  ratio: number | null,
): Figure {
  return { name, value, unit, baseline: against.baseline, baselineLabel: against.label, ratio, ratioKind: against.kind, target: '', pass: null };
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  if (abs >= 100_000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return Math.round(n).toLocaleString('en-US');
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  if (abs === 0) return '0';
  return n.toPrecision(2);
}

export function formatRatio(figure: Figure): string {
  if (figure.ratio === null || figure.ratioKind === null) return '';
  if (!Number.isFinite(figure.ratio)) return String(figure.ratio);
  if (figure.ratioKind === 'share') return `${(figure.ratio * 100).toFixed(0)}%`;
  return figure.ratioKind === 'fewer' ? `${formatNumber(figure.ratio)}× fewer` : `${formatNumber(figure.ratio)}×`;
}

/** Percentile by nearest rank (p in 0..100) of an unsorted list; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Runs `work` over `items` with at most `concurrency` in flight, in order of the list. */
export async function eachLimited<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    for (;;) {
      const index = next++;
      if (index >= items.length) return;
      await work(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
}

/** Scales a count from the size, never below `floor`. */
export function scaled(full: number, context: ScenarioContext, tiny: number, floor = 1): number {
  if (context.tiny) return tiny;
  return Math.max(floor, Math.round(full * context.scale));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
