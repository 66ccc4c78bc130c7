import type { StandaloneConnectionOptions } from 'ioredis';
import type { ErrorEmitter } from 'ioredis/built/connectors/AbstractConnector';
// Not exported from ioredis's index; its `Connector` option (RedisOptions) takes a subclass.
import StandaloneConnector from 'ioredis/built/connectors/StandaloneConnector';
import type { NetStream } from 'ioredis/built/types';

/**
 * ioredis's connector to one server (a Cluster's nodes each use one too), whose sockets keep an
 * 'error' listener for as long as they live.
 *
 * ioredis listens to a socket's errors with `once`: the first one reaches it, a second finds nobody,
 * and Node throws an 'error' event nobody hears, ending the process. A TLS socket has a second one
 * when Node refuses the server's certificate: it destroys the socket with that error, then still
 * reads what the server sent right behind its handshake (an alert, "tlsv1 alert decode error" from
 * a Redis Cluster node) and emits it as another 'error' (ioredis pull requests #961 and #962 would
 * have ioredis keep listening; neither was merged). That error says nothing new: ioredis has the
 * first one and closes the connection. ioredis still hears every first error as before (the listener is added
 * before any I/O, and an error in the same tick is the connector's `firstError`, which ioredis
 * reports); a healthy socket emits none. It also closes a socket that closed already without
 * arming a timer (disconnect, below).
 */
export class ErrorListeningConnector extends StandaloneConnector {
  /** `unknown`, as ioredis's `Connector` option types it: ioredis passes its whole options (host, port, tls…). */
  constructor(options: unknown) {
    super(options as StandaloneConnectionOptions);
  }

  override async connect(emitError: ErrorEmitter): Promise<NetStream> {
    const stream = await super.connect(emitError);
    stream.on('error', () => undefined);
    return stream;
  }

  /**
   * ioredis ends the socket and arms a timer (disconnectTimeout, 2 s) that only the socket's
   * 'close' clears: a socket that closed already (refused, lost; the client waiting to reconnect)
   * never closes again, and the timer held a stopped server's process for 2 s (ioredis #1247).
   * There is nothing left to end then.
   */
  override disconnect(): void {
    if (this.stream?.destroyed) {
      this.connecting = false;
      return;
    }
    super.disconnect();
  }
}
