/**
 * `npm run bench [scenario…] [--tiny] [--scale n] [--out dir]`: runs every scenario, or the named
 * ones, one after the other (each on its own Redis), shows progress while they run, prints one
 * table (figure, baseline, ratio, target, pass/short) and writes `<out>/latest.json` next to the
 * plots. A run of some scenarios keeps the other scenarios' last results in the JSON.
 *
 * --tiny     the smoke-test sizes (seconds); results go to a temp folder unless --out is given
 * --scale n  multiplies the issue's sizes (0.1 = a tenth); the sizes run are in the JSON
 * --cpu-prof CPU profiles of the measured phases, written next to the JSON and summarised in it
 * --redis t  unix (default: the product's `redis: managed`, a unix socket) or tcp (a local port)
 * --markdown prints the table of <out>/latest.json in Markdown (for bench/README.md) and exits
 * --redis-config name=value  CONFIG SET on each benchmark's Redis (repeatable), for what-if runs
 *            such as hz=100 or hash-max-listpack-value=256 (see bench/README.md)
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { formatNumber, formatRatio, type Scenario, type ScenarioResult } from './lib/figures.js';
import { SCENARIOS } from './scenarios.js';

interface Args {
  readonly names: string[];
  readonly tiny: boolean;
  readonly scale: number;
  readonly out: string | null;
  readonly cpuProfile: boolean;
  readonly markdown: boolean;
  readonly redis: 'unix' | 'tcp';
  readonly redisConfig: Record<string, string>;
}

function parseArgs(argv: readonly string[]): Args {
  const names: string[] = [];
  let tiny = false;
  let scale = 1;
  let out: string | null = null;
  let cpuProfile = false;
  let markdown = false;
  let redis: 'unix' | 'tcp' = 'unix';
  const redisConfig: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--tiny') tiny = true;
    else if (arg === '--scale') scale = Number(argv[++i]);
    else if (arg === '--out') out = argv[++i] ?? null;
    else if (arg === '--cpu-prof') cpuProfile = true;
    else if (arg === '--markdown') markdown = true;
    else if (arg === '--redis') {
      const value = argv[++i];
      if (value !== 'unix' && value !== 'tcp') throw new Error('--redis takes unix or tcp');
      redis = value;
    } else if (arg === '--redis-config') {
      const [name, ...rest] = (argv[++i] ?? '').split('=');
      if (!name || rest.length === 0) throw new Error('--redis-config takes name=value, e.g. hz=100');
      redisConfig[name] = rest.join('=');
    }
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (known: --tiny, --scale n, --out dir, --cpu-prof, --markdown, --redis unix|tcp, --redis-config name=value)`);
    else names.push(arg);
  }
  if (!Number.isFinite(scale) || scale <= 0) throw new Error('--scale takes a positive number, e.g. --scale 0.1');
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return { names, tiny, scale, out, cpuProfile, markdown, redis, redisConfig };
}

function redisVersion(): string {
  try {
    return /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message : String(error)})`;
  }
}

export function machine(): Record<string, string | number> {
  return {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / 1_048_576),
    node: process.version,
    redis: redisVersion(),
    platform: `${process.platform} ${process.arch}`,
  };
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

/** The results as a fixed-width table, one row per figure. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows: string[][] = [['scenario', 'figure', 'value', 'baseline', 'ratio', 'target', 'result']];
  for (const r of results) {
    for (const f of r.figures) {
      rows.push([
        r.scenario,
        f.name,
        `${formatNumber(f.value)} ${f.unit}`,
        f.baseline === null ? '' : `${formatNumber(f.baseline)} ${f.unit}${f.baselineLabel ? ` (${f.baselineLabel})` : ''}`,
        formatRatio(f),
        f.target,
        f.pass === null ? '' : f.pass ? 'pass' : 'SHORT',
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => pad(cell, widths[c]!, c === 2 || c === 3 || c === 4)).join(' | ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

/** The same table in Markdown, for bench/README.md. */
export function formatMarkdown(results: readonly ScenarioResult[]): string {
  const out = ['| scenario | figure | value | baseline | ratio | target | result |', '|---|---|--:|--:|--:|---|---|'];
  for (const r of results) {
    for (const f of r.figures) {
      const baseline = f.baseline === null ? '' : `${formatNumber(f.baseline)} ${f.unit}${f.baselineLabel ? ` (${f.baselineLabel})` : ''}`;
      out.push(`| ${r.scenario} | ${f.name} | ${formatNumber(f.value)} ${f.unit} | ${baseline} | ${formatRatio(f)} | ${f.target} | ${f.pass === null ? '' : f.pass ? 'pass' : '**short**'} |`);
    }
  }
  return out.join('\n');
}

export async function runScenarios(
  scenarios: readonly Scenario[],
  options: {
    tiny: boolean;
    scale: number;
    resultsDir: string;
    cpuProfile?: boolean;
    redis?: 'unix' | 'tcp';
    redisConfig?: Record<string, string>;
    log: (line: string) => void;
  },
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const started = Date.now();
    const progress = (message: string) => options.log(`[${scenario.name} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
    progress(`started: ${scenario.what}`);
    const result = await scenario.run({
      tiny: options.tiny,
      scale: options.scale,
      resultsDir: options.resultsDir,
      cpuProfile: options.cpuProfile ?? false,
      redis: options.redis ?? 'unix',
      ...(options.redisConfig ? { redisConfig: options.redisConfig } : {}),
      progress,
    });
    progress(`done: ${result.figures.filter((f) => f.pass === false).length} short of target`);
    results.push(result);
  }
  return results;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const resultsDir = args.out ?? (args.tiny ? await mkdtemp(join(tmpdir(), 'ringback-bench-tiny-')) : fileURLToPath(new URL('./results', import.meta.url)));
  await mkdir(resultsDir, { recursive: true });
  if (args.markdown) {
    const saved = JSON.parse(await readFile(join(resultsDir, 'latest.json'), 'utf8')) as { date: string; results: ScenarioResult[] };
    process.stdout.write(`Measured ${saved.date}\n\n${formatMarkdown(saved.results)}\n`);
    return;
  }
  const chosen = args.names.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => args.names.includes(s.name));
  const results = await runScenarios(chosen, {
    tiny: args.tiny,
    scale: args.scale,
    resultsDir,
    cpuProfile: args.cpuProfile,
    redis: args.redis,
    redisConfig: args.redisConfig,
    log: (line) => process.stderr.write(`${line}\n`),
  });

  const file = join(resultsDir, 'latest.json');
  let previous: ScenarioResult[] = [];
  try {
    previous = (JSON.parse(await readFile(file, 'utf8')) as { results: ScenarioResult[] }).results;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const merged = SCENARIOS.map((s) => results.find((r) => r.scenario === s.name) ?? previous.find((r) => r.scenario === s.name)).filter(
    (r): r is ScenarioResult => r !== undefined,
  );
  const document = { date: new Date().toISOString(), machine: machine(), tiny: args.tiny, scale: args.scale, redis: args.redis, redisConfig: args.redisConfig, ran: chosen.map((s) => s.name), results: merged };
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);

  process.stdout.write(`\n${formatTable(results)}\n\nresults: ${file}\n`);
  for (const r of results) for (const f of r.files) process.stdout.write(`plot: ${join(resultsDir, f)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
