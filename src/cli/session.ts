/**
 * What each command needs, opened and closed in one place: the config (from --config,
 * RINGBACK_CONFIG or ./ringback.yaml), the runtime (Redis, store, queues, vault), and for some
 * commands the engine with its adapters.
 */
import type { ResolvedConfig } from '../../config/types.js';
import { loadConfig } from '../../config/load.js';
import { buildEngine, closeEngine, openRuntime, type AccountProblem, type Runtime } from '../daemon/runtime.js';
import type { Engine } from '../engine/context.js';
import { createLogger } from './io.js';

export interface GlobalOptions {
  readonly config?: string;
  readonly verbose?: boolean;
}

export async function readConfig(options: GlobalOptions): Promise<ResolvedConfig> {
  return await loadConfig({ ...(options.config ? { file: options.config } : {}), env: process.env, cwd: process.cwd() });
}

export async function withRuntime<T>(
  options: GlobalOptions,
  run: (runtime: Runtime) => Promise<T>,
  level?: string,
): Promise<T> {
  const config = await readConfig(options);
  const log = createLogger(options.verbose ? 'debug' : (level ?? 'warn'));
  const runtime = await openRuntime(config, { secretKeyEnv: process.env.RINGBACK_SECRET_KEY, log });
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}

export async function withEngine<T>(
  options: GlobalOptions,
  run: (engine: Engine, runtime: Runtime, problems: AccountProblem[]) => Promise<T>,
): Promise<T> {
  return await withRuntime(options, async (runtime) => {
    const { engine, problems } = await buildEngine(runtime);
    try {
      return await run(engine, runtime, problems);
    } finally {
      await closeEngine(engine);
    }
  });
}
