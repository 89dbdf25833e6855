/** Listing commands: `interviews`, `queue`, `accounts`, and the pre-call `brief`. */
import { BadInputError } from '../../errors.js';
import { ACTION_LABEL } from '../../domain/actions.js';
import { NO_ADDRESS_NOTE, counterpartShown } from '../../domain/counterpart.js';
import { describeTime, safeTitle } from '../../engine/wording.js';
import { listPendingActions } from '../../queue/queues.js';
import { accountRows } from '../../read/accounts.js';
import { briefFor } from '../../read/brief.js';
import { interviewViews } from '../../read/interviews.js';
import { findInterview } from '../../store/interviews.js';
import { printJson, say } from '../io.js';
import { withRuntime, type GlobalOptions } from '../session.js';

export async function interviewsCommand(options: GlobalOptions & { json?: boolean; all?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const now = Date.now();
    const views = await interviewViews(runtime.store, options.all ? {} : { from: now - 7 * 86_400_000 });
    if (options.json) return printJson(views);
    if (views.length === 0) return say('No phone interviews found yet. Run "ringback sync --once" or "ringback start".');
    const tz = runtime.config.candidate.timezone;
    for (const v of views) {
      const who = counterpartShown(v.counterpart);
      const flags = [
        v.counterpart.email === null ? `NO ADDRESS: ${NO_ADDRESS_NOTE}` : '',
        // A duplicate's review is its owner's: the DUPLICATE flag points there (engine/same-call.ts).
        v.review && !v.duplicateOf ? `NEEDS REVIEW (confidence ${v.confidence ?? '?'}): "ringback mark ${v.id} phone" to confirm, "ringback explain ${v.id}" for why` : '',
        v.duplicateOf ? `DUPLICATE of ${v.duplicateOf}: the same call in another calendar, its emails go from ${v.duplicateOf} ("ringback explain ${v.id}" for why)` : '',
        v.status !== 'scheduled' ? v.status : '',
        v.outcome ? `outcome: ${v.outcome}` : '',
        v.pattern ? 'PATTERN: company keeps missing calls' : '',
      ]
        .filter(Boolean)
        .join(', ');
      say(`${v.id}  ${describeTime(Date.parse(v.start), tz, now)}  ${safeTitle(v.title, 60)}`);
      say(`    with ${who}${v.company ? ` (${v.company})` : ''} · ${v.direction}${v.dialIn ? ', dial in' : ''} · number ${v.number ?? (v.dialIn ? "the meeting bridge's, in the invitation" : 'none found')}${flags ? ` · ${flags}` : ''}`);
      if (v.review && !v.duplicateOf) say(`    evidence: ${(v.evidence ?? []).map((e) => `${e.field} "${safeTitle(e.text, 40)}" (${e.signal} +${e.weight})`).join('; ')}`);
      for (const a of v.actions) {
        const label = ACTION_LABEL[a.kind as keyof typeof ACTION_LABEL] ?? a.kind;
        say(`    - ${label.padEnd(18)} ${a.state.padEnd(13)} ${describeTime(Date.parse(a.dueAt), tz, now)}${a.note ? `  (${a.note})` : ''}`);
      }
      for (const u of v.undelivered) {
        if (u.temporary === true) say(`    ✗ NOT DELIVERED YET: the ${u.kind} to ${u.recipient ?? who}: their mail server asked to try again later (${u.reason}) — send it again from your mail client`);
        else say(`    ✗ NOT DELIVERED: the ${u.kind} to ${u.recipient ?? who}: ${u.reason}${u.status ? ` (${u.status})` : ''} — reach them another way`);
      }
    }
  });
}

export async function queueCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const pending = await listPendingActions(runtime.queues);
    if (options.json) {
      return printJson(pending.map((p) => ({ ...p, dueAt: new Date(p.dueAt).toISOString() })));
    }
    if (pending.length === 0) return say('The queue is empty.');
    const now = Date.now();
    for (const p of pending) {
      say(`${p.jobId.padEnd(44)} ${p.state.padEnd(9)} ${describeTime(p.dueAt, runtime.config.candidate.timezone, now)}${p.failedReason ? `  last error: ${p.failedReason}` : ''}`);
    }
  });
}

export async function accountsCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const rows = await accountRows(runtime.store, runtime.config);
    if (options.json) return printJson(rows);
    if (rows.length === 0) return say('No accounts yet: run "ringback connect ics --path calendar.ics" and "ringback connect maildir --path ./mail".');
    const tz = runtime.config.candidate.timezone;
    const now = Date.now();
    for (const r of rows) {
      const state = r.attention === 'needs-reauth' ? 'NEEDS RE-AUTH' : r.attention === 'error' ? 'ERROR' : r.attention ? 'NEEDS ATTENTION' : 'ok';
      const last = r.lastSyncAt ? `last sync ${describeTime(r.lastSyncAt, tz, now)}` : r.role === 'calendar' ? 'never synced' : '';
      const since = r.unusableSince ? `  unusable since ${describeTime(r.unusableSince, tz, now)}, actions waiting` : '';
      say(`${r.id.padEnd(28)} ${r.role.padEnd(8)} ${r.type.padEnd(9)} ${state}${last ? `  ${last}` : ''}${since}${r.lastError ? `  — ${r.lastError}` : ''}`);
      if (r.attention && r.fix) say(`${''.padEnd(28)} fix: ${r.fix}`);
    }
  });
}

export async function briefCommand(id: string, options: GlobalOptions): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const interview = await findInterview(runtime.store, id);
    if (!interview) throw new BadInputError(`interview "${id}" not found (see "ringback interviews" for ids)`);
    say(await briefFor(runtime.store, runtime.config, interview, Date.now()));
  });
}
