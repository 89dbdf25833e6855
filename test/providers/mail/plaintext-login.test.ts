/**
 * Which hosts a password may reach over a connection that is not encrypted: this computer's own
 * loopback only, as a local bridge or relay is reached (localhost, 127.0.0.1, ::1), never a name or
 * an address on a network; 127.0.0.2 stands for another host in the tests, as for an ics feed.
 */
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../src/providers/loopback.js';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '::1', '[::1]'])('%s is this computer', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['mail.example.org', '192.168.1.10', '10.0.0.5', 'localhost.example.org', '127.0.0.1.example.org', '::ffff:10.0.0.1', '127.0.0.2', ''])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
