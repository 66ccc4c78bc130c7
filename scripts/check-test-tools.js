#!/usr/bin/env node
// What `npm test` needs on the machine besides Node (docs/testing.md, "What the tests need"):
// PostgreSQL and Redis answering, and the programs the suites start, checked before anything is
// built: a missing one then fails in one line that names it, rather than as a suite's connection
// or spawn error ten minutes in.
'use strict';
const { accessSync, constants } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** The servers every integration suite uses, as test/support/database.ts and redis.ts read them. */
const SERVERS = [
  ['PostgreSQL', 'TEST_DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/postgres', 5432],
  ['Redis', 'TEST_REDIS_URL', 'redis://127.0.0.1:6379', 6379],
];

const POSTGRES_BIN = process.env.TEST_POSTGRES_BIN || '/usr/lib/postgresql/15/bin';

/** [program, what needs it]: found on the PATH. */
const ON_PATH = [
  ['redis-server', 'suites that break Redis start their own (with TLS too), and a Redis Cluster'],
  ['redis-cli', 'the Redis Cluster suites create their cluster with it'],
  ['haproxy', 'the PostgreSQL failover suite puts it in front of a primary and its standby'],
  ['bash', 'the doc examples run as a reader would'],
  ['curl', 'the doc examples'],
  ['openssl', 'the doc examples, and the TLS suites make their certificates with it'],
];
/** PostgreSQL's server programs: in TEST_POSTGRES_BIN (default Debian's layout). */
const POSTGRES_PROGRAMS = ['initdb', 'pg_ctl', 'pg_basebackup'];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(program) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir && executable(path.join(dir, program)));
}

/** Whether something accepts a TCP connection at host:port within 2 s. */
function answers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * A server of SERVERS that does not answer, said with the variable that points at it; null when it
 * does, or when there is no TCP address to try (a Unix socket, a value that is no URL): the suites
 * then say what is wrong themselves.
 */
async function silentServer([name, variable, fallback, defaultPort]) {
  let url;
  try {
    url = new URL(process.env[variable] || fallback);
  } catch {
    return null;
  }
  const host = decodeURIComponent(url.hostname).replace(/^\[|\]$/g, '');
  if (!host || host.startsWith('/') || url.searchParams.has('host')) return null;
  const port = Number(url.port || defaultPort);
  if (await answers(host, port)) return null;
  return `${name} at ${url.hostname}:${port} (${variable}, default ${fallback}): nothing answers there`;
}

async function main() {
  const missing = [
    ...(await Promise.all(SERVERS.map(silentServer))).filter((line) => line !== null),
    ...ON_PATH.filter(([program]) => !onPath(program)).map(([program, why]) => `${program} (${why})`),
    ...POSTGRES_PROGRAMS.filter((program) => !executable(path.join(POSTGRES_BIN, program))).map(
      (program) =>
        `${path.join(POSTGRES_BIN, program)} (a private PostgreSQL for the database fault suites; set TEST_POSTGRES_BIN to the folder of PostgreSQL 15's server programs)`,
    ),
  ];
  if (missing.length > 0) {
    console.error(
      [
        'npm test needs what this machine does not have:',
        ...missing.map((line) => `  - ${line}`),
        'On Debian or Ubuntu: apt-get install -y redis-server haproxy postgresql-15 curl openssl, and start PostgreSQL and Redis (docs/testing.md).',
      ].join('\n'),
    );
    process.exit(1);
  }
}

void main();
