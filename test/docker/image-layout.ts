/**
 * The file layout of the Docker image, rebuilt without Docker from the `Dockerfile` itself, so that
 * a test can run the image's files where no Docker engine runs.
 *
 * The Dockerfile is read instruction by instruction, and a temporary folder stands for the image's
 * `/`: `WORKDIR` and `COPY` do what the Dockerfile reference says (a source folder's contents go
 * into the destination; sources come from the build context minus `.dockerignore`), `ENV` values
 * that are absolute paths are moved under the folder, and the few `RUN` commands the image uses are
 * replayed: `npm ci --omit=dev`, `node bin/build.js` (run, in the copy), `mkdir -p`, `chown`
 * (recorded: ownership cannot be tested here) and `ln -s`. Any other instruction or command fails loudly, so that the Dockerfile cannot grow a
 * step this copy silently skips.
 *
 * `npm ci --omit=dev` is replayed from `package-lock.json` rather than run: every package entry
 * that npm would install with `--omit=dev` (all but those flagged `dev`) is hard-linked from this
 * checkout's `node_modules`, which `npm ci` installed from the same lock. It is the rule npm applies
 * (a package flagged `devOptional` stays, since only `dev` is omitted), it needs no network and no
 * npm cache, and it takes about a second where a real `npm ci --offline` unpacks 13,000 files from
 * the cache and depends on that cache being complete.
 */
import { execFile } from 'node:child_process';
import { chmod, copyFile, link, lstat, mkdir, readFile, readdir, readlink, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const runFile = promisify(execFile);

export interface ImageLayout {
  /** The folder that stands for the image's `/`. */
  readonly root: string;
  /** The last WORKDIR, inside `root`. */
  readonly workdir: string;
  /** ENV of the image, absolute paths moved under `root`. */
  readonly env: Readonly<Record<string, string>>;
  /** ENV of the image as written. */
  readonly imageEnv: Readonly<Record<string, string>>;
  /** The folders `chown`ed to a user, as written (`/data`), with the owner. */
  readonly owned: ReadonlyMap<string, string>;
  /** `USER`, `CMD`, `EXPOSE` and `HEALTHCHECK` as written, if any. */
  readonly user: string | null;
  readonly cmd: readonly string[];
  readonly exposed: readonly number[];
  /** The `COPY` sources, in order. */
  readonly copied: readonly string[];
}

export interface LayoutOptions {
  /** The build context (the repository). */
  readonly context: string;
  /** An empty folder that stands for the image's `/`. */
  readonly root: string;
  /** Context paths the copy leaves out, as if the Dockerfile did (to show what that breaks). @defaultValue [] */
  readonly without?: readonly string[];
}

/** Instructions, one per entry, with line continuations joined and comments dropped. */
export function dockerInstructions(text: string): { readonly keyword: string; readonly args: string }[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  if (current.trim() !== '') logical.push(current.trim());
  return logical.map((l) => {
    const space = l.search(/\s/);
    return space < 0 ? { keyword: l.toUpperCase(), args: '' } : { keyword: l.slice(0, space).toUpperCase(), args: l.slice(space).trim() };
  });
}

/** A JSON-array instruction (`CMD ["node", …]`), or the shell form split on spaces. */
function execForm(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return args.split(/\s+/);
}

/** `ENV a=b c=d` or the legacy `ENV a b`. Quotes are not supported: the image uses none. */
function envPairs(args: string): [string, string][] {
  if (!args.includes('=')) {
    const [name, ...rest] = args.split(/\s+/);
    return [[name ?? '', rest.join(' ')]];
  }
  return args.split(/\s+/).map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0 || /["']/.test(pair)) throw new Error(`ENV ${args}: only plain NAME=value pairs are replayed`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

async function dockerignore(context: string): Promise<string[]> {
  const text = await readFile(path.join(context, '.dockerignore'), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const patterns = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const unsupported = patterns.find((p) => /[*?[!]/.test(p));
  if (unsupported !== undefined) throw new Error(`.dockerignore: "${unsupported}" uses a wildcard or exception, which this copy does not replay`);
  return patterns.map((p) => p.replace(/^\/+|\/+$/g, ''));
}

function under(rel: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => rel === p || rel.startsWith(`${p}/`));
}

/** Copies a file or a folder's contents, hard-linking files when the file system allows it. */
async function place(from: string, to: string, skip: (fromPath: string) => boolean): Promise<void> {
  if (skip(from)) return;
  const info = await lstat(from);
  if (info.isDirectory()) {
    await mkdir(to, { recursive: true });
    for (const name of await readdir(from)) await place(path.join(from, name), path.join(to, name), skip);
    return;
  }
  await mkdir(path.dirname(to), { recursive: true });
  if (info.isSymbolicLink()) {
    await symlink(await readlink(from), to);
    return;
  }
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
    await copyFile(from, to);
    await chmod(to, info.mode & 0o777);
  }
}

interface LockEntry {
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly link?: boolean;
}

/** What `npm ci --omit=dev` installs in `dir`, from the lock file copied there. */
async function installProductionDependencies(dir: string, context: string): Promise<void> {
  const lockText = await readFile(path.join(dir, 'package-lock.json'), 'utf8').catch(() => {
    throw new Error(`RUN npm ci: no package-lock.json in ${dir} (COPY it before npm ci)`);
  });
  await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => {
    throw new Error(`RUN npm ci: no package.json in ${dir} (COPY it before npm ci)`);
  });
  const lock = JSON.parse(lockText) as { lockfileVersion: number; packages: Record<string, LockEntry> };
  if (lock.lockfileVersion < 2) throw new Error('package-lock.json: lockfileVersion 2 or 3 expected');
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.dev === true) continue;
    if (entry.link === true) throw new Error(`package-lock.json: ${key} is a link, which this copy does not replay`);
    const from = path.join(context, key);
    const present = await lstat(from).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (!present) {
      // An optional package for another platform (an esbuild binary for another CPU) is never installed.
      if (entry.optional === true) continue;
      throw new Error(`npm ci --omit=dev installs ${key}, which is missing from node_modules here: run npm ci`);
    }
    // Nested node_modules are entries of their own in the lock.
    await place(from, path.join(dir, key), (p) => p !== from && path.basename(p) === 'node_modules');
  }
}

