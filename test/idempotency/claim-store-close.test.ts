import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config/config';
import { openClaimStore } from '../../src/idempotency/open-claim-store';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '../support/redis';

/**
 * Found from outside: `npm run dedupe -- merge --report …` (a dry run that went well) now and then
 * ended with a warning and its stack, "redis client tracking: connection error … Stream isn't
 * writeable and enableOfflineQueue options is false": the tool opened the claim store and closed it
 * while its connections were still connecting, and each connection's ready check failed on the
 * closed stream. An error of the store's own closing is not logged.
 */
const prefix = uniqueRedisPrefix('claim-store-close');

afterAll(async () => {
  await deleteRedisPrefix(prefix);
});

describe('closing the claim store (servers mode, with client tracking)', () => {
  it('logs nothing of the connections it closes, even while they are still connecting', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:9/none',
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      REDIS_CLIENT_TRACKING: 'true',
    });
    const lines: string[] = [];
    const logger = pino(
      { level: 'debug' },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );

    // Closed at once, and closed a moment after opening: the two ways a short-lived tool ends.
    for (const delayMs of [0, 0, 0, 0, 1, 1, 2, 2, 5, 5]) {
      const store = openClaimStore(config, logger);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await store.close();
    }
    // A connection's ready check fails a moment after the close.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 40)).toEqual([]);

    // And the store still works when it is used before it is closed.
    const used = openClaimStore(config, logger);
    expect(await used.ready(5_000)).toBe('ready');
    await used.close();
    expect(lines).toEqual([]);
  });
});
