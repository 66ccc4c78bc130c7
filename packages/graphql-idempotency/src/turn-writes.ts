import { setImmediate } from 'node:timers';
import type { Writable } from 'node:stream';
import type { RedisLike } from './compare-and-set';

/** The connections whose writes are held until the end of this event-loop turn. */
const holding = new WeakSet<Writable>();

/**
 * Sends a store command (`send` calls one of ioredis's command methods) so that the commands of
 * one event-loop turn leave a standalone connection in one write. A busy server reads several
 * requests' sockets in one turn, and each new key sends its claim from its own callback: one system
 * call each, on this side and on Redis's. ioredis's auto-pipelining joins only what one callback
 * sends (it writes on process.nextTick) and builds a Pipeline per write, which here costs more than
 * it saves; so the command skips it, and the socket is corked until the turn's immediates run,
 * after every socket the turn read: the turn's claims, or the completions its replies resumed, go
 * out together, in the order sent, and Redis answers them in one write. A quiet server loses
 * nothing: a command waits for the rest of the callback that sent it, which then waits for its
 * answer anyway.
 *
 * A Cluster's commands go to each node's own connection: sent as they are. node:timers's
 * setImmediate, not the global one, which a test's fake timers replace (holding the writes for good).
 */
export function sendInTurnBatch<T>(redis: RedisLike, send: () => Promise<T>): Promise<T> {
  const stream = (redis as { stream?: Writable }).stream;
  if (stream === undefined || redis.isCluster) return send();
  if (!holding.has(stream)) {
    holding.add(stream);
    stream.cork();
    setImmediate(sendHeldWrites, stream);
  }
  // ioredis reads the option as each command is made (synchronously, in `send`), so only this
  // command skips auto-pipelining; the application's own commands are pipelined as it asked.
  const { options } = redis;
  const autoPipelining = options.enableAutoPipelining;
  options.enableAutoPipelining = false;
  try {
    return send();
  } finally {
    options.enableAutoPipelining = autoPipelining;
  }
}

function sendHeldWrites(stream: Writable): void {
  holding.delete(stream);
  stream.uncork();
}
