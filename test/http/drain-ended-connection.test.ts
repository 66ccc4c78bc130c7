import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { GraphQLServerContext } from '@apollo/server';
import { ApolloServerPluginDrainConnections, isUnanswerable } from '../../src/http/drain-http-server.plugin';

// The drain ends a keep-alive connection after its last answer. Found by a review: a request the
// client had already sent on it still ran (Express routes ran with no body), and a client that
// keeps its half of the connection open (allowHalfOpen) held the drain until keepAliveTimeout.

/** A server whose first request is answered when `release` is called; `ran` lists the requests run. */
async function heldServer() {
  const server = http.createServer();
  server.keepAliveTimeout = 60_000;
  const plugin = ApolloServerPluginDrainConnections({ httpServer: server, gracePeriodMs: 60_000 });
  const ran: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    if (isUnanswerable(request)) return;
    ran.push(request.url ?? '');
    void (request.url === '/held' ? released : Promise.resolve()).then(() => response.end('done'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const listener = await plugin.serverWillStart!({} as GraphQLServerContext);
  const drain = () => listener!.drainServer!();
  return { server, port: (server.address() as AddressInfo).port, ran, release, drain };
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: keep-alive\r\n\r\n`;

/** A raw client connection with what it has received so far. */
async function rawClient(port: number, allowHalfOpen = false) {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const answered = () =>
    new Promise<void>((resolve) => {
      const check = () => (received.includes('done') ? resolve() : setTimeout(check, 5));
      check();
    });
  return { socket, closed, answered, received: () => received };
}

describe('the drain, on a connection it ended after its last answer', () => {
  it('never runs a request that arrives on it', async () => {
    const { port, ran, release, drain } = await heldServer();
    const client = await rawClient(port);
    client.socket.write(get('/held'));
    while (ran.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    // Sent the moment the answer arrives, before the client reads the server's end of the connection.
    client.socket.once('data', () => client.socket.write(get('/after-the-end')));
    const drained = drain();
    release();
    await Promise.all([drained, client.closed]);
    expect(client.received()).toContain('done');
    expect(ran).toEqual(['/held']);
  });

  it('closes it both ways, so a client keeping its half open does not hold the drain', async () => {
    const { port, ran, release, drain } = await heldServer();
    const client = await rawClient(port, true);
    client.socket.write(get('/held'));
    while (ran.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const drained = drain();
    release();
    await client.answered();
    // keepAliveTimeout and the grace are 60 s: only the server's own close lets the drain end within the test's time.
    await drained;
    client.socket.destroy();
  }, 10_000);
});
