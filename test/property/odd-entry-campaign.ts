/**
 * A longer run of odd-entry.test.ts's check, by hand, that goes on past a failure and groups the
 * failures it meets by kind of damage and message:
 *   npx tsx test/property/odd-entry-campaign.ts <runs> <seed>
 */
import fc from 'fast-check';
import { plainReadingCpuMs } from '../support/cpu-time.js';
import { calendarCase, checkCalendar } from './odd-entry-check.js';

const runs = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 1);
const oneEntryMs = 5 * plainReadingCpuMs(1_000);
/** The costliest damage met: its CPU over the undamaged reading's. */
let worst = { over: 0, cpuMs: 0, baselineMs: 0 };
const failures = new Map<string, { count: number; example: unknown; message: string }>();
const report = (done: number): void => {
  console.log(`${done} calendars, seed ${seed}: ${failures.size} distinct failure(s); costliest damage ${worst.cpuMs.toFixed(1)} ms against ${worst.baselineMs.toFixed(1)} ms undamaged (bound: 4× + ${oneEntryMs.toFixed(0)} ms)`);
  for (const [signature, { count, example, message }] of failures) console.log(`\n== ${count}× ${signature}\n${JSON.stringify(example)}\n${message}`);
};
let done = 0;
for (const c of fc.sample(calendarCase, { seed, numRuns: runs })) {
  done += 1;
  if (done % 2_000 === 0) report(done);
  try {
    const { cpuMs, baselineMs } = checkCalendar(c, oneEntryMs);
    if (cpuMs - baselineMs > worst.over) worst = { over: cpuMs - baselineMs, cpuMs, baselineMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // One failure, whatever the entry and the numbers: the damage and the first line of the message.
    const first = (message.split('\n')[0] ?? '').replace(/ of \S+ in \S+/, '').replace(/^\S+ after/, 'after').replace(/\d+(\.\d+)?/g, 'N');
    const signature = `${c.damage.kind} | ${first.slice(0, 160)}`;
    const known = failures.get(signature);
    if (known) known.count += 1;
    else failures.set(signature, { count: 1, example: c, message: message.slice(0, 800) });
  }
}
report(done);
