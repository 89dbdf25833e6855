/** Companies: each one's interviews, its no-show history, the escalation it has reached, and the clear button. */
import { decideEscalation } from '../../domain/escalation.js';
import type { PolicySettings } from '../../domain/types.js';
import type { InterviewView } from '../../read/interviews.js';
import type { CompanyRecord } from '../../store/companies.js';
import { clock, html, plain, postForm, type SafeHtml } from '../html.js';
import { interviewClass, OUTCOME_WORD } from '../labels.js';

function escalationWords(record: CompanyRecord, policy: PolicySettings): string {
  const history = { interviewerNoShows: record.noShows.length, candidateMisses: record.candidateMisses.length };
  const now = decideEscalation(history, policy);
  const next = decideEscalation({ ...history, interviewerNoShows: history.interviewerNoShows + 1 }, policy);
  const level = now.pattern ? 'pattern: confirmations to it stay drafts until you clear it' : now.noShows === 0 ? 'no missed calls' : `${now.noShows} missed call${now.noShows === 1 ? '' : 's'}`;
  const ask = next.ask === 'call-me' ? 'asks them to call you instead' : 'offers new times';
  return `${level}; if they miss the next call, the note ${ask}`;
}

/** Their time zone: emails then show their time too and propose times inside their day. */
function zoneForm(company: string, current: string, csrf: string): SafeHtml {
  return html`<form method="post" action="/companies/${encodeURIComponent(company)}/zone" class="inline zone"><input type="hidden" name="_csrf" value="${csrf}"><label>Their time zone <input name="zone" value="${current}" placeholder="e.g. America/Los_Angeles" size="22"></label> <button type="submit" class="btn">Save</button> <span class="muted">${current === '' ? 'not set: their time is shown only when the invitation gives it' : 'emails show their time too'}</span></form>`;
}

export function renderCompanies(input: {
  readonly companies: readonly CompanyRecord[];
  readonly views: readonly InterviewView[];
  readonly policy: PolicySettings;
  readonly zone: string;
  readonly csrf: string;
  /** Time zones the user set, by company key or address. */
  readonly zones?: Readonly<Record<string, string>>;
}): SafeHtml {
  const byId = new Map(input.views.map((v) => [v.id, v]));
  const names = new Set([...input.companies.map((c) => c.company), ...input.views.flatMap((v) => (v.company ? [v.company] : []))]);
  if (names.size === 0) return html`<h1>Companies</h1><p class="empty">No company yet: companies come from the interviewers’ email domains.</p>`;
  const recordOf = (name: string): CompanyRecord =>
    input.companies.find((c) => c.company === name) ?? { company: name, noShows: [], candidateMisses: [], pattern: false, clearedAt: null };
  const ref = (id: string) => {
    const v = byId.get(id);
    return v
      ? html`<a href="/interviews/${encodeURIComponent(id)}">${clock(Date.parse(v.start), input.zone, 'd LLL yyyy')} — ${plain(v.title, 80) || '(untitled)'}</a>`
      : html`<span class="muted">${id} (no longer known)</span>`;
  };
  const cards = [...names].sort().map((name) => {
    const record = recordOf(name);
    const interviews = input.views.filter((v) => v.company === name);
    return html`<article class="company${record.pattern ? ' flagged' : ''}" id="c-${name}" data-company="${name}">
<h2>${plain(name, 120)} ${record.pattern ? html`<span class="flag">pattern</span>` : ''}</h2>
<p>${escalationWords(record, input.policy)}${record.clearedAt ? html` <span class="muted">(cleared ${clock(record.clearedAt, input.zone)})</span>` : ''}</p>
${
  record.pattern || record.noShows.length > 0
    ? postForm(`/companies/${encodeURIComponent(name)}/clear`, input.csrf, {}, record.pattern ? 'Clear the pattern flag' : 'Forget these no-shows')
    : ''
}
${zoneForm(name, input.zones?.[name] ?? '', input.csrf)}
<h3>Missed calls</h3>
${
  record.noShows.length + record.candidateMisses.length === 0
    ? html`<p class="muted">none recorded</p>`
    : html`<ul>${record.noShows.map((id) => html`<li>they did not call: ${ref(id)}</li>`)}${record.candidateMisses.map((id) => html`<li>you missed it: ${ref(id)}</li>`)}</ul>`
}
<h3>Interviews</h3>
${
  interviews.length === 0
    ? html`<p class="muted">none known</p>`
    : html`<ul>${interviews.map(
        (v) => html`<li>${ref(v.id)} <span class="badge ${interviewClass(v.status, v.outcome)}">${v.outcome ? OUTCOME_WORD[v.outcome] : v.status}</span></li>`,
      )}</ul>`
}
</article>`;
  });
  return html`<h1>Companies</h1>${cards}`;
}
