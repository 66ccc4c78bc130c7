import { commandFailureMessage } from '../cli/command-failure';
import { loadConfig } from '../config/config';
import type { Config } from '../config/config';
import { openDatabase } from '../db/database';
import { DataDirInUseError } from '../db/data-dir-lock';
import type { PrismaClient } from '../db/prisma';
import { createLogger } from '../observability/logger';
import type { Logger } from '../observability/logger';

/** What an offline command may use besides the database. */
export interface CommandEnvironment {
  config: Config;
  logger: Logger;
}

/**
 * Runs an offline command against the server's database (DATABASE_URL and REDIS_URL as for the
 * server, or neither for the embedded database; migrations are not applied here) and exits with
 * its code: 2, with the message only, when it throws (a usage or connection error). `name` is how
 * an operator runs it (`npm run dedupe`), said when the embedded database is held by a server.
 */
export function runCommand(
  name: string,
  command: (prisma: PrismaClient, environment: CommandEnvironment) => Promise<number>,
): void {
  const run = async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    // Offline commands work in sequence: two connections are plenty.
    const database = await openDatabase({ ...config, databasePoolSize: 2 }, logger, { migrations: 'ignore' });
    try {
      return await command(database.prisma, { config, logger });
    } finally {
      await database.close();
    }
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(
        error instanceof DataDirInUseError
          ? error.toolMessage(name, 'set DATABASE_URL and REDIS_URL (the servers mode)')
          : commandFailureMessage(error),
      );
      process.exit(2);
    },
  );
}
