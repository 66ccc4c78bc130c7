import type { RedisClusterSetting } from '../config/redis-cluster-nodes';
import { clusterNodesShown } from '../config/redis-cluster-nodes';
import { urlWithoutPassword } from '../config/url-without-password';

/**
 * What kind of refusal, as the `reason` label of `order_gate_redis_refusals_total`: a few values,
 * each a different thing for the operator to fix.
 */
export type RefusalKind =
  | 'wrong-password'
  | 'password-required'
  | 'unknown-database'
  | 'missing-permission'
  | 'protected-mode'
  | 'cluster-node'
  | 'not-a-cluster'
  | 'tls-expected'
  | 'tls-required'
  | 'certificate-untrusted'
  | 'certificate-name'
  | 'certificate-expired';

/** Why a Redis refused this server's settings. */
export interface RefusalCause {
  kind: RefusalKind;
  /** What Redis (or the TLS handshake) answered, and what to check. Never a password. */
  reason: string;
}

/**
 * A Redis that answered and refused this server's settings: a wrong password, none where one is
 * needed, a database it does not have, TLS on one side only, a certificate Node does not trust. A
 * configuration mistake for the operator to fix, unlike an outage (a refused TCP connection, a
 * timeout, a closed socket), which the server waits out on the database path.
 */
export interface RedisRefusal extends RefusalCause {
  /** The variable and its value, passwords hidden: `REDIS_URL redis://:***@host:6379/2`, `REDIS_CLUSTER_NODES host:7000,…`. */
  setting: string;
}

/** Where the settings of a Redis connection come from. */
export interface RedisTarget {
  /** REDIS_URL; not used when `cluster` is set. */
  url: string;
  /** REDIS_CLUSTER_NODES; null or absent for a standalone Redis. */
  cluster?: RedisClusterSetting | null;
}

/** `REDIS_URL <url without its password>`, or `REDIS_CLUSTER_NODES <nodes>` when a Cluster serves. */
export function redisSettingOf(target: RedisTarget): string {
  return target.cluster
    ? `REDIS_CLUSTER_NODES ${clusterNodesShown(target.cluster)}`
    : `REDIS_URL ${urlWithoutPassword(target.url)}`;
}

/** One line for the operator: the setting, then why Redis refused it. */
export function refusalMessage(refusal: RedisRefusal): string {
  return `${refusal.setting}: ${refusal.reason}`;
}

/** A failed SELECT: ioredis goes on in database 0, which is not the database configured. */
const DATABASE_REFUSED = /^ERR (DB index is out of range|invalid DB index)/;

/** Answers that mean "not with these settings", each with what the operator should check. */
const REDIS_ANSWERS: readonly { answer: RegExp; kind: RefusalKind; hint: (cluster: boolean) => string }[] = [
  {
    answer: /^(WRONGPASS|ERR invalid password)/,
    kind: 'wrong-password',
    hint: () => 'is the password (and the user) right?',
  },
  {
    answer: /^NOAUTH/,
    kind: 'password-required',
    hint: (cluster) =>
      cluster
        ? 'it requires a password: write every node as redis://:PASSWORD@host:port (or redis://USER:PASSWORD@host:port; rediss:// for TLS)'
        : 'it requires a password: redis://:PASSWORD@host:port (or redis://USER:PASSWORD@host:port)',
  },
  {
    answer: DATABASE_REFUSED,
    kind: 'unknown-database',
    hint: () => "the number after the port names a database it does not have (0–15 unless its 'databases' says more)",
  },
  { answer: /^NOPERM/, kind: 'missing-permission', hint: () => 'its ACL user lacks a command this server needs' },
  {
    answer: /^DENIED/,
    kind: 'protected-mode',
    hint: () => 'it runs in protected mode: give it a password, or bind it to this network',
  },
  {
    answer: /^ERR SELECT is not allowed in cluster mode/,
    kind: 'cluster-node',
    hint: () => CLUSTER_NODE_HINT,
  },
  {
    // CLUSTER SLOTS, a Cluster client's first question, asked of a standalone Redis.
    answer: /^ERR This instance has cluster support disabled/,
    kind: 'not-a-cluster',
    hint: () => 'it is a standalone Redis, not a Cluster node: set REDIS_URL to it instead',
  },
];

const CLUSTER_NODE_HINT = 'it is a Cluster node: list the nodes in REDIS_CLUSTER_NODES instead';

/**
 * A REDIS_URL Redis whose `INFO cluster` says `cluster_enabled:1`: a Cluster node, which answers
 * MOVED for every key of another node's slots (most of them), so that claims went to the database
 * path while /readyz said redis up. Asked at start, since without a database number in the URL no
 * command of the connection's own is refused (a failed SELECT is, above).
 */
export function clusterNodeRefusal(info: string): RefusalCause | null {
  if (!/^cluster_enabled:1\s*$/m.test(info)) return null;
  return { kind: 'cluster-node', reason: `Redis answered "cluster_enabled:1" (INFO cluster): ${CLUSTER_NODE_HINT}` };
}

/** Node's codes for a server certificate it does not accept, by what the operator should do. */
const CERTIFICATE_ERRORS: readonly { code: RegExp; kind: RefusalKind; hint: (cluster: boolean) => string }[] = [
  {
    code: /^(ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH)$/,
    kind: 'certificate-name',
    hint: (cluster) =>
      cluster
        ? 'the certificate is not for the host connected to: name the nodes as their certificates do, and have the Cluster announce such names (cluster-announce-hostname, cluster-preferred-endpoint-type hostname)'
        : 'the certificate is not for the host connected to: name the host as the certificate does',
  },
  {
    code: /^CERT_(HAS_EXPIRED|NOT_YET_VALID)$/,
    kind: 'certificate-expired',
    hint: () =>
      "the server's certificate is outside its validity: renew it on the Redis side (or check this machine's clock)",
  },
  {
    code: /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_UNTRUSTED|CERT_REJECTED|INVALID_CA|CERT_SIGNATURE_FAILURE)$/,
    kind: 'certificate-untrusted',
    hint: () =>
      'Node does not trust the certificate: give it the CA that signed it (NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment), or give Redis a certificate from a public CA',
  },
];

/**
 * Why Redis refused the settings, or null when `error` is not such a refusal (an outage, say): an
 * answer of Redis, or a certificate the TLS handshake did not accept.
 */
export function refusalCause(error: unknown, cluster: boolean): RefusalCause | null {
  // A Cluster's failed slot refresh (ClusterAllFailedError) carries the last node's answer.
  const cause = (error as { lastNodeError?: unknown } | null)?.lastNodeError ?? error;
  const answer = messageOf(cause);
  const refusal = REDIS_ANSWERS.find(({ answer: pattern }) => pattern.test(answer));
  if (refusal) return { kind: refusal.kind, reason: `Redis answered "${answer}": ${refusal.hint(cluster)}` };
  return certificateRefusal(cause, cluster);
}

/** A certificate the TLS handshake refused, or null for any other error. */
export function certificateRefusal(error: unknown, cluster: boolean): RefusalCause | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const refusal = CERTIFICATE_ERRORS.find((candidate) => candidate.code.test(code));
  if (!refusal) return null;
  return {
    kind: refusal.kind,
    reason: `TLS refused the server's certificate ("${messageOf(error)}", ${code}): ${refusal.hint(cluster)}`,
  };
}

/** True for a SELECT that failed: the connection must not be used (it would be on database 0). */
export function isDatabaseRefusal(error: unknown): boolean {
  return DATABASE_REFUSED.test(messageOf(error));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
