import { ConfigError, loadConfig } from '../../src/config/config';
import { serversMode } from '../support/servers-mode';

const DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
const clusterOf = (nodes: string) => serversMode(loadConfig({ DATABASE_URL, REDIS_CLUSTER_NODES: nodes })).redisCluster;

describe('REDIS_CLUSTER_NODES', () => {
  it('is absent by default: standalone Redis at REDIS_URL', () => {
    expect(serversMode(loadConfig({ DATABASE_URL, REDIS_URL: 'redis://127.0.0.1:6379' })).redisCluster).toBeNull();
  });

  it('lists the start-up nodes of a Redis Cluster as host:port, without TLS or credentials', () => {
    expect(clusterOf('127.0.0.1:7000,redis-b.internal:7001')).toEqual({
      nodes: [
        { host: '127.0.0.1', port: 7000 },
        { host: 'redis-b.internal', port: 7001 },
      ],
      tls: false,
    });
  });

  it('takes each node as a URL with the password (and user) a managed Cluster wants, and rediss:// for TLS', () => {
    expect(clusterOf('rediss://:p%40ss@a.cache.example:6380,rediss://:p%40ss@b.cache.example:6380')).toEqual({
      nodes: [
        { host: 'a.cache.example', port: 6380 },
        { host: 'b.cache.example', port: 6380 },
      ],
      tls: true,
      password: 'p@ss',
    });
    expect(clusterOf('redis://app:secret@10.0.0.1:7000,redis://app:secret@[::1]:7001')).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      tls: false,
      username: 'app',
      password: 'secret',
    });
    expect(clusterOf('redis://10.0.0.1')).toEqual({ nodes: [{ host: '10.0.0.1', port: 6379 }], tls: false });
  });

  /** The one problem loadConfig names, which must never show a password. */
  const refusalOf = (nodes: string): string => {
    try {
      loadConfig({ DATABASE_URL, REDIS_CLUSTER_NODES: nodes });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).not.toMatch(/s3cret|other-secret/);
      return message;
    }
    throw new Error(`REDIS_CLUSTER_NODES=${nodes} was accepted`);
  };

  const notANode = (entry: string) =>
    'expected host:port or redis://[[USER]:PASSWORD@]HOST:PORT (rediss:// for TLS), comma-separated, every node ' +
    `alike; not a node: "${entry}"`;
  it.each([
    ['127.0.0.1', notANode('127.0.0.1')],
    ['127.0.0.1:7000,', notANode('')],
    ['127.0.0.1:7000, 127.0.0.1:7001', notANode(' 127.0.0.1:7001')],
    ['127.0.0.1:70000', notANode('127.0.0.1:70000')],
    ['http://127.0.0.1:7000', notANode('http://127.0.0.1:7000')],
    ['redis://:s3cret@', notANode('redis://:***@')],
    [
      'rediss://:s3cret@127.0.0.1:7000/2',
      'a Cluster has database 0 only: nothing may follow the port ("rediss://:***@127.0.0.1:7000/2")',
    ],
    [
      'redis://:s3cret@127.0.0.1:7000?tls=true',
      'options after the port are not read: "redis://:***@127.0.0.1:7000?tls=true"',
    ],
  ])('refuses %p in one line naming the variable, its password hidden', (nodes, problem) => {
    expect(refusalOf(nodes)).toBe(`Invalid environment:\n  REDIS_CLUSTER_NODES: ${problem}`);
  });

  it.each([
    ['a scheme', 'redis://:s3cret@a:7000,rediss://:s3cret@b:7000', '"redis://:***@a:7000" and "rediss://:***@b:7000"'],
    [
      'a password',
      'redis://:s3cret@a:7000,redis://:other-secret@b:7000',
      '"redis://:***@a:7000" and "redis://:***@b:7000"',
    ],
    [
      'a user',
      'redis://app:s3cret@a:7000,redis://:s3cret@b:7000',
      '"redis://app:***@a:7000" and "redis://:***@b:7000"',
    ],
    ['credentials given to one node only', 'redis://:s3cret@a:7000,b:7000', '"redis://:***@a:7000" and "b:7000"'],
  ])('refuses nodes that differ in %s, naming the first two that differ', (_, nodes, pair) => {
    expect(refusalOf(nodes)).toBe(
      `Invalid environment:\n  REDIS_CLUSTER_NODES: every node must use the same scheme and credentials: ${pair} differ`,
    );
  });
});
