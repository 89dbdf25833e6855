/**
 * docker-compose.yml, read the way Compose reads the parts ringback's service uses: environment as
 * a mapping or a list, `${VAR:-default}` interpolation, volumes and ports in their short or long
 * syntax (https://docs.docker.com/reference/compose-file/services/).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

export interface Mount {
  /** A volume name, or a host path for a bind mount. */
  readonly source: string;
  readonly target: string;
  readonly bind: boolean;
}

export interface Published {
  readonly hostIp: string | null;
  readonly hostPort: number;
  readonly containerPort: number;
}

export type Service = Record<string, unknown>;

export interface ComposeFile {
  readonly services: Record<string, Service>;
  readonly volumes: Record<string, unknown>;
}

export async function readCompose(repo: string): Promise<ComposeFile> {
  const doc = parse(await readFile(path.join(repo, 'docker-compose.yml'), 'utf8')) as Partial<ComposeFile>;
  return { services: doc.services ?? {}, volumes: doc.volumes ?? {} };
}

/** `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}` as Compose expands them. */
export function interpolate(value: string, hostEnv: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (_all, name: string, colon: string, op: string, arg: string) => {
    const v = hostEnv[name];
    const unset = v === undefined || (colon === ':' && v === '');
    if (!unset) return v ?? '';
    if (op === '?') throw new Error(`\${${name}}: ${arg || 'required'}`);
    return op === '-' ? arg : '';
  });
}

/** The service's environment, interpolated against `hostEnv`. */
export function environmentOf(service: Service, hostEnv: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs: [string, string][] = Array.isArray(raw)
    ? (raw as string[]).map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, hostEnv[entry] ?? ''] : [entry.slice(0, at), entry.slice(at + 1)];
      })
    : Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, v === null ? (hostEnv[k] ?? '') : String(v)]);
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(v, hostEnv)]));
}

export function mountsOf(service: Service): Mount[] {
  return ((service.volumes ?? []) as unknown[]).map((entry) => {
    if (typeof entry === 'string') {
      const [source = '', target = ''] = entry.split(':');
      return { source, target, bind: source.startsWith('.') || source.startsWith('/') || source.startsWith('~') };
    }
    const long = entry as { type?: string; source?: string; target?: string };
    return { source: long.source ?? '', target: long.target ?? '', bind: long.type === 'bind' };
  });
}

export function portsOf(service: Service): Published[] {
  return ((service.ports ?? []) as unknown[]).map((entry) => {
    if (typeof entry === 'object' && entry !== null) {
      const long = entry as { host_ip?: string; published?: string | number; target?: number };
      return { hostIp: long.host_ip ?? null, hostPort: Number(long.published), containerPort: Number(long.target) };
    }
    const parts = String(entry).split(':');
    const containerPort = Number.parseInt(parts.pop() ?? '', 10);
    const hostPort = Number.parseInt(parts.pop() ?? String(containerPort), 10);
    return { hostIp: parts.length > 0 ? parts.join(':') : null, hostPort, containerPort };
  });
}

/** `15s`, `1m30s`, `500ms` in milliseconds. */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(n) * ({ ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'] ?? 0);
  }
  return total;
}
