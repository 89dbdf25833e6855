/**
 * `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a `node --cpu-prof` run spent
 * its time, by function (self time) and by package or source folder (self time), so that a
 * missed target can be explained from a profile rather than a guess.
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byFunction: readonly { name: string; ms: number; share: number }[];
  readonly byArea: readonly { area: string; ms: number; share: number }[];
}

/** node_modules/<package>, src/<folder>, bench, node:internal, (idle), (gc)… */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const src = /\/(src|bench|test)\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url.split('/').slice(-2).join('/');
}

export function summarize(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|src|bench|test)\//, '$1/')}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + us);
    const a = areaOf(url, functionName);
    area.set(a, (area.get(a) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => ({ k, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }));
  return {
    totalMs: Math.round(total / 1000),
    byFunction: rank(fn).map(({ k, ms, share }) => ({ name: k, ms, share })),
    byArea: rank(area).map(({ k, ms, share }) => ({ area: k, ms, share })),
  };
}

async function main(): Promise<void> {
  const [file, topText] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  const summary = summarize(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, Number(topText ?? 15));
  process.stdout.write(`total ${summary.totalMs} ms sampled\n\nby area (self time):\n`);
  for (const a of summary.byArea) process.stdout.write(`  ${String(a.ms).padStart(7)} ms ${String(a.share).padStart(5)}%  ${a.area}\n`);
  process.stdout.write('\nby function (self time):\n');
  for (const f of summary.byFunction) process.stdout.write(`  ${String(f.ms).padStart(7)} ms ${String(f.share).padStart(5)}%  ${f.name}\n`);
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
