import { ConfigError, loadConfig } from '../../src/config/config';
import { serversMode } from '../support/servers-mode';

const DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

describe('REDIS_CLUSTER_NODES', () => {
  it('is absent by default: standalone Redis at REDIS_URL', () => {
    expect(serversMode(loadConfig({ DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:6379' })).redisClusterNodes).toEqual(
      [],
    );
  });

  it('lists the start-up nodes of a Redis Cluster', () => {
    expect(
      serversMode(loadConfig({ DATABASE_URL, REDIS_CLUSTER_NODES: '127.0.0.1:7000,redis-b.internal:7001' }))
        .redisClusterNodes,
    ).toEqual([
      { host: '127.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
    ]);
  });

  it.each(['127.0.0.1', '127.0.0.1:7000,', 'redis://127.0.0.1:7000', '127.0.0.1:7000, 127.0.0.1:7001'])(
    'rejects %p naming the variable',
    (value) => {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: value })).toThrow(ConfigError);
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: value })).toThrow(/REDIS_CLUSTER_NODES/);
    },
  );
});
