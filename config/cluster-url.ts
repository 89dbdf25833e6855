/**
 * How a user names a Redis Cluster: `redis+cluster://host:port[,host:port…]`, or
 * `rediss+cluster://…` over TLS, in `redis:` or `REDIS_URL`. One node is enough (the client asks
 * it for the others); listing more lets ringback start while one of them is down. Credentials
 * (`user:password@`) are allowed in REDIS_URL only, as for a plain URL. A cluster has only
 * database 0, so the URL has no path.
 *
 * The comma-separated host list follows MongoDB's connection strings; WHATWG `URL` cannot parse
 * it, hence this small parser. It is pure so that the config schema can use it without ioredis.
 */

export interface ClusterNode {
  readonly host: string;
  readonly port: number;
}

export interface ClusterUrl {
  readonly tls: boolean;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly nodes: readonly ClusterNode[];
}

const SHAPE = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]*)\/?$/;
const EXPECTED = 'must be like redis+cluster://host:port,host:port (or rediss+cluster:// for TLS)';

export function isClusterUrl(value: string): boolean {
  return /^rediss?\+cluster:/i.test(value.trim());
}

function parseNode(text: string): ClusterNode | null {
  // [v6]:port or host:port or host (port 6379).
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim());
  if (!match) return null;
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? 6379 : Number(match[3]);
  if (host === '' || port < 1 || port > 65535) return null;
  return { host, port };
}

/** The parsed URL, or a message saying what is wrong (never echoing the value: it may hold a password). */
export function parseClusterUrl(value: string): ClusterUrl | string {
  const match = SHAPE.exec(value.trim());
  if (!match) return EXPECTED;
  const [, scheme, credentials, hosts] = match;
  const nodes: ClusterNode[] = [];
  for (const part of (hosts ?? '').split(',')) {
    const node = parseNode(part);
    if (!node) return `${EXPECTED} (a node is not host:port)`;
    nodes.push(node);
  }
  let username: string | undefined;
  let password: string | undefined;
  if (credentials !== undefined) {
    const colon = credentials.indexOf(':');
    const user = colon < 0 ? credentials : credentials.slice(0, colon);
    const pass = colon < 0 ? '' : credentials.slice(colon + 1);
    try {
      username = user === '' ? undefined : decodeURIComponent(user);
      password = pass === '' ? undefined : decodeURIComponent(pass);
    } catch {
      // A malformed %-escape: say so without showing it.
      return `${EXPECTED} (the user or password is not URL-encoded)`;
    }
  }
  return { tls: scheme === 'rediss', username, password, nodes };
}

/** The URL for messages: nodes shown, password hidden. */
export function describeClusterUrl(cluster: ClusterUrl): string {
  const scheme = cluster.tls ? 'rediss+cluster' : 'redis+cluster';
  const credentials = cluster.password !== undefined ? `${cluster.username ?? ''}:***@` : cluster.username !== undefined ? `${cluster.username}@` : '';
  const nodes = cluster.nodes.map((n) => (n.host.includes(':') ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`));
  return `${scheme}://${credentials}${nodes.join(',')}`;
}
