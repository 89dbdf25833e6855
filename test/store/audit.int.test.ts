/**
 * The audit stream against a real Redis: messages kept deflated and read back, entries of earlier
 * versions (the message as text) read beside them, and entries older than a year dropped by the
 * reconciler's trim.
 */
import { describe, expect, it } from 'vitest';
import { describePlanLine, type PlanLine } from '../../src/domain/plan-line.js';
import { audit, auditAll, followAudit, readAudit, trimAudit, type AuditEntry } from '../../src/store/audit.js';
import { key } from '../../src/store/store.js';
import { FIVE_STEP_PLAN, PLANNED_AT } from '../support/plan-line.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('audit');

const PLANNED =
  'planned: confirmation draft at Tue 29 Dec 15:30 EST (in 24 days); confirmation send at Wed 30 Dec 14:30 EST (in 25 days); ' +
  'no-show draft at Wed 30 Dec 15:45 EST (in 25 days); no-show check at Wed 30 Dec 16:00 EST (in 25 days); thank-you draft at Wed 30 Dec 17:00 EST (in 25 days)';

describe('audit', () => {
  it('drops entries older than a year when trimmed, and keeps the recent ones', async () => {
    const k = key(t.store, 'audit');
    const twoYearsAgo = Date.now() - 2 * 365 * 86_400_000;
    // 300 entries from two years ago (Redis trims whole stream nodes of 100 entries each)…
    for (let i = 0; i < 300; i++) await t.redis.xadd(k, `${twoYearsAgo + i}-0`, 'type', 'planned', 'message', `old ${i}`, 'at', String(twoYearsAgo + i));
    // …and one from a month ago, which stays.
    const monthAgo = Date.now() - 30 * 86_400_000;
    await t.redis.xadd(k, `${monthAgo}-0`, 'type', 'planned', 'message', 'last month', 'at', String(monthAgo));

    await audit(t.store, { type: 'detected', message: 'now', at: Date.now() });
    expect(await t.redis.xlen(k)).toBe(302); // a write no longer trims…
    expect(await trimAudit(t.store)).toBeGreaterThanOrEqual(200); // …the reconciler does

    const messages = (await readAudit(t.store, { count: 1_000 })).map((r) => r.message);
    expect(messages.filter((m) => m.startsWith('old ')).length).toBeLessThan(100);
    expect(messages.slice(-2)).toEqual(['last month', 'now']);
  });

  it('keeps messages deflated, reads them back as written, with entries of earlier versions', async () => {
    const k = key(t.store, 'audit');
    await t.redis.del(k);
    const at = Date.now();
    // An entry as earlier versions wrote it: the message as text.
    await t.redis.xadd(k, '*', 'type', 'detected', 'message', 'phone interview found: "Call" with Sam, they call', 'at', String(at), 'interview', 'iv0000000001');
    const entries = [
      { type: 'planned', interviewId: 'iv0000000001', message: PLANNED, at },
      { type: 'skipped', interviewId: 'iv0000000002', message: 'confirmation draft skipped: the call is too close', at },
      { type: 'account', accountId: 'mail', message: 'ok', at },
      { type: 'marked', interviewId: 'iv0000000001', message: 'you marked "Zoë’s call — 電話面接": phone', at },
    ] as const;
    await auditAll(t.store, entries);

    const read = await readAudit(t.store, { count: 10 });
    expect(read.map(({ id: _id, ...rest }) => rest)).toEqual([
      { type: 'detected', interviewId: 'iv0000000001', message: 'phone interview found: "Call" with Sam, they call', at },
      ...entries,
    ]);
    expect((await readAudit(t.store, { interviewId: 'iv0000000001' })).map((r) => r.type)).toEqual(['detected', 'planned', 'marked']);
    expect((await followAudit(t.store, '0', 100)).map((r) => r.message)).toEqual(read.map((r) => r.message));

    // The plan's line is kept in well under half its length; a message deflate cannot shorten stays text.
    const raw = await t.redis.xrangeBuffer(k, '-', '+');
    const fieldsOf = (i: number) => (raw[i]?.[1] ?? []).map((b, j) => (j % 2 === 0 ? b.toString() : b));
    const planned = fieldsOf(1);
    expect(planned[0]).toBe('type');
    expect(planned[2]).toBe('z1');
    expect((planned[3] as Buffer).length).toBeLessThan(PLANNED.length / 2);
    expect(fieldsOf(3).slice(2, 4)).toEqual(['message', Buffer.from('ok')]);
  });

  it("keeps a full plan's line as data and reads it back in its words; a short plan's line as words", async () => {
    const k = key(t.store, 'audit');
    await t.redis.del(k);
    const at = PLANNED_AT;
    const full = FIVE_STEP_PLAN;
    const short: PlanLine = { zone: 'America/New_York', steps: full.steps.slice(3) };
    // The message of a line with a plan is not read when it is written.
    const entry = (line: PlanLine, interviewId: string): AuditEntry => ({
      type: 'planned',
      interviewId,
      plan: line,
      get message(): string {
        if (line.steps.length >= 4) throw new Error('the message of a full plan line was made');
        return describePlanLine(line, at);
      },
      at,
    });
    await auditAll(t.store, [entry(full, 'iv0000000001'), entry(short, 'iv0000000002')]);
    // Written by an earlier version or damaged: shown as it is, not dropped.
    await t.redis.xadd(k, '*', 'type', 'planned', 'z1', '~CD1?', 'at', String(at), 'interview', 'iv0000000003');

    expect((await readAudit(t.store)).map((r) => r.message)).toEqual([
      describePlanLine(full, at),
      describePlanLine(short, at),
      'planned: CD1?',
    ]);
    // Both under the fields of every deflated message (the stream stores them once per node).
    const raw = await t.redis.xrangeBuffer(k, '-', '+');
    const fields = raw.map(([, f]) => f.filter((_, j) => j % 2 === 0).map(String));
    expect(fields[0]).toEqual(['type', 'z1', 'at', 'interview']);
    expect(fields[1]).toEqual(['type', 'z1', 'at', 'interview']);
    expect(raw[0]?.[1][3]?.toString()).toBe('~CD1fzpulCS1daow0ND2og80NRjag0TD255s0America/New_York');
    expect(raw[1]?.[1][3]?.[0]).not.toBe('~'.charCodeAt(0));
  });
});
