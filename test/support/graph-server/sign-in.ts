/**
 * Signs in to the local Graph server through msal-node's device-code flow, as `connect microsoft`
 * does, with the "user" approving the code once msal has polled twice; the token cache is kept in
 * memory, as the vault would keep it.
 */
import { createMicrosoftAuth, type MicrosoftAuth, type TokenCacheStorage } from '../../../src/providers/microsoft/auth.js';
import type { GraphServer } from '../graph-server.js';

export interface MemoryStorage extends TokenCacheStorage {
  /** What `save` was last given, or null. */
  readonly saved: () => string | null;
  readonly saves: () => number;
}

export function memoryStorage(initial: string | null = null): MemoryStorage {
  let saved = initial;
  let saves = 0;
  return {
    load: async () => saved,
    save: async (serialized) => {
      saved = serialized;
      saves += 1;
    },
    saved: () => saved,
    saves: () => saves,
  };
}

export function authFor(server: GraphServer, storage: TokenCacheStorage): MicrosoftAuth {
  return createMicrosoftAuth({ clientId: server.clientId, authority: server.authority, apiRoot: server.apiRoot, fetch: server.fetch, storage });
}

export async function signIn(server: GraphServer, storage: MemoryStorage = memoryStorage()): Promise<{ auth: MicrosoftAuth; storage: MemoryStorage }> {
  const auth = authFor(server, storage);
  const approvals: Promise<void>[] = [];
  await auth.signInWithDeviceCode({
    signal: AbortSignal.timeout(20_000),
    onPrompt: (prompt) => {
      approvals.push(server.identity.polled(prompt.userCode, 2).then(() => server.identity.approve(prompt.userCode)));
    },
  });
  await Promise.all(approvals);
  return { auth, storage };
}
