/** The baseline: POSTs `bodies` to `url` with `concurrency` requests in flight, nothing else. Returns deliveries/s. */
export async function bareLoop(url: string, bodies: string[], concurrency: number): Promise<{ perSecond: number; ms: number; failures: number }> {
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++];
      try {
        const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(10_000) });
        await res.text();
        if (res.status !== 200) failures++;
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  return { perSecond: (bodies.length / ms) * 1000, ms, failures };
}
