/** Evaluation statistics: ROC AUC, Wilson intervals, a seeded bootstrap. */

/** A share with its 95 % interval. */
export interface Estimate {
  value: number;
  low: number;
  high: number;
}

/** ROC AUC (Mann–Whitney, ties counted half); NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<boolean>, indices?: ArrayLike<number>): number {
  const n = indices ? indices.length : scores.length;
  const order = Array.from({ length: n }, (_, i) => (indices ? indices[i] : i)).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSumOfPositives = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end += 1;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (labels[order[i]]) {
        positives += 1;
        rankSumOfPositives += averageRank;
      }
    }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumOfPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Wilson score interval (95 %) of `successes` out of `trials`. */
export function wilson(successes: number, trials: number): Estimate {
  if (trials === 0) return { value: Number.NaN, low: Number.NaN, high: Number.NaN };
  const z = 1.959964;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const margin = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return { value: p, low: Math.max(0, centre - margin), high: Math.min(1, centre + margin) };
}

/** Percentile interval (95 %) of a statistic over `rounds` resamples (with replacement) of n items. */
export function bootstrap(
  n: number,
  rounds: number,
  seed: number,
  statistic: (indices: Uint32Array) => number,
  pointValue: number,
): Estimate {
  const next = seededUniform(seed);
  const values: number[] = [];
  const indices = new Uint32Array(n);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(next() * n);
    const value = statistic(indices);
    if (!Number.isNaN(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))];
  return { value: pointValue, low: at(0.025), high: at(0.975) };
}

/** Uniform numbers in [0, 1) from a seed (mulberry32), so reported intervals are reproducible. */
function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
