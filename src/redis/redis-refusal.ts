import net from 'node:net';
import type { RedisClusterNode } from '../config/config';
import { urlWithoutPassword } from '../config/url-without-password';

/**
 * A Redis that answered and refused this server's settings: a wrong password, none where one is
 * needed, a database it does not have. A configuration mistake for the operator to fix, unlike
 * an outage (a refused TCP connection, a timeout, a closed socket), which the server waits out on
 * the database path.
 */
export interface RedisRefusal {
  /** The variable and its value, password hidden: `REDIS_URL redis://:***@host:6379/2`, `REDIS_CLUSTER_NODES host:7000,…`. */
  setting: string;
  /** What Redis answered, and what to check. */
  reason: string;
}

/** Where the settings of a Redis connection come from. */
export interface RedisTarget {
  /** REDIS_URL; not used when `clusterNodes` is not empty. */
  url: string;
  /** REDIS_CLUSTER_NODES; empty or absent for a standalone Redis. */
  clusterNodes?: readonly RedisClusterNode[];
}

/** `REDIS_URL <url without its password>`, or `REDIS_CLUSTER_NODES <nodes>` when a Cluster serves. */
export function redisSettingOf(target: RedisTarget): string {
  return target.clusterNodes?.length
    ? `REDIS_CLUSTER_NODES ${target.clusterNodes.map((node) => `${node.host}:${node.port}`).join(',')}`
    : `REDIS_URL ${urlWithoutPassword(target.url)}`;
}

/** One line for the operator: the setting, then why Redis refused it. */
export function refusalMessage(refusal: RedisRefusal): string {
  return `${refusal.setting}: ${refusal.reason}`;
}

/** A failed SELECT: ioredis goes on in database 0, which is not the database configured. */
const DATABASE_REFUSED = /^ERR (DB index is out of range|invalid DB index)/;

/** Answers that mean "not with these settings", each with what the operator should check. */
const REFUSALS: readonly { answer: RegExp; hint: (cluster: boolean) => string }[] = [
  { answer: /^(WRONGPASS|ERR invalid password)/, hint: () => 'is the password (and the user) right?' },
  {
    answer: /^NOAUTH/,
    hint: (cluster) =>
      cluster
        ? 'it requires a password, and REDIS_CLUSTER_NODES cannot give one: the nodes must accept this server without AUTH'
        : 'it requires a password: redis://:PASSWORD@host:port (or redis://USER:PASSWORD@host:port)',
  },
  {
    answer: DATABASE_REFUSED,
    hint: () => "the number after the port names a database it does not have (0–15 unless its 'databases' says more)",
  },
  { answer: /^NOPERM/, hint: () => 'its ACL user lacks a command this server needs' },
  { answer: /^DENIED/, hint: () => 'it runs in protected mode: give it a password, or bind it to this network' },
  {
    answer: /^ERR SELECT is not allowed in cluster mode/,
    hint: () => 'it is a Cluster node: list the nodes in REDIS_CLUSTER_NODES instead',
  },
];

/** Why Redis refused the settings, or null when `error` is not such a refusal (an outage, say). */
export function refusalReason(error: unknown, cluster: boolean): string | null {
  // A Cluster's failed slot refresh (ClusterAllFailedError) carries the last node's answer.
  const answer = messageOf((error as { lastNodeError?: unknown } | null)?.lastNodeError ?? error);
  const refusal = REFUSALS.find(({ answer: pattern }) => pattern.test(answer));
  return refusal ? `Redis answered "${answer}": ${refusal.hint(cluster)}` : null;
}

/** True for a SELECT that failed: the connection must not be used (it would be on database 0). */
export function isDatabaseRefusal(error: unknown): boolean {
  return DATABASE_REFUSED.test(messageOf(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a `rediss://` connection that never became ready failed, as far as a plain-text PING can tell. */
export const PLAIN_TEXT_REASON =
  'rediss:// asks for TLS, and the server there speaks plain text (it answered PING without TLS): use redis://, or turn TLS on in Redis';

/**
 * True if a Redis speaking plain text listens at host:port: it answers an unencrypted PING with a
 * RESP reply (`+PONG`, or an error such as `-NOAUTH`). A TLS server answers with a binary alert or
 * closes the connection; nothing listening, or no answer within `timeoutMs`, is false too.
 */
export function answersPlainText(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (answered: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answered);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => finish(chunk[0] === 0x2b || chunk[0] === 0x2d));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}
