import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { HEARD_MOMENT_COLUMNS, ORDER_CHANGES_CHANNEL, heardMomentOf } from './order-changes';
import type { HeardMoment } from './order-changes';

/** A heartbeat in flight: its payload, and whether it came back. */
export interface Heartbeat {
  marker: string;
  heard: boolean;
}

/** The payload of a heartbeat's notification: this prefix and a UUID no order id starts with. */
const HEARTBEAT = 'heartbeat:';

export function newHeartbeat(): Heartbeat {
  return { marker: `${HEARTBEAT}${randomUUID()}`, heard: false };
}

/**
 * One heartbeat: a notification to itself on the channel, which PostgreSQL hands back before the
 * statement's answer (the listener marks it heard). When heard within `timeoutMs`, the statement's
 * moment (DATABASE_HEARD_UP_TO_MS, with its age): every change begun before it was committed and heard; else null.
 */
export async function heartbeatHeard(
  client: pg.Client,
  beat: Heartbeat,
  timeoutMs: number,
): Promise<HeardMoment | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const answered = client
    .query<{ atMs: number; nowMs: number }>(`SELECT pg_notify($1, $2), ${HEARD_MOMENT_COLUMNS}`, [
      ORDER_CHANGES_CHANNEL,
      beat.marker,
    ])
    .then(
      (result) => (beat.heard ? heardMomentOf(result.rows[0]) : null),
      () => null,
    );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ends the connection politely (Terminate), and destroys its socket when the peer has not closed
 * it within a second: a peer that vanished never answers, and end() alone would wait for it forever.
 */
export async function endClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000).unref()));
  await Promise.race([client.end().catch(() => undefined), grace]);
  clearTimeout(timer);
  client.connection.stream.destroy();
}
