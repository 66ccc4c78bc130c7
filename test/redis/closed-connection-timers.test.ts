import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../support/server';

/**
 * Closing a connection whose Redis never answered (refused, lost) leaves nothing behind: ioredis
 * ends the socket and arms a 2 s timer that only the socket's 'close' clears, and a refused socket
 * closed long before. A server stopped with its Redis down (a test's in-process server) then held
 * its process, and jest's worker, for 2 s: "a worker process has failed to exit gracefully".
 * Read in a process of its own (the built connection factory), where nothing else keeps timers.
 */
describe('a connection to a Redis that never answered', () => {
  it('closes without leaving a timer', async () => {
    const factory = path.join(PROJECT_ROOT, 'dist/src/redis/redis-connection.js');
    // Nothing listens on port 1: each attempt is refused at once.
    const script = `
      const { createRedisConnection } = require(${JSON.stringify(factory)});
      const logger = require('pino')({ level: 'silent' });
      const redis = createRedisConnection({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 50 }, logger);
      redis.on('error', () => undefined);
      // Closed and waiting to try again, as a server whose Redis is down is most of the time.
      redis.once('reconnecting', () => {
        redis.disconnect();
        setImmediate(() => console.log(JSON.stringify(process.getActiveResourcesInfo())));
      });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: PROJECT_ROOT });
    expect(JSON.parse(stdout.trim())).not.toContain('Timeout');
  });
});
