/**
 * What must hold after every step of a timeline story (DESIGN.md's lifecycle, Emails, Outages),
 * read from what a user could see: the Maildir's Drafts and Sent, the audit, the interviews and
 * their actions in the store, the queue. Each check returns the violations it found, in words.
 */
import { parseMessageId } from '../../src/domain/ids.js';
import type { AuditRecord } from '../../src/store/audit.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { listPendingActions } from '../../src/queue/queues.js';
import type { Interview } from '../../src/domain/types.js';
import type { EngineHarness, MailFile } from '../support/engine-harness.js';
import { CANDIDATE_ZONE, type Entry, instantOf, titleOf } from '../property/timeline-stories.js';

const MIN = 60_000;

export interface Timing {
  readonly minLead: number;
  readonly review: number;
}

/** What the runner knows besides the calendar: when the engine saw each thing happen. */
export interface Observed {
  /** Per interview id: windows [from, to) of engine time when its event was cancelled, removed or declined, as seen by a sync. */
  readonly blocked: Map<string, { from: number; to: number }[]>;
  /** Message-IDs of drafts the user deleted. */
  readonly vetoed: Set<string>;
  /** Per interview id: engine time of a reply from the counterpart, delivered after the call started. */
  readonly replied: Map<string, number>;
  /** Message files already read (path + size), so that each is read once. */
  readonly read: Set<string>;
  /** Per interview id: the start each revision of it had when a step first saw it. */
  readonly starts: Map<string, Map<number, number>>;
}

export interface World {
  readonly interviews: Interview[];
  readonly audit: AuditRecord[];
  readonly drafts: MailFile[];
  readonly sent: MailFile[];
}

/** A folder as it stands, read again when a file moves away while it is read (a send under way). */
async function folderOf(h: EngineHarness, name: 'Drafts' | 'Sent'): Promise<MailFile[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await h.folder(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw error;
    }
  }
}

export async function readWorld(h: EngineHarness): Promise<World> {
  const [interviews, audit, drafts, sent] = await Promise.all([listInterviews(h.runtime.store), h.audit(), folderOf(h, 'Drafts'), folderOf(h, 'Sent')]);
  return { interviews, audit: [...audit].sort((a, b) => a.at - b.at), drafts, sent };
}

/** When the Sent copy was sent: the 'sent' audit of its interview that names its subject (null: not recorded yet). */
function sentAtOf(world: World, interviewId: string, file: MailFile): number | null {
  const subject = file.mail.subject ?? '';
  return world.audit.find((r) => r.type === 'sent' && r.interviewId === interviewId && r.message.includes(`("${subject}")`))?.at ?? null;
}

function idOf(file: MailFile): ReturnType<typeof parseMessageId> {
  return file.mail.messageId ? parseMessageId(file.mail.messageId) : null;
}

/** "3:00 PM" / "15:00" forms of a clock reading in a zone ("12:00 noon" for noon on a 12-hour clock). */
function clocks(t: number, zone: string): string[] {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: '2-digit', hourCycle: 'h23' }).formatToParts(t);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '';
  const twelve = hour === 12 && minute === '00' ? '12:00 noon' : `${hour % 12 === 0 ? 12 : hour % 12}:${minute} ${hour < 12 ? 'AM' : 'PM'}`;
  return [twelve, `${String(hour).padStart(2, '0')}:${minute}`];
}

const WEEKDAY = /\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b/;

/** "Wednesday, March 11": the date of an instant in a zone, as the emails write it. */
function dateWords(t: number, zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' }).format(t);
}

