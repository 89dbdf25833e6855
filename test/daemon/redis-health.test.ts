import { describe, expect, it } from 'vitest';
import { faultOf } from '../../src/daemon/redis-health.js';
import { TransientError } from '../../src/providers/errors.js';

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
    // A provider that reset the connection is not Redis going down.
    [new TransientError('could not reach Google while reading draft r1 (ECONNRESET: request to http://127.0.0.1:1/gmail/v1/users/me/drafts/r1 failed)'), null],
  ])('%s → %s', (error, fault) => {
    expect(faultOf(error)).toBe(fault);
  });
});
