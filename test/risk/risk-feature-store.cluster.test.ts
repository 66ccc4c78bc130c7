import { Cluster } from 'ioredis';
import { RedisRiskFeatureStore, recordOrderAttempt } from '../../src/risk/risk-feature-store';
import { customerSubject, sourceSubject } from '../../src/risk/risk-counters';
import { startRedisCluster } from '../support/redis-cluster';
import type { RedisCluster } from '../support/redis-cluster';

const NOW = Date.UTC(2026, 10, 1, 12);

describe('risk feature store on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster(
      cluster.nodeList.split(',').map((node) => ({ host: node.split(':')[0], port: Number(node.split(':')[1]) })),
    );
  }, 60_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('runs its two-key script on every subject (keys of one subject share a slot) and counts concurrent attempts exactly', async () => {
    const store = new RedisRiskFeatureStore(client, 'og:risk');
    const customers = Array.from({ length: 40 }, (_, i) => customerSubject(`customer-${i}`));
    const source = sourceSubject('MARKETPLACE', 'quickcart');
    const slots = new Set(
      await Promise.all(customers.map((subject) => client.call('CLUSTER', 'KEYSLOT', store.keysFor(subject).arrivals))),
    );
    expect(slots.size).toBeGreaterThan(10); // the subjects really are spread over the cluster

    await Promise.all(
      customers.flatMap((customer, c) =>
        Array.from({ length: 10 }, (_, i) => recordOrderAttempt(store, { customer, source }, `${c}-${i}`, NOW)),
      ),
    );
    const counts = await Promise.all(customers.map((customer) => store.record(customer, {}, NOW)));
    expect(counts.map((count) => [count.arrivals.last1m, count.recent.orders])).toEqual(customers.map(() => [10, 10]));
    const sourceCounts = await store.record(source, {}, NOW);
    expect([sourceCounts.arrivals.last60m, sourceCounts.history.requests]).toEqual([400, 400]);
  });
});
