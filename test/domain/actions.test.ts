import { describe, expect, it } from 'vitest';
import { ACTION_KINDS, ACTION_LABEL, ACTION_STATES, FINISHED_STATES, REPLANNABLE_STATES, SETTLED_STATES, isActionKind } from '../../src/domain/actions.js';
import { EMAIL_KINDS, actionsOn } from '../../src/domain/ids.js';

describe('action kinds', () => {
  it('are recognised by name, and nothing else is', () => {
    for (const kind of ACTION_KINDS) expect(isActionKind(kind)).toBe(true);
    for (const text of ['', 'confirmation', 'noshow-send', 'CONFIRMATION-DRAFT', 'toString']) expect(isActionKind(text)).toBe(false);
  });

  it('each have a label of their own', () => {
    const labels = ACTION_KINDS.map((kind) => ACTION_LABEL[kind]);
    expect(new Set(labels).size).toBe(ACTION_KINDS.length);
  });

  it('each work on exactly one email, in the order they happen', () => {
    expect(EMAIL_KINDS.flatMap((email) => actionsOn(email))).toEqual(ACTION_KINDS);
    expect(actionsOn('confirmation')).toEqual(['confirmation-draft', 'confirmation-send']);
    expect(actionsOn('noshow')).toEqual(['noshow-draft', 'noshow-resolve']);
  });
});

describe('action states', () => {
  it('settled is finished, and finished adds exactly the ends that no job should retry by itself', () => {
    for (const state of SETTLED_STATES) expect(FINISHED_STATES.has(state)).toBe(true);
    expect(ACTION_STATES.filter((s) => FINISHED_STATES.has(s) && !SETTLED_STATES.has(s))).toEqual(['failed', 'missed', 'unconfirmed']);
  });

  it('a pending or parked action is neither settled nor finished', () => {
    for (const state of ['pending', 'parked'] as const) {
      expect(SETTLED_STATES.has(state)).toBe(false);
      expect(FINISHED_STATES.has(state)).toBe(false);
    }
  });

  it('a replan may write over no settled state', () => {
    for (const state of REPLANNABLE_STATES) expect(SETTLED_STATES.has(state)).toBe(false);
  });
});
