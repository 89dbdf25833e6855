/**
 * Lua scripts sent by their SHA1 against a real Redis: by text once when Redis does not know them,
 * by SHA1 after that, and the scripts of every due action among them. What reached Redis is read
 * with MONITOR (https://redis.io/docs/latest/commands/monitor/), filtered to this file's prefix.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { ActionRecord } from '../../src/domain/actions.js';
import { openRedis } from '../../src/store/connection.js';
import { lockAndBeginDraftWrite } from '../../src/store/drafts.js';
import { setActionRecords, settleActionState } from '../../src/store/interviews.js';
import { runScript, runScriptForBytes } from '../../src/store/scripts.js';
import { key } from '../../src/store/store.js';
import { useTestStore } from '../support/store.js';

const t = useTestStore('scripts');

let monitor: Redis | null = null;
const seen: string[][] = [];

beforeAll(async () => {
  const client = openRedis(inject('redisUrl'));
  monitor = await client.monitor();
  // `source` is "lua" for the commands a script runs: only what the client sent is kept.
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua' && args.some((arg) => arg.includes(t.store.prefix))) seen.push(args);
  });
  client.disconnect();
});
afterAll(() => monitor?.disconnect());

/** The commands of this file that reached Redis while `work` ran (MONITOR lags the replies a little). */
async function commandsOf(work: () => Promise<unknown>): Promise<string[]> {
  // A marker before the work too: what was sent earlier may still be on its way through MONITOR.
  await markAndWait();
  seen.length = 0;
  await work();
  const end = await markAndWait();
  return seen.filter((args) => !args.includes(end)).map((args) => (args[0] ?? '').toLowerCase());
}

/** Sets a marker key and waits until MONITOR has shown it: everything sent before it has been seen. */
async function markAndWait(): Promise<string> {
  const marker = key(t.store, 'marker', randomUUID());
  await t.redis.set(marker, '1');
  for (let i = 0; i < 200 && !seen.some((args) => args.includes(marker)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!seen.some((args) => args.includes(marker))) throw new Error('MONITOR did not show the marker within 2 s');
  return marker;
}

describe('runScript', () => {
  it('sends a script Redis does not know as EVAL once, then by its SHA1 only', async () => {
    // A script no one has sent before (the comment makes its text, and so its SHA1, new).
    const script = `-- ${randomUUID()}\nreturn redis.call('INCR', KEYS[1])`;
    const counter = key(t.store, 'counter');
    expect(await commandsOf(async () => expect(await runScript(t.redis, script, 1, counter)).toBe(1))).toEqual(['evalsha', 'eval']);
    expect(await commandsOf(async () => expect(await runScript(t.redis, script, 1, counter)).toBe(2))).toEqual(['evalsha']);
  });

  it('gives the reply of a script asked for bytes undecoded, as EVAL once and by SHA1 after', async () => {
    const script = `-- ${randomUUID()}\nreturn redis.call('GET', KEYS[1])`;
    const stored = key(t.store, 'bytes');
    // Not text: a deflated record (records.ts) is any bytes; decoded as UTF-8 they would change.
    const bytes = Buffer.from([0x78, 0x9c, 0xff, 0xfe, 0x00, 0x80]);
    await t.redis.set(stored, bytes);
    const replies: unknown[] = [];
    expect(await commandsOf(async () => replies.push(await runScriptForBytes(t.redis, script, 1, stored)))).toEqual(['evalsha', 'eval']);
    expect(await commandsOf(async () => replies.push(await runScriptForBytes(t.redis, script, 1, stored)))).toEqual(['evalsha']);
    for (const reply of replies) expect(Buffer.isBuffer(reply) && reply.equals(bytes)).toBe(true);
  });

  it('raises an error of the script itself without sending it again', async () => {
    const script = `-- ${randomUUID()}\nreturn redis.error_reply('not this way')`;
    const counter = key(t.store, 'failing');
    await expect(runScript(t.redis, script, 1, counter)).rejects.toThrow('not this way');
    expect(await commandsOf(() => expect(runScript(t.redis, script, 1, counter)).rejects.toThrow('not this way'))).toEqual(['evalsha']);
  });
});

describe('the scripts of a due action', () => {
  it("take a confirmation draft's lock and write its state by SHA1, not by the scripts' text", async () => {
    const read: ActionRecord = { kind: 'confirmation-draft', dueAt: 1_000, state: 'pending', revision: 1 };
    const settle = (id: string) =>
      settleActionState(t.store, read, { interviewId: id, kind: 'confirmation-draft', revision: 1, state: 'done', note: 'draft written' }, [
        { type: 'drafted', interviewId: id, message: 'draft written', at: 5_000 },
      ]);
    const lock = (id: string) =>
      lockAndBeginDraftWrite(t.store, { interviewId: id, kind: 'confirmation', messageId: `<ringback.${id}.confirmation.1@example.org>`, revision: 1 }, { token: 'me', ttlMs: 10_000 });
    // Once each, so that Redis knows them whatever ran before.
    await setActionRecords(t.store, 'iv-warm', [read]);
    await lock('iv-warm');
    await settle('iv-warm');

    await setActionRecords(t.store, 'iv-a', [read]);
    expect(await commandsOf(() => lock('iv-a'))).toEqual(['evalsha']);
    expect(await commandsOf(() => settle('iv-a'))).toEqual(['evalsha']);
  });
});
