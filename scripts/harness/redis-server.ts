import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';

/** A TCP port that was free a moment ago (listen on 0, read it, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RedisServer {
  port: number;
  /** `redis://[:password@]127.0.0.1:port`, or `rediss://…` when it speaks TLS. */
  url: string;
  process: ChildProcess;
  /** Kills the server at once (SIGKILL): a crash, not a shutdown. */
  kill: () => Promise<void>;
}

/** The files of a TLS server: its certificate and key, and the CA that signed them (PEM). */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** `requirepass`: clients must AUTH with it; `url` carries it. Default none. */
  password?: string;
  /**
   * TLS only (`tls-port`, the plain port closed; clients need no certificate of their own): `url`
   * is `rediss://`. Default plain text.
   */
  tls?: TlsFiles;
}

/** redis-server's arguments that make it listen on `port`: plain text, or TLS only. */
function listenArgs(port: number, tls: TlsFiles | undefined): string[] {
  if (!tls) return ['--port', String(port)];
  return [
    ['--port', '0'],
    ['--tls-port', String(port)],
    ['--tls-cert-file', tls.certFile],
    ['--tls-key-file', tls.keyFile],
    ['--tls-ca-cert-file', tls.caFile],
    ['--tls-auth-clients', 'no'],
  ].flat();
}

/**
 * ioredis options that reach a server of these options (a test's own admin connections): its
 * certificate checked against its CA, but not against the host name, since a test may give a
 * server a certificate for another name on purpose.
 */
export function clientAccessOf(options: RedisServerOptions): Pick<RedisOptions, 'password' | 'tls'> {
  return {
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.tls ? { tls: { ca: readFileSync(options.tls.caFile), checkServerIdentity: () => undefined } } : {}),
  };
}

/**
 * A private redis-server on a free loopback port (or on `port`, e.g. to restart a killed one in
 * its place), for tests that stop or break it.
 */
export async function startRedisServer(
  extraArgs: string[] = [],
  port?: number,
  options: RedisServerOptions = {},
): Promise<RedisServer> {
  port ??= await freePort();
  const auth = options.password === undefined ? [] : ['--requirepass', options.password];
  const child = spawn(
    'redis-server',
    [
      ...listenArgs(port, options.tls),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...auth,
      ...extraArgs,
    ],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const password = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  const url = `${options.tls ? 'rediss' : 'redis'}://${password}127.0.0.1:${port}`;
  await waitForPing(url, clientAccessOf(options));
  return {
    port,
    url,
    process: child,
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitForPing(url: string, access: RedisOptions, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const redis = new Redis(url, { ...access, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    // A refused connection rejects connect(); without a listener ioredis also prints it as unhandled.
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      redis.disconnect();
    }
  }
}

/** True when nothing listens on a loopback port any more (a connection is refused): the proof a server died. */
export async function refusesConnections(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}
