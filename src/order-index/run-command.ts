import { loadConfig } from '../config/config';
import { createPrismaClient } from '../db/prisma';
import type { PrismaClient } from '../db/prisma';

/** Connections an offline command uses: it works in sequence, one transaction at a time. */
const COMMAND_POOL_SIZE = 2;

/**
 * Runs an offline command against DATABASE_URL and exits with its code: 2 (message only, no stack)
 * when it throws, e.g. on a usage or connection error.
 */
export function runCommand(command: (prisma: PrismaClient) => Promise<number>): void {
  const run = async () => {
    const prisma = createPrismaClient({ databaseUrl: loadConfig().databaseUrl, poolSize: COMMAND_POOL_SIZE });
    try {
      return await command(prisma);
    } finally {
      await prisma.$disconnect();
    }
  };
  run().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
