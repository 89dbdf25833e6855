/**
 * `npx tsx bench/detect-ab.ts [--rounds n] <checkout> <checkout>…`: detection's CPU cost in several
 * checkouts of the code (`git worktree add --detach /tmp/pc-<sha> <sha>`), compared in one process.
 * Each checkout's `analyse` and `CORPUS_SETTINGS` are bundled as they were written there, and all
 * read the same input, the calendar mix of the `detect` scenario (10,000 events, built by this
 * checkout), in rounds whose order alternates (A B C, C B A, …). Far less noisy than pairs of
 * `npm run bench -- detect` on a shared machine, where the same code gave 42,000–59,000 events per
 * CPU second between runs: the checkouts share the process, its heap and the machine's moment.
 * A checkout needs no node_modules of its own; packages are taken from this one's.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { DetectSettings } from '../src/domain/detect.js';
import type { CalendarEvent } from '../src/domain/types.js';
import { calendarEvents } from './detect.js';

interface Detector {
  readonly name: string;
  readonly analyse: (event: CalendarEvent, settings: DetectSettings) => { result: { kind: string } };
  readonly settings: DetectSettings;
  readonly rates: number[];
}

const root = fileURLToPath(new URL('..', import.meta.url));

async function bundle(checkout: string, out: string): Promise<Detector> {
  const dir = resolve(checkout);
  const entry = join(out, `${dir.replace(/\W+/g, '_')}.ts`);
  await writeFile(entry, `export { analyse } from '${dir}/src/domain/detect.ts';\nexport { CORPUS_SETTINGS } from '${dir}/bench/detection/score.ts';\n`);
  const file = entry.replace(/\.ts$/, '.mjs');
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    nodePaths: [join(dir, 'node_modules'), join(root, 'node_modules')],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  const loaded = (await import(pathToFileURL(file).href)) as { analyse: Detector['analyse']; CORPUS_SETTINGS: DetectSettings };
  return { name: checkout, analyse: loaded.analyse, settings: loaded.CORPUS_SETTINGS, rates: [] };
}

/** Events read per CPU second of this process over `passes` passes of `events`. */
function rate(detector: Detector, events: readonly CalendarEvent[], passes: number): number {
  const cpu = process.cpuUsage();
  for (let i = 0; i < passes; i++) for (const event of events) detector.analyse(event, detector.settings);
  const used = process.cpuUsage(cpu);
  return (passes * events.length) / ((used.user + used.system) / 1e6);
}

/** Rounds that warm the code up (the first runs about half as fast, the second a third slower), left out. */
const WARM_UP = 2;

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--rounds');
  const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 16;
  if (args.length === 0 || !Number.isInteger(rounds) || rounds <= WARM_UP) throw new Error(`usage: detect-ab.ts [--rounds n > ${WARM_UP}] <checkout> <checkout>…`);
  const out = await mkdtemp(join(tmpdir(), 'ringback-detect-ab-'));
  const detectors: Detector[] = [];
  for (const checkout of args) detectors.push(await bundle(checkout, out));
  const events = calendarEvents(10_000);
  for (const d of detectors) {
    const phones = events.filter((e) => d.analyse(e, d.settings).result.kind === 'interview').length;
    process.stdout.write(`${d.name}: ${phones} of ${events.length} events are phone interviews\n`);
  }
  for (let r = 0; r < rounds; r++) for (const d of r % 2 === 0 ? detectors : [...detectors].reverse()) d.rates.push(rate(d, events, 2));
  const first = median(detectors[0]?.rates.slice(WARM_UP) ?? []);
  for (const d of detectors) {
    const m = median(d.rates.slice(WARM_UP));
    process.stdout.write(`${d.name}: median ${Math.round(m).toLocaleString('en-US')} events per CPU second (${(m / first).toFixed(3)} of the first); rounds ${d.rates.map((x) => Math.round(x / 1000)).join(' ')} thousand\n`);
  }
}

await main();
