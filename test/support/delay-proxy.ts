import net from 'node:net';

export interface DelayProxy {
  port: number;
  /** Chunks relayed so far, and how many of them were held longer than `overMs` (see countOver). */
  readonly stats: { chunks: number; delayedOver: number };
  /** Counts, from now on, the chunks held longer than `ms`. */
  countOver(ms: number): void;
  /** Milliseconds each chunk waits, drawn per chunk; 0 passes data straight through. */
  setDelay(delay: () => number): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a free loopback port that holds every chunk, in both directions, for a chosen
 * delay before passing it on (order kept per direction): a slow network or a slow server.
 */
export async function startDelayProxy(upstreamPort: number): Promise<DelayProxy> {
  let delay: () => number = () => 0;
  let overMs = Number.POSITIVE_INFINITY;
  const stats = { chunks: 0, delayedOver: 0 };
  const sockets = new Set<net.Socket>();
  // One queue and one timer per direction: a timer per chunk would reorder the stream (timers of
  // equal due time fire by libuv's cached clock, not Date.now()'s), which hands Redis's replies to
  // the wrong commands, a fault no network makes.
  const relay = (from: net.Socket, to: net.Socket) => {
    const queue: { chunk: Buffer; dueAt: number }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const passOn = () => {
      timer = undefined;
      while (queue.length > 0 && queue[0].dueAt <= Date.now()) {
        const { chunk } = queue.shift()!;
        if (!to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(passOn, queue[0].dueAt - Date.now());
    };
    from.on('data', (chunk: Buffer) => {
      const held = delay();
      stats.chunks += 1;
      if (held > overMs) stats.delayedOver += 1;
      // Never before the chunk ahead of it: a short delay behind a long one waits for it.
      const dueAt = Math.max(queue.at(-1)?.dueAt ?? 0, Date.now() + held);
      queue.push({ chunk, dueAt });
      if (timer === undefined) timer = setTimeout(passOn, dueAt - Date.now());
    });
    from.on('close', () => clearTimeout(timer));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
      socket.on('error', () => undefined);
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stats,
    countOver(ms) {
      overMs = ms;
    },
    setDelay(next) {
      delay = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
