import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { connectRedis, dropPrefix, uniquePrefix } from './support';

// Runs the examples of docs/graphql-idempotency.md (its ```js example blocks, in order, as one
// script): the page shows only code that works. `require` is this test's, so the package is its source.
const DOC = path.resolve(__dirname, '../../../docs/graphql-idempotency.md');

function examplesOf(markdown: string): string[] {
  return [...markdown.matchAll(/```js example\n([\s\S]*?)```/g)].map((match) => match[1]);
}

describe('docs/graphql-idempotency.md', () => {
  let cleanup: Redis;
  const prefix = uniquePrefix('docs');
  beforeAll(async () => {
    cleanup = await connectRedis();
  });
  afterAll(() => dropPrefix(cleanup, prefix));

  it('has examples, and every one of them runs and holds, on a second run against the same Redis too', async () => {
    const examples = examplesOf(readFileSync(DOC, 'utf8'));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    // The page's key prefix becomes this run's own, so nothing of another run is touched.
    const script = examples.join('\n').replaceAll('myapp:idem', prefix);
    const AsyncFunction = (Object.getPrototypeOf(async () => undefined) as { constructor: unknown })
      .constructor as new (...args: string[]) => (...values: unknown[]) => Promise<{ redis: Redis }>;
    const run = new AsyncFunction('require', 'assert', `${script}\nreturn { redis };`);
    // Found by a reader: section 4 printed the guard's console warning, which the page never showed.
    const warn = jest.spyOn(console, 'warn');
    try {
      // Twice, as a reader who runs them again: what the first run left in Redis must not change the second.
      for (const _time of [1, 2]) {
        const { redis } = await run(require, assert);
        redis.disconnect();
      }
      expect(warn.mock.calls).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});
