import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from './logger';

// Code that is not handed the request still runs inside it: Apollo Server's own log lines and the
// error answers it builds before (or without) a context — a context function that threw, a plugin
// hook that threw. The HTTP layer runs each request's Apollo call inside withRequestId, and they
// read the id from here.
const scope = new AsyncLocalStorage<string>();

/** Runs `work` (and everything it starts) as part of request `requestId`. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return scope.run(requestId, work);
}

/** The id of the request whose work is running, or undefined outside a request. */
export function currentRequestId(): string | undefined {
  return scope.getStore();
}

/** `logger` carrying the running request's id in every line (`logger` itself outside a request). */
export function loggerOfCurrentRequest(logger: Logger): Logger {
  const requestId = currentRequestId();
  return requestId === undefined ? logger : logger.child({ requestId });
}
