/**
 * What `ringback export` writes and `ringback import` writes back: every interview with its steps,
 * email records and bounces, the companies, what the user said (the marks of events, the zones set
 * for companies) and the audit; no secrets, no queue internals (the import replans). The file is
 * checked whole before import writes any of it (export-check.ts).
 */
import type { ActionRecord } from '../domain/actions.js';
import type { Interview } from '../domain/types.js';
import { readAudit, type AuditRecord } from './audit.js';
import { importCompany, listCompanies, type CompanyRecord } from './companies.js';
import { importMark, listMarks, type StoredMark } from './detections.js';
import { getEmails, saveEmail, type EmailRecord } from './drafts.js';
import type { CheckedExport } from './export-check.js';
import { createInterviews } from './interview-writes.js';
import { getActionRecords, listInterviews, recordedInterviews, setActionRecords } from './interviews.js';
import type { Store } from './store.js';
import { getUndelivered, recordUndelivered, type UndeliveredEmail } from './undelivered.js';
import { importCounterpartZone, listCounterpartZones } from './zones.js';

export interface ExportFile {
  readonly format: 'ringback-export';
  readonly version: 1;
  readonly exportedAt: string;
  readonly interviews: readonly (Interview & { actions: readonly ActionRecord[]; emails: readonly EmailRecord[]; undelivered: readonly UndeliveredEmail[] })[];
  readonly companies: readonly CompanyRecord[];
  /** By interview id: what the user said the event is (`ringback mark`); a sync on the new machine reads it as here. */
  readonly marks: Readonly<Record<string, StoredMark>>;
  /** By company or address: the zone the user set (`ringback company zone`). */
  readonly zones: Readonly<Record<string, string>>;
  readonly audit: readonly AuditRecord[];
}

/** Everything the store knows except secrets and queue internals, as `ringback export` writes it. */
export async function exportRecords(store: Store, exportedAt: Date): Promise<ExportFile> {
  const interviews = [];
  for (const iv of await listInterviews(store)) {
    interviews.push({
      ...iv,
      actions: await getActionRecords(store, iv.id),
      emails: await getEmails(store, iv.id),
      undelivered: await getUndelivered(store, iv.id),
    });
  }
  return {
    format: 'ringback-export',
    version: 1,
    exportedAt: exportedAt.toISOString(),
    interviews,
    companies: await listCompanies(store),
    marks: await listMarks(store),
    zones: await listCounterpartZones(store),
    audit: await readAudit(store, { count: 100_000 }),
  };
}

/**
 * Writes a checked export; returns how many interviews it recorded. Each new interview's record is
 * written last, after its action and email records, so that an import cut short leaves no interview
 * without them: the next import finds it missing and writes it again. Interviews already recorded
 * keep their record, and a mark or zone the user already gave here stays.
 */
export async function importRecords(store: Store, checked: CheckedExport): Promise<number> {
  const known = await recordedInterviews(store, checked.entries.map((e) => e.interview.id));
  let imported = 0;
  for (const { interview, actions, emails, undelivered } of checked.entries) {
    if (known.has(interview.id)) continue;
    await setActionRecords(store, interview.id, actions);
    for (const e of emails) await saveEmail(store, interview.id, e);
    for (const u of undelivered) await recordUndelivered(store, interview.id, u);
    // Recorded since the check by another writer (a sync of the same event): its record is kept.
    const [created] = await createInterviews(store, [interview]);
    if (created) imported++;
  }
  for (const c of checked.companies) await importCompany(store, c);
  for (const [id, mark] of Object.entries(checked.marks)) await importMark(store, id, mark);
  for (const [subject, zone] of Object.entries(checked.zones)) await importCounterpartZone(store, subject, zone);
  return imported;
}
