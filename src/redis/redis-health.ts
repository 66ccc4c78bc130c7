import { Cluster } from 'ioredis';
import type { RedisConnection } from './redis-connection';

/** Every slot of a Redis Cluster: all must be served for any key to be. */
const CLUSTER_SLOTS = 16_384;

/**
 * Resolves when Redis can serve any key of ours; rejects when it cannot (`GET /readyz`'s probe).
 * A standalone Redis: `PING`. A Cluster: `PING` alone is not enough, since a live node answers PONG
 * while the Cluster refuses every key (`CLUSTERDOWN`, a master lost with no replica to take over),
 * or while another master's slots fail (`cluster-require-full-coverage no`): the Cluster must say
 * `cluster_state:ok` with every slot served, and every master this connection knows must answer.
 */
export async function probeRedis(redis: RedisConnection): Promise<void> {
  if (!(redis instanceof Cluster)) {
    await redis.ping();
    return;
  }
  const masters = redis.nodes('master');
  if (masters.length === 0) throw new Error('no Redis Cluster master is known');
  await Promise.all(masters.map((master) => master.ping()));
  const info = String(await redis.call('CLUSTER', 'INFO'));
  const field = (name: string) => new RegExp(`^${name}:(\\w+)`, 'm').exec(info)?.[1];
  if (field('cluster_state') !== 'ok') throw new Error(`the Redis Cluster is ${field('cluster_state') ?? 'unknown'}`);
  const slotsOk = Number(field('cluster_slots_ok'));
  if (slotsOk !== CLUSTER_SLOTS) throw new Error(`the Redis Cluster serves ${slotsOk} of ${CLUSTER_SLOTS} slots`);
}
