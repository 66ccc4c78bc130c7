import { runBuiltCli, STACK_TRACE } from '../support/cli';
import { TEST_REDIS_URL } from '../support/redis';

/**
 * `npm run risk:bench` as docs/risk.md runs it (found from outside: `--redis` at a Redis that does
 * not answer printed ioredis's "Unhandled error event" with its stack, 21 times over 10 s;
 * `--samples abc` said "Cannot read properties of undefined (reading 'toFixed')"; a missing
 * `--model` gave Node's ENOENT text).
 */
const bench = (...args: string[]) => runBuiltCli('scripts/risk-bench.js', args);

describe('npm run risk:bench refuses what it cannot use, in one line, exit 2, before measuring', () => {
  it.each([
    [['--samples', 'abc'], '--samples: not a whole number of at least 1 (digits only, no unit or separator): abc'],
    [['--samples', '0'], '--samples: not a whole number of at least 1 (digits only, no unit or separator): 0'],
    [['--model', 'nosuch.json'], '--model nosuch.json: cannot read the model: no such file'],
    [
      ['--redis', '127.0.0.1:6379'],
      '--redis: not a redis:// or rediss:// URL (redis://127.0.0.1:6379): 127.0.0.1:6379',
    ],
    [
      ['--redis', 'redis://:secret@127.0.0.1:9', '--samples', '10'],
      '--redis redis://:***@127.0.0.1:9: Redis cannot be used (connect ECONNREFUSED 127.0.0.1:9)',
    ],
  ])('%j', async (args, refusal) => {
    const run = await bench(...args);
    expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `${refusal}\n`,
    });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it('measures with a Redis that answers (a few samples)', async () => {
    const run = await bench('--samples', '50', '--redis', TEST_REDIS_URL);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toMatch(/^feature store round trip \(customer \+ source, local Redis\), 5000 sequential: p50 /m);
  }, 120_000);
});
