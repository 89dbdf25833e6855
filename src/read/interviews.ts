/** The interviews as `ringback interviews` and the dashboard's week and companies pages list them. */
import { dialsIn } from '../domain/dial-in.js';
import type { Interview } from '../domain/types.js';
import { listCompanies } from '../store/companies.js';
import { getActionRecords, listInterviews } from '../store/interviews.js';
import type { Store } from '../store/store.js';
import { getUndelivered } from '../store/undelivered.js';

/** The `interviews --json` contract of DESIGN.md, plus outcome and pattern. */
export interface InterviewView {
  readonly id: string;
  readonly title: string;
  readonly start: string;
  readonly end: string;
  /** `email` is null when there is no address to write to (an invitation from a no-reply sender). */
  readonly counterpart: { readonly name: string; readonly email: string | null };
  readonly company: string | null;
  readonly number: string | null;
  readonly direction: Interview['direction'];
  /**
   * The candidate dials in to the meeting's bridge with the number and ID of the invitation (a phone
   * interview held on Teams, Zoom or Webex audio): `direction` is `candidate-calls`, `number` null.
   */
  readonly dialIn: boolean;
  readonly status: Interview['status'];
  readonly outcome: Interview['outcome'];
  readonly pattern: boolean;
  /** Detection is not sure: the confirmation stays a draft until "ringback mark". */
  readonly review?: boolean;
  readonly confidence?: number | null;
  /** The strongest evidence (see "ringback explain" for all of it). */
  readonly evidence?: readonly { readonly field: string; readonly text: string; readonly signal: string; readonly weight: number }[];
  /**
   * The interview that has this call's emails when another calendar lists the same call and was
   * recorded first (src/domain/duplicates.ts); null for an interview that has its own.
   */
  readonly duplicateOf?: string | null;
  /** Why it is the same call: `uid` (the same invitation) or `counterpart` (same time, same interviewer). */
  readonly duplicateBy?: 'uid' | 'counterpart';
  /**
   * `note`: what the audit says of it (a server's raw reply included); `plain` and `fix`: why it
   * failed or was missed and what to do, in plain words, where known (the note left in Drafts says these).
   */
  readonly actions: readonly { readonly kind: string; readonly dueAt: string; readonly state: string; readonly note?: string; readonly plain?: string; readonly fix?: string }[];
  /** Emails a report of non-delivery (a bounce) came back for: which, to whom, and why; `temporary` when the server only deferred the recipient. */
  readonly undelivered: readonly { readonly kind: string; readonly recipient: string | null; readonly status: string | null; readonly reason: string; readonly reportedAt: string; readonly temporary?: true }[];
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
      dialIn: dialsIn(iv),
      status: iv.status,
      outcome: iv.outcome,
      pattern: iv.company ? patterns.has(iv.company) : false,
      review: iv.review === true,
      confidence: iv.confidence ?? null,
      evidence: (iv.evidence ?? []).filter((e) => e.weight > 0).slice(0, 5),
      duplicateOf: iv.duplicateOf ?? null,
      ...(iv.duplicateBy ? { duplicateBy: iv.duplicateBy } : {}),
      actions: actions.map((a) => ({ kind: a.kind, dueAt: new Date(a.dueAt).toISOString(), state: a.state, ...(a.note ? { note: a.note } : {}), ...(a.plain ? { plain: a.plain } : {}), ...(a.fix ? { fix: a.fix } : {}) })),
      undelivered: undelivered.map((u) => ({ kind: u.kind, recipient: u.recipient, status: u.status, reason: u.reason, reportedAt: new Date(u.reportedAt).toISOString(), ...(u.temporary === true ? { temporary: true as const } : {}) })),
    });
  }
  return out;
}
