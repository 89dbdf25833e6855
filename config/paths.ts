/**
 * Where ringback keeps things on each platform, and how paths written in `ringback.yaml` are read.
 * Nothing here touches the file system or `process`: the platform, the environment and the home
 * folder are parameters, so that one machine can test all three platforms.
 */
import path from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export interface PlatformContext {
  readonly platform: NodeJS.Platform;
  readonly env: Env;
  /** The user's home folder. */
  readonly homedir: string;
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/**
 * The default data folder:
 * Linux and others `$XDG_DATA_HOME/ringback` or `~/.local/share/ringback`,
 * macOS `~/Library/Application Support/ringback`, Windows `%LOCALAPPDATA%\ringback`.
 */
export function defaultDataDir(context: PlatformContext): string {
  const { platform, env, homedir } = context;
  const api = pathApi(platform);
  if (platform === 'win32') {
    const local = nonEmpty(env.LOCALAPPDATA) ?? api.join(homedir, 'AppData', 'Local');
    return api.join(local, 'ringback');
  }
  if (platform === 'darwin') return api.join(homedir, 'Library', 'Application Support', 'ringback');
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  const base = xdg !== undefined && api.isAbsolute(xdg) ? xdg : api.join(homedir, '.local', 'share');
  return api.join(base, 'ringback');
}

/** `~` and `~/…` become the home folder; other paths are returned unchanged. */
export function expandHome(value: string, homedir: string, platform: NodeJS.Platform): string {
  if (value === '~') return homedir;
  if (value.startsWith('~/') || (platform === 'win32' && value.startsWith('~\\'))) {
    return pathApi(platform).join(homedir, value.slice(2));
  }
  return value;
}

/** A path from the config file: `~` expanded, then resolved against the config file's folder. */
export function resolveConfigPath(
  value: string,
  baseDir: string,
  homedir: string,
  platform: NodeJS.Platform,
): string {
  const api = pathApi(platform);
  return api.resolve(baseDir, expandHome(value, homedir, platform));
}

/** The home folder as the environment states it, else the one the OS reports. */
export function homeFromEnv(env: Env, platform: NodeJS.Platform, fallback: string): string {
  const fromEnv = platform === 'win32' ? nonEmpty(env.USERPROFILE) : nonEmpty(env.HOME);
  return fromEnv ?? fallback;
}

/** The config file when neither `--config` nor `RINGBACK_CONFIG` names one, read from the current folder. */
export const DEFAULT_CONFIG_FILE = 'ringback.yaml';

export interface ConfigFile {
  /** As the user named it (or the default), for messages. */
  readonly given: string;
  /** Absolute: `~` expanded, a relative path read from the current folder. */
  readonly path: string;
  /** Named by `RINGBACK_CONFIG`: messages about the file say so. */
  readonly fromEnv: boolean;
}

/**
 * The config file every command reads or writes: `--config`, else `RINGBACK_CONFIG` (ignored
 * when blank), else `./ringback.yaml`.
 */
export function configFile(options: {
  /** The `--config` flag. */
  readonly flag?: string | undefined;
  readonly env: Env;
  readonly cwd: string;
  readonly homedir: string;
  readonly platform: NodeJS.Platform;
}): ConfigFile {
  const fromEnv = options.flag === undefined ? nonEmpty(options.env.RINGBACK_CONFIG)?.trim() : undefined;
  const given = options.flag ?? fromEnv ?? DEFAULT_CONFIG_FILE;
  const api = pathApi(options.platform);
  return { given, path: api.resolve(options.cwd, expandHome(given, options.homedir, options.platform)), fromEnv: fromEnv !== undefined };
}
