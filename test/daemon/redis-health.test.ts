import { describe, expect, it } from 'vitest';
import { faultOf } from '../../src/daemon/redis-health.js';

function errno(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('faultOf', () => {
  it.each([
    [errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6379'), 'redis'],
    [new Error('Connection is closed.'), 'redis'],
    [errno('ECONNRESET', 'read ECONNRESET'), 'redis'],
    [errno('ENOSPC', "ENOSPC: no space left on device, write '/mail/.Drafts/tmp/x'"), 'disk'],
    [new Error('MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.'), 'disk'],
    [new Error('draft <x> has no From address'), null],
    [new Error('the calendar URL answered 404'), null],
  ])('%s → %s', (error, fault) => {
    expect(faultOf(error)).toBe(fault);
  });
});
