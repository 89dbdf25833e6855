/**
 * Which action a job stands for: jobs added now carry no data (their id says it), jobs added by
 * earlier versions carry it in full; both must run after an upgrade.
 */
import { describe, expect, it } from 'vitest';
import { actionJobId } from '../../src/queue/jobs.js';
import { actionOfJob } from '../../src/queue/queues.js';

describe('actionOfJob', () => {
  const action = { interviewId: 'iv3f9a0c12d4', kind: 'confirmation-send', revision: 3 } as const;

  it('reads a job of this version from its id alone', () => {
    expect(actionOfJob({ id: actionJobId(action.interviewId, action.kind, action.revision), data: {} })).toEqual(action);
  });

  it('reads a job an earlier version added, with its data', () => {
    expect(actionOfJob({ id: 'iv3f9a0c12d4.confirmation-send.r3', data: { ...action } })).toEqual(action);
    expect(actionOfJob({ id: 'some-other-id', data: { ...action } })).toEqual(action);
  });

  it('says null for a job that is no action', () => {
    expect(actionOfJob({ id: 'sync.cal', data: {} })).toBeNull();
    expect(actionOfJob({ data: { interviewId: 'iv3f9a0c12d4' } })).toBeNull();
  });
});