function offsetMinutes(t: number, zone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function dayIn(t: number, zone: string): number {
  return Math.floor((t + offsetMinutes(t, zone) * MIN) / 86_400_000);
}

/** The recipient's zone as DESIGN.md defines it for these stories: the organizer's event zone, unless UTC. */
export function recipientZoneOf(entry: Entry): string | null {
  return entry.written.kind === 'zone' ? entry.written.zone : null;
}

/** Reads one email as its recipient would; `sentAt` when it was sent. */
export function readEmail(file: MailFile, interview: Interview, entry: Entry, sentAt: number | null, busy: readonly Interview[] = []): string[] {
  const problems: string[] = [];
  const text = file.mail.text ?? '';
  const subject = file.mail.subject ?? '';
  const kind = idOf(file)?.kind ?? '?';
  const say = (what: string) => problems.push(`${kind} ${file.mail.messageId}: ${what}\n---\n${subject}\n${text}---`);
  for (const bad of ['undefined', 'NaN', 'Invalid Date', 'an unknown time', 'on the planned day', 'null']) {
    if (text.includes(bad) || subject.includes(bad)) say(`contains "${bad}"`);
  }
  if (text.includes(titleOf(entry))) say('quotes the raw event title');
  const start = interview.start;
  const names = ['confirmation', 'noshow', 'apology'];
  if (names.includes(kind)) {
    const firstPara = text.split('\n\n')[1] ?? '';
    if (!clocks(start, CANDIDATE_ZONE).some((c) => firstPara.includes(c))) say(`does not give the call's time in the candidate's zone (${clocks(start, CANDIDATE_ZONE)[0]})`);
    const zone = recipientZoneOf(entry);
    const differs = zone !== null && offsetMinutes(start, zone) !== offsetMinutes(start, CANDIDATE_ZONE);
    const forYou = /\(([^()]*) for you\)/.exec(firstPara);
    // The same clock is said again only under other words ("10:00 AM Arizona time (10:00 AM
    // Pacific for you)", src/domain/zones.ts spokenTime), never word for word.
    const saidTwice = forYou !== null && firstPara.includes(`${forYou[1]} (${forYou[1]} for you)`);
    if (forYou && (zone === null || (!differs && saidTwice))) say('shows a time "for you" although the recipient\'s zone is not known (or reads the same)');
    if (!forYou && differs) say(`does not show the recipient's time although their zone (${zone}) is known`);
    if (forYou && zone !== null && !clocks(start, zone).some((c) => forYou[1]?.includes(c))) say(`the time "for you" is not ${clocks(start, zone).join(' / ')} in ${zone}`);
    // The recipient's day: named when it is not the candidate's (a call after their midnight), and then right.
    if (forYou && zone !== null) {
      const theirs = dateWords(start, zone);
      const named = WEEKDAY.exec(forYou[1] ?? '');
      if (named && !forYou[1]?.includes(theirs)) say(`the day "for you" is not ${theirs} in ${zone}`);
      if (!named && dayIn(start, zone) !== dayIn(start, CANDIDATE_ZONE)) say(`does not say the recipient's day (${theirs} in ${zone}), which is not the candidate's`);
    }
    // (A new time's confirmation names the old one after "instead of".)
    const own = (/^[^(]*/.exec(firstPara)?.[0] ?? '').split('instead of')[0] ?? '';
    const ownDay = WEEKDAY.exec(own);
    if (ownDay && !own.includes(dateWords(start, CANDIDATE_ZONE).split(',')[0] ?? '')) say(`names ${ownDay[0]} for the call, which is on ${dateWords(start, CANDIDATE_ZONE)} for the candidate`);
  }
  // A draft the user edited goes as they left it, what it says of when included.
  if (kind === 'confirmation' && sentAt !== null && !text.includes('P.S. Edited by Ada.')) {
    const inMinutes = /\bin (\d+) minutes?\b/.exec(text);
    const left = (start - sentAt) / MIN;
    if (inMinutes && Math.abs(Number(inMinutes[1]) - left) > 2) say(`says "in ${inMinutes[1]} minutes" but was sent ${left.toFixed(1)} minutes before the call`);
    const days = dayIn(start, CANDIDATE_ZONE) - dayIn(sentAt, CANDIDATE_ZONE);
    if (/\btoday at\b/.test(`${subject} ${text}`) && days !== 0) say(`says "today" but the call is ${days} day(s) after it was sent`);
    if (/\btomorrow at\b/.test(`${subject} ${text}`) && days !== 1) say(`says "tomorrow" but the call is ${days} day(s) after it was sent`);
  }
  problems.push(...slotProblems(text, entry, file.mail.date?.getTime() ?? 0, busy).map((p) => `${kind}: ${p}\n---\n${text}---`));
  return problems;
}

/** Proposed times: inside 09:00–17:00 on a weekday for the candidate, 08:00–18:00 for a recipient whose zone is known. */
/** The instant of "Monday, March 29, 9:00 AM" in the candidate's zone, the first such date after `after`. */
function slotInstant(item: string, after: number): number | null {
  const m = /^ {2}- \w+, (\w+) (\d{1,2}), (\d{1,2}):(\d{2}) (AM|PM|noon)/.exec(item);
  if (!m) return null;
  const month = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'].indexOf(m[1] ?? '');
  const hour = (Number(m[3]) % 12) + (m[5] === 'AM' ? 0 : 12);
  for (const year of [new Date(after).getUTCFullYear(), new Date(after).getUTCFullYear() + 1]) {
    const t = instantOf(Date.UTC(year, month, Number(m[2]), hour, Number(m[4])), CANDIDATE_ZONE);
    if (t > after - 86_400_000) return t;
  }
  return null;
}

function slotProblems(text: string, entry: Entry, writtenAt: number, busy: readonly Interview[]): string[] {
  const problems: string[] = [];
  const items = text.split('\n').filter((line) => line.startsWith('  - '));
  for (const item of items) {
    if (/Saturday|Sunday/.test(item.split('(')[0] ?? '')) problems.push(`proposes a weekend day: ${item}`);
    const readings = [...item.matchAll(/(\d{1,2}):(\d{2})(?: (AM|PM|noon))?/g)].map((m) => {
      const given = Number(m[1]);
      const hour = m[3] === undefined ? given : (given % 12) + (m[3] === 'AM' ? 0 : 12);
      return hour * 60 + Number(m[2]);
    });
    const [own, theirs] = readings;
    if (own === undefined || own < 9 * 60 || own + 30 > 17 * 60) problems.push(`proposes a time outside the candidate's hours: ${item}`);
    if (recipientZoneOf(entry) !== null && theirs !== undefined && (theirs < 8 * 60 || theirs + 30 > 18 * 60)) problems.push(`proposes a time outside the recipient's day: ${item}`);
    // The buffer (30 minutes) on both sides of every other call the candidate has.
    const at = slotInstant(item, writtenAt);
    const clash = at === null ? undefined : busy.find((iv) => at < Math.max(iv.end, iv.start + 15 * MIN) + 30 * MIN && iv.start - 30 * MIN < at + 30 * MIN);
    if (at === null) problems.push(`proposes a time that cannot be read: ${item}`);
    else if (at < writtenAt + 2 * 3_600_000) problems.push(`proposes a time less than two hours after it was written: ${item}`);
    if (clash) problems.push(`proposes a time within 30 minutes of another call (${new Date(clash.start).toISOString()}): ${item}`);
  }
  return problems;
}

function insideBlocked(observed: Observed, interviewId: string, at: number): boolean {
  return (observed.blocked.get(interviewId) ?? []).some((w) => at > w.from && at < w.to);
}

/** Every invariant; `entryOf` maps an interview to the story's entry (null: not one of ours). */
export async function check(h: EngineHarness, world: World, observed: Observed, timing: Timing, entryOf: (iv: Interview) => Entry | null): Promise<string[]> {
  const problems: string[] = [];
  const byId = new Map(world.interviews.map((iv) => [iv.id, iv]));

  // Never two sends of one email.
  const sentIds = world.sent.map((f) => f.mail.messageId ?? '');
  for (const id of new Set(sentIds)) if (sentIds.filter((x) => x === id).length > 1) problems.push(`sent twice: ${id}`);
  for (const id of sentIds) if (observed.vetoed.has(id)) problems.push(`a draft the user deleted was sent: ${id}`);
  // ... nor any confirmation of that interview afterwards, at a new time either.
  const vetoedInterviews = new Set([...observed.vetoed].map((id) => parseMessageId(id)).filter((p) => p?.kind === 'confirmation').map((p) => p?.interviewId));
  for (const file of world.sent) {
    const id = idOf(file);
    if (id?.kind === 'confirmation' && vetoedInterviews.has(id.interviewId)) problems.push(`a confirmation was sent after the user deleted one of the interview's: ${file.mail.messageId}`);
  }

  for (const record of world.audit) {
    const iv = record.interviewId ? byId.get(record.interviewId) : undefined;
    if (!iv) continue;
    // Nothing drafted or sent for an event once its cancel or decline is seen.
    if ((record.type === 'drafted' || record.type === 'sent') && insideBlocked(observed, iv.id, record.at)) {
      problems.push(`${record.type} after the cancel or decline was seen: ${record.message}`);
    }
  }
  // Missed at most once per action: twice for one interview's step only with a new plan (a move) between.
  const lastMissed = new Map<string, number>();
  for (const [i, r] of world.audit.entries()) {
    if (r.type === 'planned' && r.interviewId) for (const key of lastMissed.keys()) if (key.startsWith(`${r.interviewId} `)) lastMissed.delete(key);
    if (r.type !== 'missed') continue;
    const key = `${r.interviewId} ${r.message.split(' missed')[0]}`;
    if (lastMissed.has(key)) problems.push(`audited as missed more than once: ${key} (${world.audit[lastMissed.get(key) ?? 0]?.message} / ${r.message})`);
    lastMissed.set(key, i);
  }

  for (const file of world.sent) {
    const id = idOf(file);
    const iv = id ? byId.get(id.interviewId) : undefined;
    if (!id || !iv || id.kind !== 'confirmation') continue;
    const at = sentAtOf(world, iv.id, file);
    if (at === null || id.revision !== iv.revision) continue;
    const sent = { at };
    if (sent.at > iv.start - timing.minLead + 2_000) problems.push(`confirmation sent ${((iv.start - sent.at) / MIN).toFixed(1)} min before the call, under the minimum lead`);
    const drafted = world.audit.filter((r) => r.type === 'drafted' && r.interviewId === iv.id && r.at <= sent.at && r.message.startsWith('confirmation')).pop();
    if (drafted) {
      const earliest = Math.min(drafted.at + timing.review, iv.start - timing.minLead - MIN);
      if (sent.at < earliest - 2_000) problems.push(`confirmation sent ${((sent.at - drafted.at) / MIN).toFixed(1)} min after its draft, inside the review window`);
    }
  }

  // Never the same confirmation twice to the interviewer: two sent one after the other for one
  // call name the same time only if the call was moved away and back in between (then a
  // confirmation of the other time went between them).
  const confirmations = world.sent
    .map((file) => ({ file, id: idOf(file) }))
    .filter((c) => c.id?.kind === 'confirmation')
    .map((c) => ({ ...c, at: sentAtOf(world, c.id?.interviewId ?? '', c.file), start: observed.starts.get(c.id?.interviewId ?? '')?.get(c.id?.revision ?? -1) }))
    .filter((c) => c.at !== null)
    .sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  for (const [i, c] of confirmations.entries()) {
    const prev = confirmations.slice(0, i).filter((p) => p.id?.interviewId === c.id?.interviewId).pop();
    if (prev && prev.start !== undefined && prev.start === c.start && recipientsOf(prev.file) === recipientsOf(c.file)) {
      problems.push(`the interviewer got the same confirmation twice (${prev.file.mail.messageId}, then ${c.file.mail.messageId}, both for ${new Date(c.start).toISOString()})`);
    }
  }

  // Read each new message once, as its recipient would.
  for (const [folder, files] of [['Drafts', world.drafts], ['Sent', world.sent]] as const) {
    for (const file of files) {
      const key = `${file.path}:${file.mail.text?.length ?? 0}`;
      if (observed.read.has(key)) continue;
      observed.read.add(key);
      const id = idOf(file);
      const iv = id ? byId.get(id.interviewId) : undefined;
      const entry = iv ? entryOf(iv) : null;
      if (!id || !iv || !entry) continue;
      const sentAt = folder === 'Sent' ? sentAtOf(world, iv.id, file) : null;
      // A copy whose send is not recorded yet is read at the next step.
      if (folder === 'Sent' && sentAt === null) {
        observed.read.delete(key);
        continue;
      }
      if (process.env.RINGBACK_STORY_PRINT) console.log(`--- ${folder} (event written ${JSON.stringify(entry.written)}, ${entry.item.shape})\n${file.mail.subject ?? ''}\n${file.mail.text ?? ''}`);
      const busy = world.interviews.filter((other) => other.status === 'scheduled' && other.id !== iv.id);
      if (id.revision === iv.revision) problems.push(...readEmail(file, iv, entry, sentAt, busy));
      // No follow-up written after the counterpart replied.
      const replied = observed.replied.get(iv.id);
      const date = file.mail.date?.getTime() ?? 0;
      // (a reply before the call, as the event now stands, stops nothing.)
      if (replied !== undefined && replied >= iv.start && (id.kind === 'noshow' || id.kind === 'thankyou') && date > replied + 1_000) problems.push(`${id.kind} written after the counterpart replied`);
    }
  }
  problems.push(...threadProblems(world));
  for (const file of world.drafts) {
    const id = idOf(file);
    const iv = id ? byId.get(id.interviewId) : undefined;
    if (iv && (iv.status === 'cancelled' || iv.status === 'declined')) problems.push(`a draft of a ${iv.status} interview is still in Drafts: ${file.mail.messageId}`);
  }

  // The daemon keeps going: no job failed for good.
  for (const p of await listPendingActions(h.runtime.queues)) if (p.state === 'failed') problems.push(`job failed for good: ${p.jobId}: ${p.failedReason ?? ''}`);
  return problems;
}

function recipientsOf(file: MailFile): string {
  const to = file.mail.to;
  const list = to === undefined ? [] : Array.isArray(to) ? to : [to];
  return list
    .flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()))
    .sort()
    .join(',');
}

