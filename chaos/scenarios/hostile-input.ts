/**
 * hostile input, end to end: (1) a corpus of hostile calendars, each synced by the engine in a
 * process of its own (time and peak memory measured), whose good invitations must all be found
 * and whose bad parts must be left out and audited; (2) fuzzed config files, every one validated
 * without an exception escaping, and a sample run through `ringback doctor`, which must exit 2
 * with one line naming the problem, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { validateConfigText } from '../../config/load.js';
import { readAudit } from '../../src/store/audit.js';
import { startTestRedis } from '../../test/support/redis-server.js';
import { buildCorpus, type CorpusSizes } from '../lib/corpus.js';
import { CALENDAR_ID, createWorld } from '../lib/world.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CorpusResult {
  readonly name: string;
  readonly what: string;
  readonly megabytes: number;
  readonly ms: number;
  readonly maxRssMb: number;
  readonly interviewsExpected: number;
  readonly interviewsFound: number;
  readonly eventsRead: number;
  readonly skippedItems: number;
  readonly skippedAudited: number;
  readonly error: string | null;
  readonly ok: boolean;
}

function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export async function runCorpus(sizes: CorpusSizes, log: (line: string) => void): Promise<{ baselineRssMb: number; items: CorpusResult[] }> {
  const redis = await startTestRedis();
  try {
    const syncOnce = async (bytes: Buffer) => {
      const world = await createWorld({ redisUrl: redis.url });
      try {
        await writeFile(world.calendarFile, bytes);
        const out = await run(process.execPath, ['--import', 'tsx', join(ROOT, 'chaos/sync-child.ts'), world.configFile], { RINGBACK_SECRET_KEY: world.secretKey }, 600_000);
        const line = out.stdout.trim().split('\n').at(-1) ?? '';
        let parsed: { ms: number; maxRssMb: number; summaries: Array<{ events: number; interviewsNew: number; skippedItems: number }>; error?: string };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch (error) {
          throw new Error(`the sync child printed no result (exit ${out.code}): ${out.stderr.slice(-500)}`, { cause: error });
        }
        const audited = (await readAudit(world.store, { count: 100_000 })).filter((r) => r.type === 'skipped' && r.accountId === CALENDAR_ID).length;
        return { ...parsed, audited };
      } finally {
        await world.close();
      }
    };
    const baseline = await syncOnce(Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n'));
    const items: CorpusResult[] = [];
    for (const item of buildCorpus(Date.now(), sizes)) {
      const result = await syncOnce(item.bytes);
      const summary = result.summaries[0];
      const found = summary?.interviewsNew ?? 0;
      const skipped = summary?.skippedItems ?? 0;
      const ok = !result.error && found === item.interviews && (!item.expectSkipped || (skipped > 0 && result.audited > 0));
      items.push({
        name: item.name,
        what: item.what,
        megabytes: Math.round((item.bytes.length / 1024 / 1024) * 10) / 10,
        ms: result.ms,
        maxRssMb: result.maxRssMb,
        interviewsExpected: item.interviews,
        interviewsFound: found,
        eventsRead: summary?.events ?? 0,
        skippedItems: skipped,
        skippedAudited: result.audited,
        error: result.error ?? null,
        ok,
      });
      log(`${item.name}: ${result.ms} ms, ${result.maxRssMb} MB peak, ${found}/${item.interviews} interviews, ${skipped} skipped (${result.audited} audited)${ok ? '' : ' — NOT OK'}`);
    }
    return { baselineRssMb: baseline.maxRssMb, items };
  } finally {
    await redis.stop();
  }
}

export interface ConfigFuzzResult {
  readonly generated: number;
  readonly rejected: number;
  readonly accepted: number;
  /** Exceptions that escaped validation (must be 0). */
  readonly escaped: readonly string[];
  readonly doctorRuns: number;
  /** Doctor runs that did not end with exit 2 and one line without a stack trace. */
  readonly doctorBad: readonly string[];
}

