import { readFile } from 'node:fs/promises';

/** Resident memory of a process, in MiB, from /proc (Linux); null where it cannot be read. */
export async function residentMemoryMb(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Math.round((Number(kb) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/** Samples a process's resident memory every `everyMs` until stopped; stop() gives the peak (MiB). */
export function watchResidentMemory(pid: number, everyMs = 100): { stop(): Promise<number | null> } {
  let peak: number | null = null;
  const sample = async () => {
    const now = await residentMemoryMb(pid);
    if (now !== null) peak = Math.max(peak ?? 0, now);
  };
  void sample();
  const timer = setInterval(() => void sample(), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await sample();
      return peak;
    },
  };
}

/** The server's order_gate_claim_store_fallbacks_total, all operations summed, from its /metrics. */
export async function claimStoreFallbacks(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('order_gate_claim_store_fallbacks_total'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
