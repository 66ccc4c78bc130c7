import net from 'node:net';

export interface AlertBehindHandshakeProxy {
  port: number;
  /** Connections whose client got the server's handshake with the alert behind it. */
  alerted(): number;
  close(): Promise<void>;
}

/** A TLS record in plain text: type alert (21), TLS 1.2, 2 bytes long: fatal (2), decode_error (50). */
const FATAL_ALERT = Buffer.from([21, 3, 3, 0, 2, 2, 50]);

/** Milliseconds the upstream must stay quiet before its first flight (its handshake) counts as whole. */
const FLIGHT_GAP_MS = 20;

/**
 * A TCP proxy on a free loopback port in front of a TLS server, that hands every client the
 * server's first flight (hello, certificate, finished) with a fatal alert record right behind it,
 * in one write: a peer's alert arriving in the same read as its handshake, as a loaded machine
 * sometimes has it (a TLS Redis Cluster's "tlsv1 alert decode error" did, in CI). A client that
 * refuses the certificate has destroyed its socket by then, and Node still reads the record and
 * emits a second 'error' on it (here ERR_SSL_BAD_RECORD_TYPE: the alert is not encrypted). Every
 * later byte is relayed as it comes.
 */
export async function startAlertBehindHandshakeProxy(upstream: {
  host: string;
  port: number;
}): Promise<AlertBehindHandshakeProxy> {
  const sockets = new Set<net.Socket>();
  let alerted = 0;
  const listener = net.createServer((client) => {
    const server = net.connect(upstream.port, upstream.host);
    const flight: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let relaying = false;
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(timer);
        sockets.delete(socket);
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    server.on('data', (chunk: Buffer) => {
      if (relaying) return client.write(chunk);
      flight.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(() => {
        relaying = true;
        alerted += 1;
        client.write(Buffer.concat([...flight, FATAL_ALERT]));
      }, FLIGHT_GAP_MS);
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    port: (listener.address() as net.AddressInfo).port,
    alerted: () => alerted,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