/** Replays one `RUN`, command by command (`a && b`). */
interface ReplayState {
  readonly root: string;
  readonly context: string;
  /** The WORKDIR as the image sees it (`/app`). */
  workdir: string;
  readonly owned: Map<string, string>;
}

/** Where a path of the image (absolute, or relative to the WORKDIR) lies in the copy. */
function hostPath(state: ReplayState, imagePath: string): string {
  return path.join(state.root, path.posix.resolve(state.workdir, imagePath));
}

async function replayRun(args: string, state: ReplayState): Promise<void> {
  const inRoot = (p: string) => hostPath(state, p);
  for (const command of args.split('&&').map((c) => c.trim().split(/\s+/))) {
    const [program, ...rest] = command;
    const line = command.join(' ');
    if (line === 'npm ci --omit=dev') {
      await installProductionDependencies(hostPath(state, '.'), state.context);
    } else if (line === 'node bin/build.js') {
      // Run for real with the copy's own files and packages: the build is part of the image.
      await runFile(process.execPath, [inRoot('bin/build.js')], { cwd: hostPath(state, '.') });
    } else if (program === 'mkdir' && rest[0] === '-p') {
      for (const p of rest.slice(1)) await mkdir(inRoot(p), { recursive: true });
    } else if (program === 'chown' && rest.length >= 2) {
      const [owner, ...paths] = rest[0] === '-R' ? rest.slice(1) : rest;
      for (const p of paths) state.owned.set(path.posix.resolve('/', p), owner ?? '');
    } else if (program === 'ln' && rest[0] === '-s' && rest.length === 3) {
      const target = rest[1] ?? '';
      const at = inRoot(rest[2] ?? '');
      await mkdir(path.dirname(at), { recursive: true });
      await symlink(target.startsWith('/') ? path.join(state.root, target) : target, at);
    } else {
      throw new Error(`RUN ${line}: this copy of the image does not know what it does; teach test/docker/image-layout.ts`);
    }
  }
}

