/**
 * What a piece of work returns and the CPU time it took, in milliseconds. Speed guards in tests
 * (a scan that must stay linear in its input) bound this rather than wall time, which grows with
 * whatever else shares the machine's cores.
 */
export function withCpuTime<T>(work: () => T): { readonly value: T; readonly cpuMs: number } {
  const started = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(started);
  return { value, cpuMs: (used.user + used.system) / 1_000 };
}
