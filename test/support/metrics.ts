import type { Counter } from 'prom-client';

/** A counter's values by one of its labels (series at 0 left out), read from the server's registry. */
export async function countsBy<L extends string>(counter: Counter<L>, label: L): Promise<Record<string, number>> {
  const { values } = await counter.get();
  const counts: Record<string, number> = {};
  for (const { labels, value } of values) {
    if (value === 0) continue;
    const name = String(labels[label]);
    counts[name] = (counts[name] ?? 0) + value;
  }
  return counts;
}
