/** The figures detection is held to on its corpus (issue: precision, recall, dialling, bridges). */
import type { Figures } from './score.js';

export interface Bar {
  readonly precision: number;
  readonly recall: number;
  readonly dialling: number;
  readonly minPhones: number;
  readonly minLookAlikes: number;
}

export const THRESHOLDS: Bar = { precision: 0.97, recall: 0.95, dialling: 0.95, minPhones: 60, minLookAlikes: 90 };

/** The held-out file is smaller; it is held to the same precision, recall and dialling. */
export const HOLDOUT_THRESHOLDS: Bar = { ...THRESHOLDS, minPhones: 20, minLookAlikes: 30 };

/** What falls short of the bar, in plain words; empty when nothing does. */
export function shortOf(f: Figures, bar: Bar = THRESHOLDS): string[] {
  const short: string[] = [];
  if (f.precision < bar.precision) short.push(`precision ${f.precision.toFixed(3)}`);
  if (f.recall < bar.recall) short.push(`recall ${f.recall.toFixed(3)}`);
  if (f.dialling < bar.dialling) short.push(`direction and number ${(f.dialling * 100).toFixed(1)}%`);
  if (f.bridgesChosen > 0) short.push(`${f.bridgesChosen} bridge numbers chosen`);
  if (f.phones < bar.minPhones) short.push(`only ${f.phones} phone interviews in the file`);
  if (f.lookAlikes < bar.minLookAlikes) short.push(`only ${f.lookAlikes} look-alikes in the file`);
  return short;
}
