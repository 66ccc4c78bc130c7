// Guard overhead on a bare GraphQL Yoga server (issue 19's target): a guarded call with a new key,
// and a repeat, against the same trivial mutation unguarded, at p50 with 8 connections, Redis on
// loopback. The server runs in its own process; the variants are interleaved in rounds so that a
// change in the machine's load hits all of them. `npm run bench -w graphql-idempotency`.
// The floor row is the unguarded mutation after one awaited SET NX PX GET and no guard code: what
// any guard that claims a new key before running it must cost at least, on this machine.
'use strict';
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { Pool } = require('undici');
const { Redis } = require('ioredis');

const CONNECTIONS = 8;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQUESTS_PER_ROUND = Number(process.env.REQUESTS ?? 2_000);
// Requests sent before the measured ones: JIT, connections, the repeat keys' first calls.
const WARM_UP_REQUESTS = Number(process.env.WARMUP ?? 3_000);
// ALONE=1: each variant sent on its own in turn (round after round) instead of interleaved, with
// the server's CPU time per request: what a call costs without the others' round trips around it.
const ALONE = process.env.ALONE === '1';
const CLOCK_TICKS = 100; // USER_HZ, as /proc/<pid>/stat counts CPU time on Linux
const PREFIX = `gi-bench:${randomUUID().slice(0, 8)}`;

const QUERIES = {
  unguarded: 'mutation ($title: String!) { plain(title: $title) { id title } }',
  guarded: 'mutation ($title: String!, $key: String!) { guarded(title: $title, idempotencyKey: $key) { id title } }',
  floor: 'mutation ($title: String!, $key: String!) { floor(title: $title, idempotencyKey: $key) { id title } }',
};

function startServer() {
  const child = spawn(process.execPath, [path.join(__dirname, 'overhead-server.js')], {
    env: { ...process.env, PREFIX },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      const port = /listening (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ child, origin: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
}

/**
 * Sends `total` requests over CONNECTIONS closed loops, each loop cycling through the variants so
 * that every variant meets the same machine load; returns each variant's latencies (ms).
 */
async function measure(pool, total, variants) {
  const names = Object.keys(variants);
  const latencies = Object.fromEntries(names.map((name) => [name, []]));
  let sent = 0;
  const loop = async (connection) => {
    for (let turn = connection; sent < total; turn += 1) {
      sent += 1;
      const name = names[turn % names.length];
      const started = process.hrtime.bigint();
      const response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: variants[name](connection),
      });
      const text = await response.body.text();
      latencies[name].push(Number(process.hrtime.bigint() - started) / 1e6);
      if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`bad answer: ${text}`);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, connection) => loop(connection)));
  return latencies;
}

/** The server process's CPU time so far (user + system, µs), from /proc (Linux). */
function serverCpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

const p50 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const body = (query, variables) => JSON.stringify({ query, variables });

async function main() {
  const { child, origin } = await startServer();
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const repeatKeys = Array.from({ length: CONNECTIONS }, () => `repeat-${randomUUID()}`);
  const variants = {
    unguarded: () => body(QUERIES.unguarded, { title: 'bench' }),
    'guarded, new key': () => body(QUERIES.guarded, { title: 'bench', key: `new-${randomUUID()}` }),
    'guarded, repeat': (connection) => body(QUERIES.guarded, { title: 'bench', key: repeatKeys[connection] }),
    // No guard: the unguarded mutation after one awaited SET NX PX GET of a new key (see the server).
    'floor: one claim command, no guard': () => body(QUERIES.floor, { title: 'bench', key: `floor-${randomUUID()}` }),
  };
  let samples;
  const cpuMicros = Object.fromEntries(Object.keys(variants).map((name) => [name, 0]));
  try {
    // Warm-up (JIT, connections, the repeat keys' first calls), then the measured requests.
    await measure(pool, WARM_UP_REQUESTS, variants);
    if (ALONE) {
      // Each variant on its own in turn, round after round, with the server's CPU time it took.
      samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const name of Object.keys(variants)) {
          const before = serverCpuMicros(child.pid);
          const latencies = await measure(pool, REQUESTS_PER_ROUND, { [name]: variants[name] });
          cpuMicros[name] += serverCpuMicros(child.pid) - before;
          samples[name].push(...latencies[name]);
        }
      }
    } else {
      samples = await measure(pool, ROUNDS * REQUESTS_PER_ROUND * Object.keys(variants).length, variants);
    }
  } finally {
    await pool.close();
    child.kill();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
  const base = p50(samples.unguarded);
  const loadAverage = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const store =
    process.env.TUNED === '1'
      ? 'near cache + settle in background'
      : process.env.TRACKED === '1'
        ? 'tracked near cache'
        : 'defaults';
  const options = [
    ...(process.env.BACKGROUND === '1' && process.env.TUNED !== '1' ? ['settle in background'] : []),
    ...(process.env.REPLAY === '1' ? ['response replay'] : []),
    ...(process.env.PIPELINE === '1' ? ['ioredis auto-pipelining'] : []),
  ];
  const setup = [store, ...options].join(', ');
  const requests = ROUNDS * REQUESTS_PER_ROUND;
  console.log(
    `graphql-idempotency overhead (${setup}): bare Yoga, trivial mutation, Redis on loopback, ${CONNECTIONS} connections, ${requests} requests per variant, ${ALONE ? 'each variant alone in turn' : 'interleaved'}; load average ${loadAverage}`,
  );
  console.log(`| call | p50 (ms) | × unguarded |${ALONE ? ' server CPU (µs/request) | × unguarded |' : ''}`);
  console.log(`| --- | --- | --- |${ALONE ? ' --- | --- |' : ''}`);
  const baseCpu = cpuMicros.unguarded / requests;
  for (const [name, latencies] of Object.entries(samples)) {
    const cpu = cpuMicros[name] / requests;
    const cpuColumns = ALONE ? ` ${cpu.toFixed(0)} | ${(cpu / baseCpu).toFixed(2)} |` : '';
    console.log(`| ${name} | ${p50(latencies).toFixed(3)} | ${(p50(latencies) / base).toFixed(2)} |${cpuColumns}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
