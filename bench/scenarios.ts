/** Every scenario of issue 8 (and detection's throughput), in the order `npm run bench` runs them. */
import { churn } from './churn.js';
import { detect } from './detect.js';
import { fire } from './fire.js';
import { fleet } from './fleet.js';
import { footprint } from './footprint.js';
import type { Scenario } from './lib/figures.js';
import { schedule } from './schedule.js';
import { syncSteady } from './sync-steady.js';

export const SCENARIOS: readonly Scenario[] = [syncSteady, fleet, schedule, churn, fire, footprint, detect];
