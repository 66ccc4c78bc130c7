#!/usr/bin/env node
// What `npm test` needs on the machine besides Node, PostgreSQL and Redis running (docs/testing.md,
// "What the tests need"), checked before anything is built: a missing program then fails in one
// line that names it, rather than as a suite's spawn error ten minutes in.
'use strict';
const { accessSync, constants } = require('node:fs');
const path = require('node:path');

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

const missing = [
  ...ON_PATH.filter(([program]) => !onPath(program)).map(([program, why]) => `${program} (${why})`),
  ...POSTGRES_PROGRAMS.filter((program) => !executable(path.join(POSTGRES_BIN, program))).map(
    (program) =>
      `${path.join(POSTGRES_BIN, program)} (a private PostgreSQL for the database fault suites; set TEST_POSTGRES_BIN to the folder of PostgreSQL 15's server programs)`,
  ),
];
if (missing.length > 0) {
  console.error(
    [
      'npm test needs programs this machine does not have:',
      ...missing.map((line) => `  - ${line}`),
      'On Debian or Ubuntu: apt-get install -y redis-server haproxy postgresql-15 curl openssl (docs/testing.md).',
    ].join('\n'),
  );
  process.exit(1);
}
