/**
 * Queue and job names, the job-id scheme, and the typed data of each job. This folder and workers/
 * are the only code that knows BullMQ (npm run lint holds them to it).
 *
 * Job ids of actions are deterministic, `{interview}.{kind}.r{revision}`, so that planning the
 * same thing twice adds nothing, and a job of an old revision can be found and removed.
 * (BullMQ refuses ':' in custom ids.)
 */
import { isActionKind, type ActionKind } from '../domain/actions.js';

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

export function actionJobId(interviewId: string, kind: ActionKind, revision: number): string {
  return `${interviewId}.${kind}.r${revision}`;
}

export function parseActionJobId(id: string): ActionJobData | null {
  const m = /^([A-Za-z0-9_-]+)\.([a-z-]+)\.r(\d+)$/.exec(id);
  const kind = m?.[2];
  if (!m || kind === undefined || !isActionKind(kind)) return null;
  return { interviewId: m[1] as string, kind, revision: Number(m[3]) };
}

export function syncSchedulerId(accountId: string): string {
  return `sync.${accountId}`;
}

export const RECONCILE_SCHEDULER_ID = 'reconcile';
