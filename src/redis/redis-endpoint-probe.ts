import net from 'node:net';
import tls from 'node:tls';
import type { RedisClusterNode } from '../config/redis-cluster-nodes';
import { certificateRefusal } from './redis-refusal';
import type { RefusalCause } from './redis-refusal';

/** Why a `rediss://` connection that never became ready failed, as far as a plain-text PING can tell. */
export const TLS_EXPECTED_REASON =
  'rediss:// asks for TLS, and the server there speaks plain text (it answered PING without TLS): use redis://, or turn TLS on in Redis';

/** Why a plain-text connection that never became ready failed, when the server completed a TLS handshake. */
function tlsRequiredReason(cluster: boolean): string {
  const scheme = cluster
    ? 'REDIS_CLUSTER_NODES names plain-text nodes (host:port or redis://)'
    : 'redis:// is plain text';
  const fix = cluster ? 'write every node as rediss://host:port' : 'use rediss://';
  return `${scheme}, and the server there speaks TLS only (it completed a TLS handshake and answers no plain-text PING): ${fix}`;
}

/**
 * Why Redis at these endpoints refuses a connection made this way, when an outage is all the
 * connection saw: a TLS mismatch looks like one from inside (a TLS handshake waiting for an answer
 * a plain-text server never gives, or a plain-text PING that a TLS server drops), and so does a
 * Cluster's untrusted certificate (ioredis reports its failed slot refresh as a closed connection).
 * Null when the endpoints look fine, or merely unreachable, as far as `timeoutMs` (each) can tell.
 */
export async function endpointRefusal(
  endpoints: readonly RedisClusterNode[],
  settings: { tls: boolean; cluster: boolean },
  timeoutMs: number,
): Promise<RefusalCause | null> {
  const causes = await Promise.all(
    endpoints.map(async ({ host, port }): Promise<RefusalCause | null> => {
      const [plainText, handshake] = await Promise.all([
        answersPlainText(host, port, timeoutMs),
        tlsHandshake(host, port, timeoutMs),
      ]);
      if (plainText) return settings.tls ? { kind: 'tls-expected', reason: TLS_EXPECTED_REASON } : null;
      if (!settings.tls)
        return handshake === 'none' ? null : { kind: 'tls-required', reason: tlsRequiredReason(settings.cluster) };
      return handshake instanceof Error ? certificateRefusal(handshake, settings.cluster) : null;
    }),
  );
  return causes.find((cause) => cause !== null) ?? null;
}

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
    // `on`, not `once`: a socket may emit a second error (a TLS server's alert after the first), and
    // an error event nobody listens to ends the process.
    socket.on('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

/**
 * A TLS handshake with host:port, checked as ioredis checks it (Node's CAs, the host's name):
 * `trusted`; the certificate error, when a TLS server sent a certificate Node refuses; `tls` when
 * a TLS server ended the handshake with an alert (it wants a client certificate, say); `none` when
 * nothing there speaks TLS, or nothing answered within `timeoutMs`.
 */
function tlsHandshake(host: string, port: number, timeoutMs: number): Promise<'trusted' | 'tls' | 'none' | Error> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }) });
    let settled = false;
    const finish = (outcome: 'trusted' | 'tls' | 'none' | Error) => {
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish('none'), timeoutMs);
    socket.once('secureConnect', () => finish('trusted'));
    // `on`, not `once`: after a refused certificate the server's alert ("decode error") is a second
    // error event, and one nobody listens to ends the process (seen in CI, both Cluster TLS tests).
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      if (certificateRefusal(error, false)) return finish(error);
      finish(/ALERT/.test(error.code ?? '') ? 'tls' : 'none');
    });
  });
}
