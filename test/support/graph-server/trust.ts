/**
 * Makes the global `fetch` of a test process trust the local Graph server's self-signed
 * certificate: the factory builds the Microsoft adapters on the global `fetch` and takes no CA, and
 * Node 20 reads NODE_EXTRA_CA_CERTS only at start.
 */

const DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface Dispatcher {
  close(): Promise<void>;
}
type DispatcherClass = new (options: { connect: { ca: string } }) => Dispatcher;

/**
 * Makes the global `fetch` of this test process trust `ca` (and only it), and returns what undoes
 * it. Node's fetch is undici, which reads its dispatcher from a global symbol; its Agent class is
 * not exported by Node, so it is taken from the default dispatcher, created by a first fetch.
 */
export async function trustForThisProcess(ca: string): Promise<() => Promise<void>> {
  await (await fetch('data:,ready')).text();
  const slot = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
  const previous = slot[DISPATCHER];
  if (!previous) throw new Error('the global fetch has no dispatcher to replace');
  const Agent = previous.constructor as DispatcherClass;
  const trusting = new Agent({ connect: { ca } });
  slot[DISPATCHER] = trusting;
  return async () => {
    slot[DISPATCHER] = previous;
    await trusting.close();
  };
}