/**
 * A reply is threaded only under a message its recipient received (DESIGN.md, Emails): what it
 * answers is in Sent, to the same address. A confirmation that says "new time" follows one that
 * the same address received, for another revision.
 */
function threadProblems(world: World): string[] {
  const problems: string[] = [];
  const sentById = new Map(world.sent.map((f) => [f.mail.messageId ?? '', f]));
  for (const file of [...world.drafts, ...world.sent]) {
    const answered = file.mail.inReplyTo;
    if (answered) {
      const original = sentById.get(answered);
      if (!original) problems.push(`${file.mail.messageId} answers ${answered}, which was never sent`);
      else if (recipientsOf(original) !== recipientsOf(file)) problems.push(`${file.mail.messageId} to ${recipientsOf(file)} answers ${answered}, which went to ${recipientsOf(original)}`);
    }
    const id = idOf(file);
    if (id?.kind === 'confirmation' && /^New time\b/.test(file.mail.subject ?? '')) {
      const before = world.sent.some((f) => {
        const other = idOf(f);
        return other?.kind === 'confirmation' && other.interviewId === id.interviewId && other.revision < id.revision && recipientsOf(f) === recipientsOf(file);
      });
      if (!before) problems.push(`${file.mail.messageId} says "New time" but its recipient got no earlier confirmation`);
    }
  }
  return problems;
}

/** Nothing due more than `toleranceMs` ago is still pending or parked. */
export async function checkNothingLeftBehind(h: EngineHarness, world: World, toleranceMs = 2 * MIN): Promise<string[]> {
  const problems: string[] = [];
  for (const iv of world.interviews) {
    if (iv.status !== 'scheduled') continue;
    for (const r of await getActionRecords(h.runtime.store, iv.id)) {
      if (r.revision === iv.revision && (r.state === 'pending' || r.state === 'parked') && r.dueAt < h.now() - toleranceMs) {
        problems.push(`${r.kind} of ${iv.id} due ${((h.now() - r.dueAt) / MIN).toFixed(0)} min ago is still ${r.state}`);
      }
    }
  }
  return problems;
}
