/** Listing commands: `interviews`, `queue`, `accounts`, and the pre-call `brief`. */
import { composeBrief } from '../../domain/brief.js';
import type { Interview } from '../../domain/types.js';
import { BadInputError } from '../../errors.js';
import { ACTION_LABEL } from '../../engine/replan.js';
import { describeTime, safeTitle } from '../../engine/wording.js';
import { listPendingActions } from '../../queue/queues.js';
import { getAccountStatus } from '../../store/accounts.js';
import { getCompany, listCompanies } from '../../store/companies.js';
import { findInterview, getActionRecords, listInterviews } from '../../store/interviews.js';
import { getUndelivered } from '../../store/undelivered.js';
import type { Store } from '../../store/store.js';
import type { ResolvedConfig } from '../../../config/types.js';
import { printJson, say } from '../io.js';
import { withRuntime, type GlobalOptions } from '../session.js';
import { counterpartZone } from '../../store/zones.js';

/** The `interviews --json` contract of DESIGN.md, plus outcome and pattern. */
export interface InterviewView {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly end: string;
  readonly counterpart: { readonly name: string; readonly email: string };
  readonly company: string | null;
  readonly number: string | null;
  readonly direction: Interview['direction'];
  readonly status: Interview['status'];
  readonly outcome: Interview['outcome'];
  readonly pattern: boolean;
  /** Detection is not sure: the confirmation stays a draft until "ringback mark". */
  readonly review?: boolean;
  readonly confidence?: number | null;
  /** The strongest evidence (see "ringback explain" for all of it). */
  readonly evidence?: readonly { readonly field: string; readonly text: string; readonly signal: string; readonly weight: number }[];
  readonly actions: readonly { readonly kind: string; readonly dueAt: string; readonly state: string; readonly note?: string }[];
  /** Emails a report of non-delivery (a bounce) came back for: which, to whom, and why. */
  readonly undelivered: readonly { readonly kind: string; readonly recipient: string | null; readonly status: string | null; readonly reason: string; readonly reportedAt: string }[];
}

export async function interviewViews(store: Store, range: { from?: number; to?: number } = {}): Promise<InterviewView[]> {
  const patterns = new Set((await listCompanies(store)).filter((c) => c.pattern).map((c) => c.company));
  const out: InterviewView[] = [];
  for (const iv of await listInterviews(store, range)) {
    const actions = await getActionRecords(store, iv.id);
    const undelivered = await getUndelivered(store, iv.id);
    out.push({
      id: iv.id,
      title: iv.title,
      start: new Date(iv.start).toISOString(),
      end: new Date(iv.end).toISOString(),
      counterpart: { name: iv.counterpart.name, email: iv.counterpart.email },
      company: iv.company,
      number: iv.number,
      direction: iv.direction,
      status: iv.status,
      outcome: iv.outcome,
      pattern: iv.company ? patterns.has(iv.company) : false,
      review: iv.review === true,
      confidence: iv.confidence ?? null,
      evidence: (iv.evidence ?? []).filter((e) => e.weight > 0).slice(0, 5),
      actions: actions.map((a) => ({ kind: a.kind, dueAt: new Date(a.dueAt).toISOString(), state: a.state, ...(a.note ? { note: a.note } : {}) })),
      undelivered: undelivered.map((u) => ({ kind: u.kind, recipient: u.recipient, status: u.status, reason: u.reason, reportedAt: new Date(u.reportedAt).toISOString() })),
    });
  }
  return out;
}

export async function interviewsCommand(options: GlobalOptions & { json?: boolean; all?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const now = Date.now();
    const views = await interviewViews(runtime.store, options.all ? {} : { from: now - 7 * 86_400_000 });
    if (options.json) return printJson(views);
    if (views.length === 0) return say('No phone interviews found yet. Run "ringback sync --once" or "ringback start".');
    const tz = runtime.config.candidate.timezone;
    for (const v of views) {
      const who = v.counterpart.name || v.counterpart.email;
      const flags = [
        v.review ? `NEEDS REVIEW (confidence ${v.confidence ?? '?'}): "ringback mark ${v.id} phone" to confirm, "ringback explain ${v.id}" for why` : '',
        v.status !== 'scheduled' ? v.status : '',
        v.outcome ? `outcome: ${v.outcome}` : '',
        v.pattern ? 'PATTERN: company keeps missing calls' : '',
      ]
        .filter(Boolean)
        .join(', ');
      say(`${v.id}  ${describeTime(Date.parse(v.start), tz, now)}  ${safeTitle(v.title, 60)}`);
      say(`    with ${who}${v.company ? ` (${v.company})` : ''} · ${v.direction} · number ${v.number ?? 'none found'}${flags ? ` · ${flags}` : ''}`);
      if (v.review) say(`    evidence: ${(v.evidence ?? []).map((e) => `${e.field} "${safeTitle(e.text, 40)}" (${e.signal} +${e.weight})`).join('; ')}`);
      for (const a of v.actions) {
        const label = ACTION_LABEL[a.kind as keyof typeof ACTION_LABEL] ?? a.kind;
        say(`    - ${label.padEnd(18)} ${a.state.padEnd(13)} ${describeTime(Date.parse(a.dueAt), tz, now)}${a.note ? `  (${a.note})` : ''}`);
      }
      for (const u of v.undelivered) {
        say(`    ✗ NOT DELIVERED: the ${u.kind} to ${u.recipient ?? who}: ${u.reason}${u.status ? ` (${u.status})` : ''} — reach them another way`);
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

export function accountIds(config: ResolvedConfig): { id: string; type: string; role: 'calendar' | 'mailbox' }[] {
  return [
    ...config.calendars.map((c) => ({ id: c.id, type: c.type, role: 'calendar' as const })),
    ...(config.mailbox ? [{ id: config.mailbox.id, type: config.mailbox.type, role: 'mailbox' as const }] : []),
  ];
}

export async function accountsCommand(options: GlobalOptions & { json?: boolean }): Promise<void> {
  await withRuntime(options, async (runtime) => {
    const rows = [];
    for (const a of accountIds(runtime.config)) rows.push({ ...a, ...(await getAccountStatus(runtime.store, a.id)) });
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
    const company = interview.company ? await getCompany(runtime.store, interview.company) : null;
    say(
      composeBrief({
        interview,
        candidate: runtime.config.candidate,
        history: {
          interviewerNoShows: company?.noShows.length ?? 0,
          candidateMisses: company?.candidateMisses.length ?? 0,
          pattern: company?.pattern ?? false,
        },
        now: Date.now(),
        giveUpMinutes: runtime.config.timing.giveUpMinutes,
        waitMinutes: runtime.config.timing.waitMinutes,
        zoneSet: await counterpartZone(runtime.store, { email: interview.counterpart.email, company: interview.company }),
      }),
    );
  });
}
