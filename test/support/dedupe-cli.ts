import { runBuiltCli } from './cli';
import type { CliRun } from './cli';
import type { TestServerFixture } from './test-server-fixture';

export { lastJson } from './cli';

/** Runs the built `npm run dedupe` command against a fixture's database and Redis prefix. */
export function runDedupe(fixture: TestServerFixture, ...args: string[]): Promise<CliRun> {
  return runBuiltCli('src/order-index/dedupe-cli.js', args, {
    databaseUrl: fixture.db.url,
    redisKeyPrefix: fixture.server.config.redisKeyPrefix,
  });
}