/** Ways a config file gets broken: by hand, by a bad merge, by a disk, or on purpose. */
function damage(example: string): fc.Arbitrary<string> {
  const lines = example.split('\n');
  const edit = fc.oneof(
    fc.nat(lines.length - 1).map((i) => (t: string[]) => t.filter((_, j) => j !== i)),
    fc.tuple(fc.nat(lines.length - 1), fc.string({ unit: 'binary', maxLength: 12 })).map(([i, s]) => (t: string[]) => t.map((l, j) => (j === i ? l.slice(0, l.length >> 1) + s + l.slice(l.length >> 1) : l))),
    fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('\t', '  ', '- ', ': ', '[', '{', '&a ', '*a', '!!binary ', '%YAML 9\n', '"', "'", '#')).map(([i, s]) => (t: string[]) => t.map((l, j) => (j === i ? s + l : l))),
    fc.tuple(fc.nat(lines.length - 1), fc.constantFrom('zzUnknown: 1', 'timing: { confirmLeadMinutes: 1e99 }', 'password: hunter2hunter2', 'candidate: 5', 'calendars: {}', 'redis: "redis://:secret@host:1/0"')).map(([i, s]) => (t: string[]) => [...t.slice(0, i), s, ...t.slice(i)]),
    fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (t: string[]) => t.slice(0, Math.floor(t.length * f))),
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => edits.reduce((t, e) => e(t), lines).join('\n')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '\u0000\u0001\u0002', 'a: &a [*a, *a]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]', `${'['.repeat(5000)}`, `x: ${'y'.repeat(200_000)}`, '---\n---\n---', 'candidate:\n  - - - - - - - -') },
  );
}

export async function runConfigFuzz(generated: number, doctorSample: number, log: (line: string) => void): Promise<ConfigFuzzResult> {
  const example = await readFile(join(ROOT, 'config/ringback.example.yaml'), 'utf8');
  const texts = fc.sample(damage(example), generated);
  const dir = await mkdtemp(join(tmpdir(), 'ringback-configs-'));
  try {
    const rejected: string[] = [];
    const escaped: string[] = [];
    let accepted = 0;
    for (const text of texts) {
      try {
        const result = validateConfigText(text, 'ringback.yaml', dir, {});
        if (result.config === null) rejected.push(text);
        else accepted += 1;
      } catch (error) {
        escaped.push(error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : String(error));
      }
    }
    const doctorBad: string[] = [];
    const sample = rejected.filter((_, i) => i % Math.max(1, Math.floor(rejected.length / doctorSample)) === 0).slice(0, doctorSample);
    for (let i = 0; i < sample.length; i += 2) {
      const pair = sample.slice(i, i + 2);
      const runs = await Promise.all(
        pair.map(async (text, k) => {
          const file = join(dir, `fuzz-${i + k}.yaml`);
          await writeFile(file, text);
          return await run(process.execPath, [join(ROOT, 'bin/ringback.js'), '--config', file, 'doctor'], { RINGBACK_SECRET_KEY: '44'.repeat(32) }, 60_000);
        }),
      );
      runs.forEach((out, k) => {
        const lines = out.stderr.trim().split('\n');
        const stack = /^\s+at |node:internal|\.ts:\d+:\d+/m.test(out.stderr);
        if (out.code !== 2 || lines.length !== 1 || !lines[0]?.startsWith('ringback: ') || stack) {
          doctorBad.push(`fuzz-${i + k}.yaml: exit ${out.code}, stderr ${JSON.stringify(out.stderr.slice(0, 400))}`);
        }
      });
    }
    log(`configs: ${texts.length} generated, ${rejected.length} rejected, ${accepted} still valid, ${escaped.length} exceptions; doctor: ${sample.length} runs, ${doctorBad.length} bad`);
    return { generated: texts.length, rejected: rejected.length, accepted, escaped, doctorRuns: sample.length, doctorBad };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
