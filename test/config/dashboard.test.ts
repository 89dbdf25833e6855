/** `dashboard.host` and `dashboard.publicUrl`: what the file may say, and what it becomes. */
import { describe, expect, it } from 'vitest';
import { listensOnThisMachineOnly } from '../../config/schema.js';
import { validateConfigText } from '../../config/load.js';
import { CANDIDATE } from './helpers.js';

function load(dashboard: string) {
  return validateConfigText(`${CANDIDATE}dashboard: ${dashboard}\n`, 'ringback.yaml', '/srv/rb', {}, { platform: 'linux', homedir: '/home/ada' });
}

describe('dashboard settings', () => {
  it('listens on the loopback by default, with no public address', () => {
    expect(load('{}').config?.dashboard).toEqual({ port: 7807, host: '127.0.0.1', publicUrl: null });
  });

  it('takes an IP address to listen on, and the origin a browser opens it at', () => {
    expect(load('{ host: 0.0.0.0, publicUrl: "http://127.0.0.1:8080/" }').config?.dashboard).toEqual({
      port: 7807,
      host: '0.0.0.0',
      publicUrl: 'http://127.0.0.1:8080',
    });
    expect(load('{ host: "::" }').config?.dashboard.host).toBe('::');
    expect(load('{ host: localhost }').config?.dashboard.host).toBe('localhost');
  });

  it.each([
    ['{ host: my-server.lan }', 'ringback.yaml: dashboard.host: must be an IP address to listen on, like 127.0.0.1 (this computer only) or 0.0.0.0 (every interface, in a container) (got "my-server.lan")'],
    ['{ host: "" }', 'ringback.yaml: dashboard.host: must not be empty (an IP address to listen on)'],
    ['{ publicUrl: "127.0.0.1:8080" }', 'ringback.yaml: dashboard.publicUrl: must be the address your browser opens the dashboard at, like http://127.0.0.1:7807, starting with https:// or http://'],
    ['{ publicUrl: "http://127.0.0.1:8080/ringback" }', 'ringback.yaml: dashboard.publicUrl: must be the address alone (scheme, host and port), like http://127.0.0.1:7807, without a path'],
    ['{ publicUrl: "http://ada:pw@127.0.0.1:8080" }', 'ringback.yaml: dashboard.publicUrl: must not hold a user or password: run "ringback connect", which stores them encrypted'],
    ['{ hots: 0.0.0.0 }', 'ringback.yaml: dashboard.hots: unknown field (did you mean "host"?)'],
  ])('refuses %s with a clear message', (dashboard, message) => {
    expect(load(dashboard).problems).toEqual([message]);
  });

  it('knows the loopback addresses from the others', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(listensOnThisMachineOnly(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1']) expect(listensOnThisMachineOnly(host), host).toBe(false);
  });
});
