/**
 * crash-send, reduced (the full run: `npm run chaos crash-send`, docs/RELIABILITY.md): the daemon
 * process is SIGKILLed in the middle of its first sync, then at random and in the middle of sends,
 * while 12 confirmations fall due; each one reaches the SMTP server and is filed in Sent exactly
 * once, and no draft is left behind. The only second copy allowed is the one a kill between the
 * message reaching the server and its filing in Sent gives (docs/RELIABILITY.md, "What remains").
 */
import { describe, expect, it } from 'vitest';
import { runCrashSend } from '../../chaos/scenarios/crash-send.js';

describe('crash-send (reduced)', () => {
  it('sends every confirmation exactly once across SIGKILLs of the daemon', async () => {
    const r = await runCrashSend({
      confirmations: 12,
      windowMs: 8_000,
      minKills: 5,
      modes: ['startup', 'timer', 'sent-audit', 'sent-file', 'claim'],
      deadlineMs: 50_000,
      log: () => undefined,
    });
    expect(r.kills).toBeGreaterThanOrEqual(5);
    expect(r.killsByMode['mid-sync']).toBe(1);
    expect(r.lost, r.diagnosis.join('\n')).toBe(0);
    // The one duplicate no SMTP client can rule out: a kill between the message reaching the
    // server and its filing in Sent. Each such kill, and nothing else, gives one.
    expect(r.duplicatedUnexplained, r.diagnosis.join('\n')).toBe(0);
    // Such a kill allows a second copy, it does not force one: when the kill lands after the relay
    // marked the message as handed over, the next process finds the mark and files it instead.
    expect(r.duplicatedAtSmtp).toBeLessThanOrEqual(r.cutInHandOver);
    expect(r.duplicatedInSent).toBe(0);
    expect(r.missingInSent).toBe(0);
    expect(r.leftoverDrafts).toBe(0);
    expect(r.unexpected).toBe(0);
    expect(r.arrivedExactlyOnce).toBe(12 - r.duplicatedAtSmtp);
    expect(r.secretHits).toEqual([]);
  }, 60_000);
});
