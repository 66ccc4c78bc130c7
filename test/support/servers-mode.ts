import type { Config, RunMode } from '../../src/config/config';

/** The servers-mode settings of a config; a test that needs real servers fails loudly without them. */
export function serversMode(config: Config): Extract<RunMode, { kind: 'servers' }> {
  if (config.mode.kind !== 'servers')
    throw new Error('this test needs DATABASE_URL and REDIS_URL (or REDIS_CLUSTER_NODES)');
  return config.mode;
}
