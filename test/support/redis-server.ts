// Moved to scripts/harness (the soak uses it too; scripts/ must not import test/).
export * from '../../scripts/harness/redis-server';