/** Builds the image's files under `options.root`, following the Dockerfile's text. */
export async function buildImageLayout(dockerfile: string, options: LayoutOptions): Promise<ImageLayout> {
  const dockerIgnored = await dockerignore(options.context);
  const leftOut = options.without ?? [];
  const ignored = [...dockerIgnored, ...leftOut];
  const state: ReplayState = { root: options.root, workdir: '/', context: options.context, owned: new Map<string, string>() };
  const imageEnv: Record<string, string> = {};
  const copied: string[] = [];
  const exposed: number[] = [];
  let user: string | null = null;
  let cmd: string[] = [];
  for (const { keyword, args } of dockerInstructions(dockerfile)) {
    switch (keyword) {
      case 'FROM':
        if (/\bAS\b/i.test(args)) throw new Error('FROM … AS: multi-stage builds are not replayed');
        break;
      case 'WORKDIR':
        state.workdir = path.posix.resolve(state.workdir, args);
        await mkdir(hostPath(state, '.'), { recursive: true });
        break;
      case 'COPY': {
        const parts = args.split(/\s+/);
        if (parts.some((p) => p.startsWith('--') && !p.startsWith('--chown=') && !p.startsWith('--chmod='))) {
          throw new Error(`COPY ${args}: only --chown and --chmod are replayed`);
        }
        const paths = parts.filter((p) => !p.startsWith('--'));
        const dest = paths.pop();
        if (dest === undefined || paths.length === 0) throw new Error(`COPY ${args}: needs a source and a destination`);
        const destDir = dest.endsWith('/') || paths.length > 1;
        const destPath = hostPath(state, dest);
        for (const source of paths) {
          if (/[*?[]/.test(source)) throw new Error(`COPY ${source}: wildcards are not replayed`);
          const rel = path.posix.normalize(source).replace(/^(\.\/)+|\/+$/g, '');
          if (rel.startsWith('..')) throw new Error(`COPY ${source}: outside the build context`);
          if (under(rel, dockerIgnored)) throw new Error(`COPY ${source}: excluded from the build context by .dockerignore`);
          if (under(rel, leftOut)) continue;
          const from = rel === '.' || rel === '' ? options.context : path.join(options.context, rel);
          const info = await lstat(from).catch(() => {
            throw new Error(`COPY ${source}: no such file or folder in the build context`);
          });
          const to = info.isDirectory() || !destDir ? destPath : path.join(destPath, path.basename(rel));
          await place(from, to, (p) => under(path.relative(options.context, p).split(path.sep).join('/'), ignored));
          copied.push(rel);
        }
        break;
      }
      case 'RUN':
        await replayRun(args, state);
        break;
      case 'ENV':
        for (const [name, value] of envPairs(args)) imageEnv[name] = value;
        break;
      case 'USER':
        user = args;
        break;
      case 'CMD':
        cmd = execForm(args);
        break;
      case 'EXPOSE':
        exposed.push(...args.split(/\s+/).map((p) => Number.parseInt(p, 10)));
        break;
      case 'STOPSIGNAL':
      case 'LABEL':
        break;
      default:
        throw new Error(`${keyword}: this copy of the image does not replay it; teach test/docker/image-layout.ts`);
    }
  }
  const env = Object.fromEntries(Object.entries(imageEnv).map(([k, v]) => [k, v.startsWith('/') ? path.join(options.root, v) : v]));
  return { root: options.root, workdir: hostPath(state, '.'), env, imageEnv, owned: state.owned, user, cmd, exposed, copied };
}
