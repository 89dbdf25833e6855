/**
 * Which action a job stands for: jobs added now carry no data (their id says it), jobs added by
 * earlier versions carry it in full; both must run after an upgrade.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../../src/domain/actions.js';
import { actionJobId, isLegacyActionJobId, legacyActionJobId, parseActionJobId } from '../../src/queue/jobs.js';
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

describe('action job ids', () => {
  it('are short, `{interview}.{code}{revision}`, and read back for every kind', () => {
    expect(actionJobId('iv3f9a0c12d4', 'confirmation-send', 3)).toBe('iv3f9a0c12d4.cs3');
    for (const kind of ACTION_KINDS) {
      for (const revision of [1, 12]) {
        const id = actionJobId('iv3f9a0c12d4', kind, revision);
        expect(id.length).toBeLessThanOrEqual(17);
        expect(parseActionJobId(id)).toEqual({ interviewId: 'iv3f9a0c12d4', kind, revision });
        expect(isLegacyActionJobId(id)).toBe(false);
      }
    }
  });

  it('of the earlier form (`{interview}.{kind}.r{revision}`) are read too, and told apart', () => {
    for (const kind of ACTION_KINDS) {
      const id = legacyActionJobId('iv3f9a0c12d4', kind, 2);
      expect(id).toBe(`iv3f9a0c12d4.${kind}.r2`);
      expect(parseActionJobId(id)).toEqual({ interviewId: 'iv3f9a0c12d4', kind, revision: 2 });
      expect(isLegacyActionJobId(id)).toBe(true);
    }
  });

  it('other ids are no action', () => {
    for (const id of ['sync.cal', 'reconcile', 'iv3f9a0c12d4.zz1', 'iv3f9a0c12d4.cd', 'iv3f9a0c12d4.phone-call.r1', 'fire-12']) {
      expect(parseActionJobId(id)).toBeNull();
      expect(isLegacyActionJobId(id)).toBe(false);
    }
  });
});
