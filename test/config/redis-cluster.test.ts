/** `redis: redis+cluster://…` in the file and in REDIS_URL: what is accepted, refused and shown. */
import { describe, expect, it } from 'vitest';
import { validateConfigText } from '../../config/load.js';
import { describeRedisUrl } from '../../src/store/connection.js';
import { parseClusterUrl } from '../../config/cluster-url.js';
import { CANDIDATE } from './helpers.js';

function validate(extra: string, env: Record<string, string> = {}) {
  return validateConfigText(CANDIDATE + extra, 'ringback.yaml', '/srv/rb', env, { platform: 'linux', homedir: '/home/ada' });
}

describe('a Redis Cluster in the config', () => {
  it('accepts a cluster URL with one node or several', () => {
    for (const url of ['redis+cluster://cache.internal:7000', 'redis+cluster://10.0.0.1:7000,10.0.0.2:7001,10.0.0.3', 'rediss+cluster://[::1]:7000/']) {
      const result = validate(`redis: "${url}"\n`);
      expect(result.problems, url).toEqual([]);
      expect(result.config?.redis).toEqual({ mode: 'url', url });
    }
  });

  it('refuses a malformed cluster URL with the shape it wants, without echoing it', () => {
    const wanted = 'must be like redis+cluster://host:port,host:port (or rediss+cluster:// for TLS)';
    expect(validate('redis: "redis+cluster://"\n').problems).toEqual([`ringback.yaml: redis: ${wanted} (a node is not host:port)`]);
    expect(validate('redis: "redis+cluster://a:7000,:7001"\n').problems).toEqual([`ringback.yaml: redis: ${wanted} (a node is not host:port)`]);
    expect(validate('redis: "redis+cluster://a:99999"\n').problems).toEqual([`ringback.yaml: redis: ${wanted} (a node is not host:port)`]);
    expect(validate('redis: "redis+cluster://a:7000/2"\n').problems).toEqual([`ringback.yaml: redis: ${wanted}`]);
  });

  it('keeps the password out of the file, and takes it from REDIS_URL', () => {
    expect(validate('redis: "redis+cluster://:hunter22@a:7000"\n').problems).toEqual([
      'ringback.yaml: redis: must not hold a password: set the REDIS_URL environment variable instead',
    ]);
    const env = { REDIS_URL: 'rediss+cluster://app:s%40cret@a:7000,b:7001' };
    expect(validate('redis: managed\n', env).config?.redis).toEqual({ mode: 'url', url: env.REDIS_URL });
    expect(parseClusterUrl(env.REDIS_URL)).toEqual({
      tls: true,
      username: 'app',
      password: 's@cret',
      nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }],
    });
  });

  it('hides the password when it names the cluster in a message', () => {
    expect(describeRedisUrl('redis+cluster://app:s3cret@a:7000,[::1]:7001')).toBe('redis+cluster://app:***@a:7000,[::1]:7001');
    expect(describeRedisUrl('redis+cluster://a:7000')).toBe('redis+cluster://a:7000');
  });
});
