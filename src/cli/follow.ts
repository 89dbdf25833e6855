/** One plain line per audit record: what `ringback start` and the demo print while they run. */
import { DateTime } from 'luxon';
import type { AuditRecord } from '../store/audit.js';

export function formatAuditLine(record: AuditRecord, zone: string): string {
  const at = DateTime.fromMillis(record.at, { zone }).toFormat('HH:mm:ss');
  const who = record.interviewId ?? record.accountId ?? '';
  return `${at}  ${record.type.padEnd(13)} ${who ? `${who}  ` : ''}${record.message}`;
}
