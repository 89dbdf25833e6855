/**
 * reach (the same as `npm run chaos reach`): addresses written in an invitation's text never
 * become recipients, only the organizer (or the next attendee when the organizer's address is
 * unusable) does, one per message; an invitation not accepted is never confirmed on its own; the
 * SMTP password is in neither Redis nor the log. The dashboard's 401 without the token and 403 for
 * a cross-origin POST are tested in test/http/dashboard.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { runReach } from '../../chaos/scenarios/reach.js';

describe('reach', () => {
  it('writes only to the organizer or an attendee, and never sends an invitation not accepted', async () => {
    const r = await runReach(() => undefined);
    expect(r.problems).toEqual([]);
    expect(r.messages).toBe(3);
    expect([...r.recipients].sort()).toEqual(['dana@acme.example', 'sam@acme.example']);
    expect(r.keptAsDrafts).toBe(3);
  }, 60_000);
});
