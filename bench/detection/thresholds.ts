/** The figures detection is held to on its corpus (issue: precision, recall, dialling, bridges). */
import type { Figures } from './score.js';

export const THRESHOLDS = { precision: 0.97, recall: 0.95, dialling: 0.95, minPhones: 60, minLookAlikes: 90 } as const;

/** What falls short of {@link THRESHOLDS}, in plain words; empty when nothing does. */
export function shortOf(f: Figures): string[] {
  const short: string[] = [];
  if (f.precision < THRESHOLDS.precision) short.push(`precision ${f.precision.toFixed(3)}`);
  if (f.recall < THRESHOLDS.recall) short.push(`recall ${f.recall.toFixed(3)}`);
  if (f.dialling < THRESHOLDS.dialling) short.push(`direction and number ${(f.dialling * 100).toFixed(1)}%`);
  if (f.bridgesChosen > 0) short.push(`${f.bridgesChosen} bridge numbers chosen`);
  if (f.phones < THRESHOLDS.minPhones) short.push(`only ${f.phones} phone interviews in the corpus`);
  if (f.lookAlikes < THRESHOLDS.minLookAlikes) short.push(`only ${f.lookAlikes} look-alikes in the corpus`);
  return short;
}
