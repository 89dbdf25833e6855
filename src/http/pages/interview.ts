/**
 * One interview: the brief, every email as it stands in the mailbox with its due time and state,
 * the audit history in plain words, and the three outcome buttons.
 */
import { dialsIn } from '../../domain/dial-in.js';
import { counterpartShown } from '../../domain/counterpart.js';
import type { Interview, Outcome } from '../../domain/types.js';
import type { Engine } from '../../engine/context.js';
import { describeTime } from '../../engine/wording.js';
import { briefFor } from '../../read/brief.js';
import { readAudit } from '../../store/audit.js';
import { getCompany } from '../../store/companies.js';
import type { EmailKind } from '../../domain/ids.js';
import { getEmails, type EmailRecord } from '../../store/drafts.js';
import { getUndelivered } from '../../store/undelivered.js';
import { getActionRecords } from '../../store/interviews.js';
import type { ActionRecord } from '../../domain/actions.js';
import { readEmailPreview, type EmailPreview } from '../email-preview.js';
import { actionsOn } from '../../domain/ids.js';
import { clock, html, plain, postForm, type SafeHtml } from '../html.js';
import { actionLabel, actionStateClass, actionStateWord, DIRECTION_WORD, interviewClass, OUTCOME_WORD } from '../labels.js';

const EMAIL_KINDS: readonly { readonly kind: EmailKind; readonly title: string; readonly actions: readonly string[] }[] = [
  { kind: 'confirmation', title: 'Confirmation', actions: actionsOn('confirmation') },
  { kind: 'noshow', title: '“You did not call” note', actions: actionsOn('noshow') },
  { kind: 'thankyou', title: 'Thank-you note', actions: actionsOn('thankyou') },
  { kind: 'apology', title: 'Apology', actions: actionsOn('apology') },
];

/** The dashboard's answers to "is this a phone interview?" (the same as `ringback mark`). */
export const MARK_BUTTONS: readonly { readonly kind: 'phone' | 'video' | 'not-interview'; readonly label: string }[] = [
  { kind: 'phone', label: 'Yes, a phone interview' },
  { kind: 'video', label: 'No, a video call' },
  { kind: 'not-interview', label: 'Not an interview' },
];

export const OUTCOME_BUTTONS: readonly { readonly outcome: Outcome; readonly label: string }[] = [
  { outcome: 'held', label: 'It happened' },
  { outcome: 'interviewer-no-show', label: 'They didn’t call' },
  { outcome: 'candidate-missed', label: 'I missed it' },
];

const RECORD_WORD: Readonly<Record<EmailRecord['state'], string>> = {
  draft: 'in Drafts',
  submitted: 'handed to the provider, not yet in Sent',
  sent: 'sent',
  deleted: 'removed by ringback',
  vetoed: 'deleted by you (vetoed)',
};

function preview(p: EmailPreview): SafeHtml {
  if (!p.content) return html`<p class="muted">${p.note ?? ''}</p>`;
  const c = p.content;
  return html`<div class="mail">
<dl class="mail-head"><dt>From</dt><dd>${plain(c.from)}</dd><dt>To</dt><dd>${plain(c.to)}</dd>${c.cc ? html`<dt>Cc</dt><dd>${plain(c.cc)}</dd>` : ''}<dt>Subject</dt><dd>${plain(c.subject)}</dd></dl>
<pre class="mail-body">${plain(c.text, 20_000)}</pre>
</div>`;
}

function actionLine(a: ActionRecord, zone: string, now: number): SafeHtml {
  const when = a.state === 'skipped' ? '' : describeTime(a.dueAt, zone, now);
  return html`<li><span class="act ${actionStateClass(a.kind, a.state)}">${actionStateWord(a.kind, a.state)}</span> ${actionLabel(a.kind)} ${when}${a.note ? html` <span class="muted">(${plain(a.note)})</span>` : ''}</li>`;
}

async function emailsSection(engine: Engine, interview: Interview, actions: readonly ActionRecord[]): Promise<SafeHtml> {
  const records = await getEmails(engine.store, interview.id);
  const undelivered = await getUndelivered(engine.store, interview.id);
  const zone = engine.config.candidate.timezone;
  const now = engine.now();
  const parts: SafeHtml[] = [];
  for (const k of EMAIL_KINDS) {
    const record = records.find((r) => r.kind === k.kind) ?? null;
    const related = actions.filter((a) => k.actions.includes(a.kind));
    if (!record && related.length === 0) continue;
    const shown = record ? await readEmailPreview(engine.mailbox, record) : null;
    parts.push(html`<article class="email" data-email="${k.kind}">
<h3>${k.title}${record ? html` <span class="badge">${RECORD_WORD[record.state]}</span>` : html` <span class="badge">not written yet</span>`}${shown && shown.where !== 'unknown' ? html` <span class="badge where-${shown.where}">mailbox: ${shown.where}</span>` : ''}</h3>
<ul class="acts-list">${related.map((a) => actionLine(a, zone, now))}</ul>
${undelivered
  .filter((u) => u.kind === k.kind)
  .map(
    (u) =>
      u.temporary === true
        ? html`<p class="undelivered"><strong>Not delivered yet</strong> to ${plain(u.recipient ?? interview.counterpart.email ?? 'the recipient', 200)}: their mail server asked to try again later (${plain(u.reason, 300)}). Send it to them again from your mail client (it is in Sent), or reach them another way.</p>`
        : html`<p class="undelivered"><strong>Not delivered</strong> to ${plain(u.recipient ?? interview.counterpart.email ?? 'the recipient', 200)}: ${plain(u.reason, 300)}${u.status ? ` (${u.status})` : ''}. Check the address and reach them another way.</p>`,
  )}
${shown ? preview(shown) : ''}
</article>`);
  }
  return parts.length > 0 ? html`${parts}` : html`<p class="muted">No email planned for this interview.</p>`;
}

