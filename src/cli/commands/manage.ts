/** Commands that change what ringback knows: `outcome`, `company clear`, `company zone`, `export`, `import`. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { Outcome } from '../../domain/types.js';
import { BadInputError } from '../../errors.js';
import { checkCounterpartZone, clearCompanyPattern, setCounterpartZoneFor } from '../../engine/company.js';
import { recordOutcome } from '../../engine/outcome.js';
import { callHolder } from '../../engine/same-call.js';
import { reconcile } from '../../engine/reconcile.js';
import { safeTitle } from '../../engine/wording.js';
import { isOutcome, OUTCOMES } from '../../domain/outcomes.js';
import { checkExport, MAX_EXPORT_BYTES } from '../../store/export-check.js';
import { listCompanies } from '../../store/companies.js';
import { exportRecords, importRecords } from '../../store/export.js';
import { findInterview } from '../../store/interviews.js';
import { say } from '../io.js';
import { withEngine, withRuntime, type GlobalOptions } from '../session.js';

export function parseOutcome(value: string): Outcome {
  if (isOutcome(value)) return value;
  throw new BadInputError(`outcome: "${value}" is not one of ${OUTCOMES.join(', ')}`);
}

const NEXT_STEP: Record<Outcome, string> = {
  held: 'a thank-you draft will be written after the call',
  'interviewer-no-show': 'the no-show draft offers to reschedule, or asks them to call you if this company missed before',
  'candidate-missed': 'an apology draft with free times will be in your Drafts within a minute (while "ringback start" runs)',
};

export async function outcomeCommand(id: string, value: string, options: GlobalOptions): Promise<void> {
  const outcome = parseOutcome(value);
  await withEngine(options, async (engine) => {
    const interview = await findInterview(engine.store, id);
    if (!interview) throw new BadInputError(`interview "${id}" not found (see "ringback interviews" for ids)`);
    // A duplicate's outcome is its call's: recorded on the interview with the emails (same-call.ts).
    const holder = await callHolder(engine.store, interview);
    await recordOutcome(engine, holder.interview.id, outcome, 'cli');
    const where = holder.redirected === null ? '' : `${holder.redirected}: recorded for ${holder.interview.id}. `;
    say(`${where}${holder.interview.id} "${safeTitle(holder.interview.title)}": outcome ${outcome} recorded; ${NEXT_STEP[outcome]}.`);
  });
}

export async function companyClearCommand(company: string, options: GlobalOptions): Promise<void> {
  await withEngine(options, async (engine) => {
    if (!(await clearCompanyPattern(engine, company))) {
      const all = (await listCompanies(engine.store)).map((c) => c.company);
      throw new BadInputError(`company "${company}" has no record${all.length ? ` (known: ${all.join(', ')})` : ''}`);
    }
    say(`${company.trim().toLowerCase()}: pattern flag cleared; confirmations to it will be sent again.`);
  });
}

/** `ringback company zone <company|address> <zone|none>`: the recipient's zone for emails to them. */
export async function companyZoneCommand(subject: string, zone: string, options: GlobalOptions): Promise<void> {
  const checked = checkCounterpartZone(subject, zone);
  if (typeof checked === 'string') throw new BadInputError(`company zone: ${checked}`);
  await withEngine(options, async (engine) => {
    await setCounterpartZoneFor(engine, checked.subject, checked.zone);
    say(
      checked.zone === null
        ? `${checked.subject}: time zone removed; emails show their time only when the event's organizer set a zone.`
        : `${checked.subject}: emails written from now on show times for ${checked.zone} too, and propose only times between 08:00 and 18:00 there. Confirmations waiting in Drafts get their time too, unless you changed them.`,
    );
  });
}

/** Everything ringback knows except secrets and queue internals (the import replans). */
export async function exportCommand(file: string | undefined, options: GlobalOptions): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const data = await exportRecords(runtime.store, new Date());
    const text = `${JSON.stringify(data, null, 2)}\n`;
    if (file && file !== '-') {
      await writeFile(file, text, { mode: 0o600 });
      say(`exported ${data.interviews.length} interviews to ${file}`);
    } else process.stdout.write(text);
  });
}

/**
 * Reads an export back. The whole file is checked first (store/export-check.ts): a file with one
 * bad entry is refused and nothing is written. Then its records are written (store/export.ts) and
 * the steps still to come planned.
 */
export async function importCommand(file: string, options: GlobalOptions): Promise<void> {
  const checked = checkExport(await readExport(file));
  if (typeof checked === 'string') throw new BadInputError(`${file}: ${checked}; nothing was imported`);
  await withEngine(options, async (engine) => {
    const imported = await importRecords(engine.store, checked);
    const r = await reconcile(engine);
    say(`imported ${imported} interview${imported === 1 ? '' : 's'} (existing ones kept); ${r.added} jobs planned.`);
  });
}

/** The file's JSON, refused unread when it is larger than any export. */
async function readExport(file: string): Promise<unknown> {
  let text: string;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_EXPORT_BYTES) throw new BadInputError(`${file}: ${Math.round(size / 1024 / 1024)} MB is larger than any ringback export (at most ${MAX_EXPORT_BYTES / 1024 / 1024} MB); nothing was imported`);
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    throw new BadInputError(`${file}: not readable (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was imported`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadInputError(`${file}: not a ringback export, its JSON does not parse (${error instanceof Error ? error.message.slice(0, 120) : String(error)}); nothing was imported`);
  }
}
