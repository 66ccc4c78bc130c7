/**
 * Node's error codes for a server that cannot be reached over the network, named once for every
 * connection of ours (PostgreSQL's pool and migrator, Redis's clients): the code and the address
 * say it all, so they are logged in one line without a stack, and answered as an outage.
 */

/** No connection could be opened: nothing listens, no route, an unknown host name, no answer in time. */
export const UNREACHABLE_CODES = [
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
] as const;

/** An open connection broke: reset or aborted on the way, or written to after the peer closed it. */
export const CONNECTION_LOST_CODES = ['ECONNRESET', 'ECONNABORTED', 'EPIPE'] as const;

export type NetworkErrorCode = (typeof UNREACHABLE_CODES)[number] | (typeof CONNECTION_LOST_CODES)[number];

const UNREACHABLE: ReadonlySet<string> = new Set(UNREACHABLE_CODES);
const CONNECTION_LOST: ReadonlySet<string> = new Set(CONNECTION_LOST_CODES);

/** Which of the two a Node error code is, or undefined for any other code (or none). */
export function networkFailureOf(code: unknown): 'unreachable' | 'connection_lost' | undefined {
  if (typeof code !== 'string') return undefined;
  if (UNREACHABLE.has(code)) return 'unreachable';
  return CONNECTION_LOST.has(code) ? 'connection_lost' : undefined;
}

/** Whether `code` is one of Node's codes for a server that cannot be reached or a connection that broke. */
export function isNetworkErrorCode(code: unknown): code is NetworkErrorCode {
  return networkFailureOf(code) !== undefined;
}
