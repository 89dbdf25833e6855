/**
 * `npm run chaos [scenario]`: the full-size reliability and security scenarios of
 * docs/RELIABILITY.md, one or all. Each prints its figures and writes them to
 * `chaos/results/<scenario>.json`; the process exits 1 when a scenario's pass condition fails.
 *
 * Scenarios: crash-send, smtp-window, redis-crash, redis-power-loss, provider-faults,
 * hostile-input, reach, outage.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runCrashSend } from './scenarios/crash-send.js';
import { runConfigFuzz, runCorpus } from './scenarios/hostile-input.js';
import { runProviderFaults } from './scenarios/provider-faults.js';
import { runRedisCrash } from './scenarios/redis-crash.js';
import { runReach } from './scenarios/reach.js';
import { outagePassed, runOutage, type OutageVariant } from './scenarios/outage.js';
import { FULL_CORPUS } from './lib/corpus.js';

const log = (line: string) => process.stdout.write(`  ${new Date().toISOString().slice(11, 19)} ${line}\n`);

interface Outcome {
  readonly passed: boolean;
  readonly figures: unknown;
}

const SCENARIOS: Record<string, () => Promise<Outcome>> = {
  'crash-send': async () => {
    const r = await runCrashSend({
      confirmations: 300,
      windowMs: 60_000,
      minKills: 15,
      modes: ['startup', 'timer', 'sent-audit', 'sent-file', 'claim'],
      deadlineMs: 8 * 60_000,
      log,
    });
    return { passed: r.lost === 0 && r.duplicatedUnexplained === 0 && r.duplicatedInSent === 0 && r.missingInSent === 0 && r.leftoverDrafts === 0 && r.kills >= 15 && r.secretHits.length === 0, figures: r };
  },
  'smtp-window': async () => {
    // Every kill aimed at the instant the SMTP server stores a message, before its 250 is read.
    const r = await runCrashSend({ confirmations: 60, windowMs: 30_000, minKills: 15, modes: ['smtp-accept'], deadlineMs: 5 * 60_000, log });
    return { passed: r.lost === 0 && r.duplicatedUnexplained === 0 && r.duplicatedInSent === 0, figures: r };
  },
  'redis-crash': async () => {
    const r = await runRedisCrash({ confirmations: 100, later: 300, windowMs: 60_000, redisKills: 5, changes: 10, powerLoss: false, deadlineMs: 4 * 60_000, log });
    return { passed: r.lost === 0 && r.duplicated === 0 && r.problems.length === 0 && r.secretHits.length === 0, figures: r };
  },
  'redis-power-loss': async () => {
    const r = await runRedisCrash({ confirmations: 100, later: 300, windowMs: 60_000, redisKills: 5, changes: 10, powerLoss: true, deadlineMs: 4 * 60_000, log });
    return { passed: r.lost === 0 && r.duplicated === 0 && r.problems.length === 0 && r.secretHits.length === 0, figures: r };
  },
  'provider-faults': async () => {
    const r = await runProviderFaults({ soon: 8, later: 10, faultRate: 0.2, changeAfterMs: 20_000, stepMs: 5_000, cleanPoll: true, deadlineMs: 5 * 60_000, log });
    const healthy = ['acct-a', 'acct-b'].every((id) => r.accounts[id]?.attention === null && (r.accounts[id]?.lastSyncAt ?? 0) > r.brokenAt);
    return {
      passed: r.lost === 0 && r.duplicated === 0 && r.problems.length === 0 && r.retryAfterEarly.length === 0 && r.callsDuringRetryAfter === 0 && healthy && r.accounts['acct-c']?.attention === 'needs-reauth' && r.secretHits.length === 0,
      figures: r,
    };
  },
  'hostile-input': async () => {
    const corpus = await runCorpus(FULL_CORPUS, log);
    const configs = await runConfigFuzz(10_000, 40, log);
    return { passed: corpus.items.every((i) => i.ok) && configs.escaped.length === 0 && configs.doctorBad.length === 0, figures: { corpus, configs } };
  },
  outage: async () => {
    const variants: OutageVariant[] = ['revoked', 'maildir-removed', 'sent-removed', 'relay-stopped', 'start-unopenable', 'imap-stopped', 'calendar'];
    const results = [];
    for (const variant of variants) results.push(await runOutage({ variant, interviews: 50, due: 20, log }));
    return { passed: results.every(outagePassed), figures: results };
  },
  reach: async () => {
    const r = await runReach(log);
    return { passed: r.problems.length === 0, figures: r };
  },
};

const wanted = process.argv[2];
const names = wanted ? [wanted] : Object.keys(SCENARIOS);
const unknown = names.filter((name) => !(name in SCENARIOS));
if (unknown.length > 0) {
  process.stderr.write(`chaos: no scenario "${unknown.join(', ')}" (one of: ${Object.keys(SCENARIOS).join(', ')})\n`);
  process.exit(2);
}
const results = fileURLToPath(new URL('./results/', import.meta.url));
await mkdir(results, { recursive: true });
let failed = 0;
process.stdout.write(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1024 ** 3)} GB, node ${process.version}\n`);
for (const name of names) {
  process.stdout.write(`\n== ${name}\n`);
  const started = Date.now();
  const outcome = await (SCENARIOS[name] as () => Promise<Outcome>)();
  const record = { scenario: name, passed: outcome.passed, ranAt: new Date().toISOString(), seconds: Math.round((Date.now() - started) / 1000), figures: outcome.figures };
  await writeFile(`${results}${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(outcome.figures, null, 2)}\n== ${name}: ${outcome.passed ? 'PASSED' : 'FAILED'} in ${record.seconds} s\n`);
  if (!outcome.passed) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
