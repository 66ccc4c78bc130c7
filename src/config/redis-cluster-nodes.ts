/** One node of a Redis Cluster to discover the others from. */
export interface RedisClusterNode {
  host: string;
  port: number;
}

/** How a Redis is reached: in plain text or TLS, and with which credentials. */
export interface RedisAccess {
  /** `rediss://`: TLS, the certificate checked against Node's CAs (NODE_EXTRA_CA_CERTS adds a private one). */
  tls: boolean;
  /** ACL user; absent: Redis's `default` user. */
  username?: string;
  /** Absent: no AUTH. */
  password?: string;
}

/** The Redis Cluster of REDIS_CLUSTER_NODES: its start-up nodes, and how every node is reached. */
export interface RedisClusterSetting extends RedisAccess {
  nodes: RedisClusterNode[];
}

/** `host:port`, the form without scheme or credentials. */
const HOST_PORT = /^([^\s,:/@[\]]+):(\d{1,5})$/;
const NODE_URL = /^rediss?:\/\//;
const DEFAULT_PORT = 6379;

const EXPECTED =
  'expected host:port or redis://[[USER]:PASSWORD@]HOST:PORT (rediss:// for TLS), comma-separated, every node alike';

interface ParsedNode extends RedisClusterNode, RedisAccess {
  /** The entry as written, its password hidden: for messages. */
  shown: string;
}

/**
 * REDIS_CLUSTER_NODES: `host:port,…`, or each node as a URL, `redis://[[USER]:PASSWORD@]HOST:PORT`
 * (`rediss://` for TLS), as a managed Cluster that wants AUTH and TLS needs. The scheme and
 * credentials are the Cluster's, not a node's (ioredis gives every node it discovers the same), so
 * nodes that differ in them are refused rather than one of them chosen. The message says what is
 * wrong, with every password hidden.
 */
export function parseRedisClusterNodes(text: string): RedisClusterSetting | string {
  const nodes: ParsedNode[] = [];
  for (const entry of text.split(',')) {
    const node = parseNode(entry);
    if (typeof node === 'string') return node;
    nodes.push(node);
  }
  const [first] = nodes as [ParsedNode, ...ParsedNode[]];
  const other = nodes.find((node) => !sameAccess(node, first));
  if (other) return `every node must use the same scheme and credentials: "${first.shown}" and "${other.shown}" differ`;
  return {
    nodes: nodes.map(({ host, port }) => ({ host, port })),
    tls: first.tls,
    ...(first.username ? { username: first.username } : {}),
    ...(first.password ? { password: first.password } : {}),
  };
}

/**
 * The setting as a log line or an error message shows it: `host:port,…` for nodes without
 * credentials or TLS, else each node as a URL with its password as `***`.
 */
export function clusterNodesShown(cluster: RedisClusterSetting): string {
  if (!cluster.tls && !cluster.username && !cluster.password)
    return cluster.nodes.map((node) => `${hostShown(node.host)}:${node.port}`).join(',');
  const user = cluster.username ? encodeURIComponent(cluster.username) : '';
  const credentials = cluster.password ? `${user}:***@` : user ? `${user}@` : '';
  const scheme = cluster.tls ? 'rediss' : 'redis';
  return cluster.nodes.map((node) => `${scheme}://${credentials}${hostShown(node.host)}:${node.port}`).join(',');
}

function parseNode(entry: string): ParsedNode | string {
  const shown = withoutPassword(entry);
  const notANode = `${EXPECTED}; not a node: "${shown}"`;
  if (!NODE_URL.test(entry)) {
    const match = HOST_PORT.exec(entry);
    if (!match) return notANode;
    const port = Number(match[2]);
    return validPort(port) ? { host: match[1], port, tls: false, shown } : notANode;
  }
  if (!URL.canParse(entry)) return notANode;
  const url = new URL(entry);
  if (url.pathname !== '' && url.pathname !== '/')
    return `a Cluster has database 0 only: nothing may follow the port ("${shown}")`;
  if (url.search || url.hash) return `options after the port are not read: "${shown}"`;
  const port = url.port ? Number(url.port) : DEFAULT_PORT;
  if (!url.hostname || !validPort(port)) return notANode;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    tls: url.protocol === 'rediss:',
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    shown,
  };
}

function validPort(port: number): boolean {
  return port >= 1 && port <= 65_535;
}

function sameAccess(a: RedisAccess, b: RedisAccess): boolean {
  return a.tls === b.tls && a.username === b.username && a.password === b.password;
}

/** `rediss://user:secret@host:7000` → `rediss://user:***@host:7000`; works on entries that are not valid URLs too. */
function withoutPassword(entry: string): string {
  return entry.replace(/^(rediss?:\/\/[^:@/]*):.*@/, '$1:***@');
}

/** An IPv6 address in brackets, as a URL writes it. */
function hostShown(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
