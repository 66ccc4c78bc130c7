import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

const DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('the run mode', () => {
  it('is servers when DATABASE_URL and REDIS_URL are both set', () => {
    expect(loadConfig({ DATABASE_URL, REDIS_URL }).mode).toEqual({
      kind: 'servers',
      databaseUrl: DATABASE_URL,
      listenUrl: DATABASE_URL,
      redisUrl: REDIS_URL,
      redisCluster: null,
    });
  });

  it('listens for order changes on DATABASE_LISTEN_URL when set (PostgreSQL itself, when DATABASE_URL is a pooler)', () => {
    const direct = 'postgresql://postgres@10.0.0.5:5432/postgres';
    const pooler = 'postgresql://postgres@127.0.0.1:6432/postgres';
    expect(loadConfig({ DATABASE_URL: pooler, DATABASE_LISTEN_URL: direct, REDIS_URL }).mode).toMatchObject({
      databaseUrl: pooler,
      listenUrl: direct,
    });
    expect(() => loadConfig({ DATABASE_URL, DATABASE_LISTEN_URL: 'pgbouncer://x', REDIS_URL })).toThrow(
      /DATABASE_LISTEN_URL: expected a postgresql:\/\//,
    );
  });

  it('is embedded in .data/pglite under the working directory when neither is set', () => {
    expect(loadConfig({}).mode).toEqual({ kind: 'embedded', dataDir: path.resolve('.data/pglite') });
  });

  it('treats empty variables as unset and honours EMBEDDED_DATA_DIR', () => {
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '', EMBEDDED_DATA_DIR: '/var/lib/og' }).mode).toEqual({
      kind: 'embedded',
      dataDir: '/var/lib/og',
    });
  });

  it.each([
    ['DATABASE_URL alone', { DATABASE_URL }, 'REDIS_URL (or REDIS_CLUSTER_NODES)'],
    ['REDIS_URL alone', { REDIS_URL }, 'DATABASE_URL'],
  ])('refuses %s, naming the missing variable', (_, env, missing) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      `${missing}: set DATABASE_URL and REDIS_URL together to use your servers, or neither for the embedded mode`,
    );
  });

  it('refuses the embedded mode in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-0123456789' })).toThrow(
      'DATABASE_URL, REDIS_URL: required when NODE_ENV=production',
    );
  });

  it('still validates a URL that is set', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://localhost/x', REDIS_URL })).toThrow(/DATABASE_URL/);
  });
});

describe('the run mode with a Redis Cluster', () => {
  it('is servers when DATABASE_URL and REDIS_CLUSTER_NODES are set, without REDIS_URL', () => {
    const mode = loadConfig({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
      REDIS_CLUSTER_NODES: '127.0.0.1:7000',
    }).mode;
    expect(mode).toEqual({
      kind: 'servers',
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      listenUrl: 'postgresql://postgres@127.0.0.1:5432/postgres',
      redisUrl: '',
      redisCluster: { nodes: [{ host: '127.0.0.1', port: 7000 }], tls: false },
    });
  });

  it('uses REDIS_CLUSTER_NODES and ignores REDIS_URL when both are set (as docs/configuration.md says)', () => {
    const mode = loadConfig({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_CLUSTER_NODES: '127.0.0.1:7000',
    }).mode;
    expect(mode).toMatchObject({ kind: 'servers', redisCluster: { nodes: [{ host: '127.0.0.1', port: 7000 }] } });
  });
});
