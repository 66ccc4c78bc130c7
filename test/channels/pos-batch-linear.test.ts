import { placeReceipts } from '../../src/channels/pos-batch';
import type { ChannelGate } from '../../src/channels/channel-gate';
import type { ChannelRequest } from '../../src/channels/channel-request-context';
import type { LineProblem, PosFile } from '../../src/channels/pos-file';

/** `items` with every read of an element counted in `reads.count`. */
function counted<T>(items: T[], reads: { count: number }): T[] {
  return new Proxy(items, {
    get(target, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) reads.count += 1;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

describe('a POS file whose every line is bad', () => {
  // Each receipt left out for bad lines once looked its lines up in every problem of the file:
  // 100 000 bad lines held the server's one thread 22 s (found from outside). Counted here, not
  // timed: the report reads each problem a bounded number of times, whatever the file's size.
  it.each([1_000, 10_000])('is reported reading each of %i problems a bounded number of times', async (size) => {
    const problems: LineProblem[] = Array.from({ length: size }, (_, i) => ({
      line: i + 2,
      store: 'spoiled',
      receipt: `R-${Math.floor(i / 3)}`,
      reason: 'quantity "2.0" is not a whole number',
    }));
    const spoiled = Array.from({ length: Math.ceil(size / 3) }, (_, r) => ({
      store: 'spoiled',
      receipt: `R-${r}`,
      lines: problems.slice(r * 3, r * 3 + 3).map((problem) => problem.line),
    }));
    const reads = { count: 0 };
    const file: PosFile = { lines: size, receipts: [], problems: counted(problems, reads), spoiled };
    // No receipt is placed: the gate is never asked.
    const report = await placeReceipts({} as ChannelGate, file, {} as ChannelRequest, { concurrency: 1 });

    expect([report.receipts, report.rejected, report.problems.length]).toEqual([spoiled.length, spoiled.length, size]);
    expect(report.notPlaced[1]).toMatchObject({ receipt: 'R-1', reason: 'bad lines: 5, 6, 7' });
    expect(reads.count).toBeLessThanOrEqual(3 * size);
  });
});
