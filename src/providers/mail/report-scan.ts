/**
 * What every mailbox adapter does with the messages it found in the Inbox that may be reports of
 * non-delivery: read each (at most {@link READ_MESSAGE_LIMIT} bytes) and keep those that
 * delivery-report.ts accepts. The adapters differ only in how they find the candidates.
 */
import { parseDeliveryReport } from './delivery-report.js';
import type { DeliveryReport } from './types.js';

/** At most this many candidate messages are read per look (the newest when there are more). */
export const REPORT_SCAN_LIMIT = 100;

export async function reportsAmong<T>(candidates: readonly T[], read: (candidate: T) => Promise<Buffer | null>): Promise<DeliveryReport[]> {
  const reports: DeliveryReport[] = [];
  for (const candidate of candidates.slice(-REPORT_SCAN_LIMIT)) {
    const raw = await read(candidate);
    const report = raw === null ? null : parseDeliveryReport(raw);
    if (report !== null) reports.push(report);
  }
  return reports;
}