export async function renderInterview(engine: Engine, interview: Interview, csrf: string): Promise<SafeHtml> {
  const zone = engine.config.candidate.timezone;
  const now = engine.now();
  const company = interview.company ? await getCompany(engine.store, interview.company) : null;
  const brief = await briefFor(engine.store, engine.config, interview, now);
  const actions = await getActionRecords(engine.store, interview.id);
  const history = await readAudit(engine.store, { interviewId: interview.id, count: 200 });
  const action = `/interviews/${encodeURIComponent(interview.id)}/outcome`;
  // A duplicate's review and outcome are its owner's (engine/same-call.ts): no buttons here.
  const canRecord = (interview.status === 'scheduled' || interview.status === 'done') && interview.duplicateOf === undefined;
  return html`<article class="interview ${interviewClass(interview.status, interview.outcome)}">
<h1>${plain(interview.title, 200) || '(untitled)'}</h1>
<p class="meta">${clock(interview.start, zone, 'cccc d LLLL, HH:mm')}–${clock(interview.end, zone, 'HH:mm ZZZZ')}
· <span class="badge ${interviewClass(interview.status, interview.outcome)}">${interview.status}</span>
${interview.outcome ? html`· outcome: <strong>${OUTCOME_WORD[interview.outcome]}</strong>` : ''}
${company?.pattern ? html`<span class="flag">pattern</span>` : ''}</p>
<p class="meta">with ${plain(counterpartShown(interview.counterpart), 120)}${interview.company ? html` (<a href="/companies#c-${interview.company}">${plain(interview.company, 120)}</a>)` : ''}
· ${DIRECTION_WORD[interview.direction] ?? interview.direction}${dialsIn(interview) ? ', dialling in to the meeting bridge' : ''} · number ${interview.number ?? (dialsIn(interview) ? "the meeting bridge's, in the invitation" : 'none found')}</p>
${interview.counterpart.email === null ? html`<p class="no-address"><strong>No address to write to</strong>: the invitation came from a no-reply address, so its drafts have no recipient. Add it in each draft: a confirmation you address is sent at its time, as you left it; the others you send yourself.</p>` : ''}
${
  interview.duplicateOf !== undefined
    ? html`<p class="duplicate"><strong>The same call as <a href="/interviews/${encodeURIComponent(interview.duplicateOf)}">${interview.duplicateOf}</a></strong>, listed by another calendar: its emails, review and outcome are there.</p>`
    : ''
}
${
  interview.review === true && interview.status === 'scheduled' && interview.duplicateOf === undefined
    ? html`<div class="review"><p><strong>Needs review</strong> (confidence ${interview.confidence ?? '?'}): ringback is not sure this is a phone interview, so the confirmation stays a draft until you say.</p>
<ul class="evidence">${(interview.evidence ?? []).filter((e) => e.weight > 0).slice(0, 8).map((e) => html`<li>${e.field}: “${plain(e.text, 120)}” → ${e.signal} +${e.weight}</li>`)}</ul>
<div class="outcomes"><span>Is it?</span>${MARK_BUTTONS.map((b) => postForm(`/interviews/${encodeURIComponent(interview.id)}/mark`, csrf, { kind: b.kind }, b.label, 'btn'))}</div></div>`
    : ''
}
${
  canRecord
    ? html`<div class="outcomes"><span>How did it go?</span>${OUTCOME_BUTTONS.map((b) =>
        postForm(action, csrf, { outcome: b.outcome }, b.label, `btn${interview.outcome === b.outcome ? ' chosen' : ''}`),
      )}</div>`
    : ''
}
</article>
<section><h2>Brief</h2><pre class="brief">${brief}</pre></section>
<section><h2>Emails</h2>${await emailsSection(engine, interview, actions)}</section>
<section><h2>History</h2>${
    history.length === 0
      ? html`<p class="muted">Nothing recorded yet.</p>`
      : html`<ol class="history">${history.map((r) => html`<li class="h-${r.type}"><time>${clock(r.at, zone, 'ccc d LLL HH:mm:ss')}</time> ${plain(r.message, 2000)}</li>`)}</ol>`
  }</section>`;
}
