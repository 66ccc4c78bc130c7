import net from 'node:net';

export interface HoldingProxy {
  port: number;
  /** Resolves when the upstream has closed the held connection (after sending whatever it sent last). */
  upstreamClosed: Promise<void>;
  /**
   * Passes everything held to the client in one write (one chunk on loopback), closes the client's
   * side if the upstream closed, and relays every later byte and connection straight through.
   * Returns the held bytes.
   */
  release(): Buffer;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port whose first connection gets nothing from the upstream until
 * release(): what the server sends in several packets reaches the client in one. Used to put a
 * session's start and its termination in one chunk, as a loaded machine sometimes does.
 */
export async function startHoldingProxy(upstream: { host: string; port: number }): Promise<HoldingProxy> {
  const sockets = new Set<net.Socket>();
  let held: { chunks: Buffer[]; client: net.Socket; upstreamEnded: boolean } | undefined;
  let releaseHeld: (() => Buffer) | undefined;
  let onUpstreamClosed!: () => void;
  const upstreamClosed = new Promise<void>((resolve) => (onUpstreamClosed = resolve));

  const listener = net.createServer((client) => {
    const server = net.connect(upstream.port, upstream.host);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(server);
    if (held || releaseHeld) {
      server.pipe(client);
      return;
    }
    const holding = { chunks: [] as Buffer[], client, upstreamEnded: false };
    held = holding;
    server.on('data', (chunk: Buffer) => (held === holding ? holding.chunks.push(chunk) : client.write(chunk)));
    server.on('end', () => {
      holding.upstreamEnded = true;
      onUpstreamClosed();
      if (held !== holding) client.end();
    });
    releaseHeld = () => {
      held = undefined;
      const bytes = Buffer.concat(holding.chunks);
      client.write(bytes);
      if (holding.upstreamEnded) client.end();
      return bytes;
    };
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));

  return {
    port: (listener.address() as net.AddressInfo).port,
    upstreamClosed,
    release() {
      if (!releaseHeld || !held) throw new Error('no connection is held');
      return releaseHeld();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

/** The type bytes of the PostgreSQL backend messages in `bytes` (each: a type byte, then an int32 length). */
export function backendMessageTypes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 1 + bytes.readInt32BE(at + 1))
    types.push(String.fromCharCode(bytes[at]));
  return types;
}
