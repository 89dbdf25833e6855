import { describe, expect, it } from 'vitest';
import { configFile, defaultDataDir, expandHome, homeFromEnv, resolveConfigPath } from '../../config/paths.js';

describe('defaultDataDir', () => {
  it('follows each platform', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, homedir: '/home/ada' })).toBe('/home/ada/.local/share/ringback');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data' }, homedir: '/home/ada' })).toBe('/data/ringback');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_DATA_HOME: 'relative' }, homedir: '/home/ada' })).toBe('/home/ada/.local/share/ringback');
    expect(defaultDataDir({ platform: 'darwin', env: { XDG_DATA_HOME: '/data' }, homedir: '/Users/ada' })).toBe('/Users/ada/Library/Application Support/ringback');
    expect(defaultDataDir({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Local\\ringback');
    expect(defaultDataDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ada' })).toBe('C:\\Users\\ada\\AppData\\Local\\ringback');
  });
});

describe('paths in the file', () => {
  it('expands ~ and resolves against the config folder', () => {
    expect(expandHome('~', '/home/ada', 'linux')).toBe('/home/ada');
    expect(expandHome('~/mail', '/home/ada', 'linux')).toBe('/home/ada/mail');
    expect(expandHome('~bob/mail', '/home/ada', 'linux')).toBe('~bob/mail');
    expect(resolveConfigPath('./cal.ics', '/etc/rb', '/home/ada', 'linux')).toBe('/etc/rb/cal.ics');
    expect(resolveConfigPath('/abs/cal.ics', '/etc/rb', '/home/ada', 'linux')).toBe('/abs/cal.ics');
    expect(resolveConfigPath('~/cal.ics', '/etc/rb', '/home/ada', 'linux')).toBe('/home/ada/cal.ics');
    expect(resolveConfigPath('~\\cal.ics', 'C:\\rb', 'C:\\Users\\ada', 'win32')).toBe('C:\\Users\\ada\\cal.ics');
  });
  it('takes the home folder from the environment first', () => {
    expect(homeFromEnv({ HOME: '/h' }, 'linux', '/fallback')).toBe('/h');
    expect(homeFromEnv({ HOME: '' }, 'linux', '/fallback')).toBe('/fallback');
    expect(homeFromEnv({ USERPROFILE: 'C:\\u', HOME: '/h' }, 'win32', 'C:\\f')).toBe('C:\\u');
  });
});

describe('configFile', () => {
  const at = { cwd: '/work', homedir: '/home/ada', platform: 'linux' as const };

  it('takes --config, else RINGBACK_CONFIG, else ./ringback.yaml', () => {
    expect(configFile({ ...at, flag: 'a.yaml', env: { RINGBACK_CONFIG: '/etc/b.yaml' } })).toEqual({ given: 'a.yaml', path: '/work/a.yaml', fromEnv: false });
    expect(configFile({ ...at, env: { RINGBACK_CONFIG: ' /etc/b.yaml ' } })).toEqual({ given: '/etc/b.yaml', path: '/etc/b.yaml', fromEnv: true });
    expect(configFile({ ...at, env: {} })).toEqual({ given: 'ringback.yaml', path: '/work/ringback.yaml', fromEnv: false });
  });

  it('ignores a blank RINGBACK_CONFIG and expands ~', () => {
    expect(configFile({ ...at, env: { RINGBACK_CONFIG: '  ' } }).path).toBe('/work/ringback.yaml');
    expect(configFile({ ...at, env: { RINGBACK_CONFIG: '~/cfg/r.yaml' } }).path).toBe('/home/ada/cfg/r.yaml');
    expect(configFile({ ...at, platform: 'win32', cwd: 'C:\\w', homedir: 'C:\\u', flag: '~\\r.yaml', env: {} }).path).toBe('C:\\u\\r.yaml');
  });
});
