import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { PostgresNode } from './postgres-pair';
import { freePort } from './redis-server';
import { projectRoot } from './server-process';
import { waitUntil } from './wait';

/** Milliseconds between HAProxy's health checks of each node. */
const CHECK_INTERVAL_MS = 200;

export interface ServerState {
  /** `UP`, `DOWN`, `UP 1/2` (going down), … */
  status: string;
  /** Sessions relayed to the node since HAProxy started (`stot`). */
  sessionsTotal: number;
  /** Times the balancer chose the node for a new connection (`lbtot`). */
  chosen: number;
  /** Sessions open now (`scur`). */
  sessionsNow: number;
}

export interface PrimaryProxy {
  /** The loopback port HAProxy listens on for PostgreSQL clients. */
  port: number;
  /** `postgresql://postgres@127.0.0.1:<proxy port>/<database>`: what DATABASE_URL points at. */
  url(database: string): string;
  /** HAProxy's view of one node (`show stat`). */
  serverState(name: string): Promise<ServerState>;
  /** Waits until HAProxy routes to `name` and to no other node. */
  waitForPrimary(name: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * HAProxy (Debian's `haproxy`) in TCP mode in front of the nodes, sending every connection to the
 * one node that takes writes. Each node gets a tiny health agent answering `GET /primary` with 200
 * when `pg_is_in_recovery()` is false and 503 otherwise (or when it cannot be reached), the same
 * contract as Patroni's REST API, which is what HAProxy checks in the deployments docs/scaling.md
 * describes (each agent in its own process: primary-agent.ts). A node marked down has its sessions shut (`on-marked-down shutdown-sessions`).
 */
export async function startPrimaryProxy(nodes: readonly PostgresNode[]): Promise<PrimaryProxy> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'og-haproxy-'));
  const agents = await Promise.all(nodes.map((node) => startPrimaryAgent(node)));
  const port = await freePort();
  const socket = path.join(directory, 'admin.sock');
  const config = [
    'global',
    `  stats socket ${socket} mode 600 level admin`,
    '  maxconn 4000',
    'defaults',
    '  mode tcp',
    '  timeout connect 1s',
    '  timeout client 10m',
    '  timeout server 10m',
    '  timeout check 1s',
    'listen postgres',
    `  bind 127.0.0.1:${port}`,
    '  option httpchk GET /primary',
    '  http-check expect status 200',
    `  default-server inter ${CHECK_INTERVAL_MS} fastinter ${CHECK_INTERVAL_MS} downinter ${CHECK_INTERVAL_MS} rise 1 fall 2 on-marked-down shutdown-sessions`,
    ...nodes.map((node, index) => `  server ${node.name} 127.0.0.1:${node.port} check port ${agents[index].port}`),
    '',
  ].join('\n');
  const configFile = path.join(directory, 'haproxy.cfg');
  await writeFile(configFile, config);
  const child: ChildProcess = spawn('haproxy', ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const serverState: PrimaryProxy['serverState'] = async (name) => {
    const csv = await adminCommand(socket, 'show stat');
    const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
    const columns = header.split(',');
    const row = rows.map((line) => line.split(',')).find((fields) => fields[0] === 'postgres' && fields[1] === name);
    if (!row) throw new Error(`haproxy knows no server ${name}`);
    const field = (column: string) => row[columns.indexOf(column)];
    return {
      status: field('status'),
      sessionsTotal: Number(field('stot')),
      chosen: Number(field('lbtot')),
      sessionsNow: Number(field('scur')),
    };
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    await Promise.all(agents.map((agent) => agent.close()));
    await rm(directory, { recursive: true, force: true });
  };
  const proxy: PrimaryProxy = {
    port,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    serverState,
    async waitForPrimary(name, timeoutMs = 15_000) {
      await waitUntil(
        `haproxy to route to ${name} only`,
        async () => {
          const states = await Promise.all(nodes.map((node) => serverState(node.name)));
          return states.every((state, index) => (nodes[index].name === name) === state.status.startsWith('UP'));
        },
        timeoutMs,
      );
    },
    stop,
  };
  try {
    await proxy.waitForPrimary(nodes[0].name);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; haproxy said: ${stderr}`, { cause: error });
  }
  return proxy;
}

/** One command on HAProxy's admin socket; resolves with its whole answer. */
function adminCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const connection = net.connect(socket, () => connection.end(`${command}\n`));
    connection.on('data', (chunk) => (answer += chunk.toString()));
    connection.on('end', () => resolve(answer));
    connection.on('error', reject);
  });
}

interface PrimaryAgent {
  port: number;
  close(): Promise<void>;
}

/** Starts `node`'s health agent (primary-agent.ts, built to dist/ by `npm run build`) in its own process. */
async function startPrimaryAgent(node: PostgresNode): Promise<PrimaryAgent> {
  const script = path.join(projectRoot(), 'dist', 'scripts', 'harness', 'primary-agent.js');
  const child = spawn(process.execPath, [script, node.url()], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { port: number }).port));
    void exited.then(() => reject(new Error(`primary agent of ${node.name} exited: ${stderr}`)));
  });
  return {
    port,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
