import * as timers from 'node:timers';
import type { Writable } from 'node:stream';
import type { RedisLike } from './compare-and-set';

/**
 * The end of the turn, taken when this module loads: fake timers installed later (node:test's
 * mock.timers and sinon's patch node:timers too, not only the global) would otherwise hold every
 * write of the connection until a fake clock is advanced. Fake already (marked by sinon's `clock`):
 * nothing is held.
 */
const atTurnEnd = timers.setImmediate;
const turnEndIsReal = !('clock' in atTurnEnd);

/** The connections whose writes are held until the end of this event-loop turn. */
const holding = new WeakSet<Writable>();

/**
 * Sends a store command (`send` calls one of ioredis's command methods) so that the commands of
 * one event-loop turn leave a standalone connection in one write. A busy server reads several
 * requests' sockets in one turn, and each new key sends its claim from its own callback: one system
 * call each, on this side and on Redis's. ioredis's auto-pipelining joins them too (it flushes on
 * setImmediate), but builds a Pipeline per flush, which here costs more than it saves (8–10 µs of
 * CPU per command pair, measured): so the command skips it, and the socket is corked until the turn's immediates run,
 * after every socket the turn read: the turn's claims, or the completions its replies resumed, go
 * out together, in the order sent, and Redis answers them in one write. A quiet server loses
 * nothing: a command waits for the rest of the callback that sent it, which then waits for its
 * answer anyway.
 *
 * A Cluster's commands go to each node's own connection: sent as they are.
 */
export function sendInTurnBatch<T>(redis: RedisLike, send: () => Promise<T>): Promise<T> {
  const stream = (redis as { stream?: Writable }).stream;
  if (stream === undefined || redis.isCluster || !turnEndIsReal) return send();
  if (!holding.has(stream)) {
    holding.add(stream);
    stream.cork();
    atTurnEnd(sendHeldWrites, stream);
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
