/**
 * Queue and job names, the job-id scheme, and the typed data of each job. This folder and workers/
 * are the only code that knows BullMQ (npm run lint holds them to it).
 *
 * Job ids of actions are deterministic, `{interview}.{kind's code}{revision}` (`iv3f9a0c12d4.cd1`),
 * so that planning the same thing twice adds nothing, and a job of an old revision can be found
 * and removed. (BullMQ refuses ':' in custom ids.) Earlier versions named the kind in full,
 * `{interview}.{kind}.r{revision}` ({@link legacyActionJobId}); both are read.
 */
import { ACTION_KIND_CODE, isActionKind, kindOfCode, type ActionKind } from '../domain/actions.js';

/**
 * Thrown by an action whose account cannot be used now (DESIGN.md, Outages): the job waits, with
 * no attempt used, and runs again after `recheckMs` or as soon as the account works again (the
 * health probe brings parked jobs forward). Never a failure: nothing is lost while it waits.
 */
export class ActionParked extends Error {
  constructor(
    message: string,
    readonly recheckMs: number,
  ) {
    super(message);
    this.name = 'ActionParked';
  }
}

export const SYNC_QUEUE = 'sync';
export const ACTIONS_QUEUE = 'actions';

export interface SyncJobData {
  readonly accountId: string;
}
export interface ReconcileJobData {
  readonly reason: string;
}
export interface ActionJobData {
  readonly interviewId: string;
  readonly kind: ActionKind;
  readonly revision: number;
}

export interface JobMap {
  sync: SyncJobData;
  reconcile: ReconcileJobData;
  action: ActionJobData;
}

/**
 * The name action jobs are added with. One letter: every job keeps its name in Redis, and with its
 * short id and options this keeps the job's hash in a smaller size class of the allocator (issue
 * 17, footprint benchmark). Jobs of earlier versions are named `action`; the worker runs every job
 * of its queue whatever its name.
 */
export const ACTION_JOB_NAME = 'a';

/**
 * `{interview}.{code}{revision}`: 16 characters where the earlier form took 30–34, in the job's
 * key, its options and the delayed set (issue 17, footprint benchmark).
 */
export function actionJobId(interviewId: string, kind: ActionKind, revision: number): string {
  return `${interviewId}.${ACTION_KIND_CODE[kind]}${revision}`;
}

/** The id earlier versions gave the same job: `{interview}.{kind}.r{revision}`. */
export function legacyActionJobId(interviewId: string, kind: ActionKind, revision: number): string {
  return `${interviewId}.${kind}.r${revision}`;
}

/** Whether `id` is of the earlier form ({@link legacyActionJobId}). */
export function isLegacyActionJobId(id: string): boolean {
  return LEGACY_ID.test(id) && parseActionJobId(id) !== null;
}

const CURRENT_ID = /^([A-Za-z0-9_-]+)\.([a-z]{2})(\d+)$/;
const LEGACY_ID = /^([A-Za-z0-9_-]+)\.([a-z-]+)\.r(\d+)$/;

/** The action a job id of either form stands for, or null. */
export function parseActionJobId(id: string): ActionJobData | null {
  const current = CURRENT_ID.exec(id);
  if (current) {
    const kind = kindOfCode(current[2] as string);
    return kind ? { interviewId: current[1] as string, kind, revision: Number(current[3]) } : null;
  }
  const m = LEGACY_ID.exec(id);
  const kind = m?.[2];
  if (!m || kind === undefined || !isActionKind(kind)) return null;
  return { interviewId: m[1] as string, kind, revision: Number(m[3]) };
}

export function syncSchedulerId(accountId: string): string {
  return `sync.${accountId}`;
}

export const RECONCILE_SCHEDULER_ID = 'reconcile';
