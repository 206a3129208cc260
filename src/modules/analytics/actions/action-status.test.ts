import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, canMoveAction, nextStatuses } from './action-status.js';

describe('action status', () => {
  it('moves forward, back from done only to in progress, and revives a cancelled action as planned', () => {
    expect(canMoveAction('planned', 'done')).toBe(true);
    expect(canMoveAction('in_progress', 'done')).toBe(true);
    expect(canMoveAction('done', 'in_progress')).toBe(true);
    expect(canMoveAction('done', 'cancelled')).toBe(false);
    expect(canMoveAction('cancelled', 'done')).toBe(false);
    expect(canMoveAction('cancelled', 'planned')).toBe(true);
  });

  it('always allows staying put and never lists it as a move', () => {
    for (const s of ACTION_STATUSES) {
      expect(canMoveAction(s, s)).toBe(true);
      expect(nextStatuses(s)).not.toContain(s);
    }
  });
});
