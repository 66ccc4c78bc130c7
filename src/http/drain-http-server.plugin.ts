import type http from 'node:http';
import net from 'node:net';
import type { Socket } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';

/** Options of ApolloServerPluginDrainConnections. */
export interface DrainConnectionsOptions {
  httpServer: http.Server;
  /** How long in-flight requests may take once draining starts; then their connections are cut (ms). Default 10 000. */
  gracePeriodMs?: number;
  /**
   * How long a connection accepted before the listener closed may take to send its first byte (ms).
   * Default 1 000: a client sends its request right after connecting; one that sends nothing is closed.
   */
  firstByteWaitMs?: number;
}

/** What the drain knows of one connection. */
interface ConnectionState {
  /** Responses started and not yet finished or aborted. */
  responses: Set<http.ServerResponse>;
  /** socket.bytesRead when its last response ended (0 before any): more read since is a request arriving. */
  bytesReadAtRest: number;
}

/**
 * Drains the HTTP server when Apollo stops, as Apollo's ApolloServerPluginDrainHttpServer does, but
 * without cutting requests the server has already received. Under load, Apollo's (with Node's
 * `server.close()`) ended or destroyed every connection with no `request` event yet, including ones
 * accepted whose request was still unread in the socket: of 300 concurrent createOrder, 155 clients
 * saw ECONNRESET, and an order was placed whose answer never left (test/http/drain-under-load.test.ts).
 *
 * Here: the listener stops accepting (a late client is refused and retries elsewhere); a request
 * received, on a new or a keep-alive connection, is answered with `Connection: close`; a connection
 * idle since its last answer is closed; a new one gets `firstByteWaitMs` to send its request. After
 * `gracePeriodMs` what is left is cut.
 */
export function ApolloServerPluginDrainConnections(options: DrainConnectionsOptions): ApolloServerPlugin {
  const drain = new ConnectionDrain(options.httpServer);
  return {
    async serverWillStart() {
      return {
        async drainServer() {
          await drain.stop(options.gracePeriodMs ?? 10_000, options.firstByteWaitMs ?? 1_000);
        },
      };
    },
  };
}

/** Requests that arrived on a connection the drain had already ended: the application must not run them. */
const unanswerable = new WeakSet<http.IncomingMessage>();

/** Whether `request` came on a connection the drain had ended: nothing could carry its answer. */
export function isUnanswerable(request: http.IncomingMessage): boolean {
  return unanswerable.has(request);
}

/**
 * How long the drain may keep accepting the backlog before the listener closes, as clients may keep
 * connecting (ms). Under load Node accepts a few connections a turn: 66 queued took 941 ms.
 */
const BACKLOG_WAIT_MS = 5_000;

class ConnectionDrain {
  private readonly connections = new Map<Socket, ConnectionState>();
  private draining = false;
  /** Connections accepted so far. */
  private accepted = 0;

  constructor(private readonly server: http.Server) {
    server.on('connection', (socket: Socket) => {
      this.accepted++;
      this.connections.set(socket, { responses: new Set(), bytesReadAtRest: 0 });
      socket.once('close', () => this.connections.delete(socket));
    });
    // Registered before the application's listener (create-app.ts): a response learns it is the last before it is written.
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      const socket = request.socket;
      const connection = this.connections.get(socket);
      if (!connection) return;
      // A request on a connection already told to close cannot be answered: not run at all (the
      // application's listener asks isUnanswerable first; this one is registered before it).
      if (this.draining && socket.writableEnded) {
        unanswerable.add(request);
        return void socket.destroy();
      }
      connection.responses.add(response);
      if (this.draining) response.shouldKeepAlive = false;
      response.once('close', () => {
        connection.responses.delete(response);
        connection.bytesReadAtRest = socket.bytesRead;
        // Its answer was the last (a keep-alive answer whose headers left before the drain: closed
        // here), and once it has left, closed both ways: a client that keeps its half open (allowHalfOpen)
        // would hold the drain until keepAliveTimeout. As Node's destroySoon.
        if (this.draining && connection.responses.size === 0) socket.end(() => socket.destroy());
      });
    });
  }

  async stop(gracePeriodMs: number, firstByteWaitMs: number): Promise<void> {
    this.draining = true;
    // The grace counts from here: the process exits within SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS (+ the audit flush).
    const cut = setTimeout(() => this.connections.forEach((_, socket) => socket.destroy()), gracePeriodMs);
    await this.acceptBacklog(Math.min(BACKLOG_WAIT_MS, gracePeriodMs));
    const closed = new Promise<void>((resolve) => {
      // net's close, not http's: http's also destroys every connection whose request is not parsed yet
      // (Node ≥ 19, closeIdleConnections), including those whose request is in the socket, unread.
      net.Server.prototype.close.call(this.server, () => resolve());
    });
    const firstBytes = setTimeout(() => {
      // Once more through the event loop: bytes already in the socket are read before it is judged silent.
      setImmediate(() => this.connections.forEach((_, socket) => this.closeIfIdle(socket, true)));
    }, firstByteWaitMs);
    for (const [socket, connection] of this.connections) {
      for (const response of connection.responses) if (!response.headersSent) response.shouldKeepAlive = false;
      this.closeIfIdle(socket);
    }
    await closed;
    clearTimeout(cut);
    clearTimeout(firstBytes);
  }

  /**
   * Turns of the event loop until one accepts no connection, for at most `waitMs`: closing the
   * listener resets the connections still in the kernel's backlog, whose clients had connected
   * (Node accepted about 2 a turn under load: 46 of 300 were reset when one turn was all). Each
   * turn also reads what has arrived on open connections, so that it counts as received.
   */
  private async acceptBacklog(waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const accepted = this.accepted;
      // Two immediates: the second runs after a poll phase, where pending connections are accepted and sockets read.
      await new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
      if (this.accepted === accepted) return;
    }
  }

  /**
   * Closes a connection that has nothing to answer and nothing arriving (one already closing after
   * its last answer is left to finish). A new one (no answer yet) is kept until `firstByteWaitMs`
   * unless `evenNew`. Destroyed, not ended: a request that arrives afterwards is refused by the
   * peer's TCP, never run without a way to answer it.
   */
  private closeIfIdle(socket: Socket, evenNew = false): void {
    const connection = this.connections.get(socket);
    if (!connection || connection.responses.size > 0 || socket.writableEnded) return;
    if (socket.bytesRead !== connection.bytesReadAtRest) return;
    const answeredBefore = connection.bytesReadAtRest > 0;
    if (answeredBefore || evenNew) socket.destroy();
  }
}
