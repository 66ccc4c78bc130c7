/**
 * What the SDK throws, and the failures every operation shares. Each carries a stable `code`: the
 * server's `extensions.code` when it sent one, else the SDK's own (SdkErrorCode, `HTTP_<status>`).
 */

/** Codes the SDK gives where no server answered with a code of its own. */
export type SdkErrorCode =
  /** fetch failed: the server unreachable (refused, reset, no DNS), or the connection dropped. */
  | 'NETWORK_ERROR'
  /** A try ran past `attemptTimeoutMs` and was aborted. */
  | 'TIMEOUT'
  /** The `authToken` function threw, rejected or gave no token within `attemptTimeoutMs`: no request was sent. */
  | 'AUTH_TOKEN_FAILED'
  /** A 2xx whose body is no answer of the call (cut off, not JSON, no data, data without the operation's answer). */
  | 'MALFORMED_RESPONSE'
  /** The platform lacks fetch, AbortController, Web Crypto or TextEncoder (e.g. React Native without a polyfill). */
  | 'UNSUPPORTED_PLATFORM'
  /** A GraphQL error without `extensions.code` (not sent by Order Gate itself). */
  | 'UNKNOWN'
  /** The call ran past its `deadlineMs`: the try in flight and any wait were ended. */
  | 'DEADLINE_EXCEEDED'
  /** The caller's `signal` aborted the call. */
  | 'ABORTED';

/**
 * Why a request got no answer to act on, the same in every operation: createOrder's and the
 * lifecycle calls' outcomes hold it as their `failure`, issueOrderToken throws it as an OrderGateError.
 */
export type RequestFailure =
  /**
   * Every try failed on the network (NETWORK_ERROR, TIMEOUT), the `authToken` function threw
   * (AUTH_TOKEN_FAILED), a reply was cut off (MALFORMED_RESPONSE), or the server was unavailable
   * (SERVICE_UNAVAILABLE: its database is down; or another 5xx: its GraphQL code, else
   * `HTTP_<status>`, e.g. a proxy's HTTP_502). Retrying later with the same key is safe;
   * `retryAfterMs` is the server's last hint, when it gave one (also when the SDK stopped early
   * because the hint was above `maxRetryAfterMs`).
   */
  | { kind: 'Unavailable'; code: string; message: string; retryAfterMs?: number }
  /**
   * The server failed with INTERNAL_SERVER_ERROR: a defect, so the SDK does not retry it. Quote
   * `requestId` to support. Retrying later with the same key is safe: it cannot make a second order.
   */
  | { kind: 'ServerError'; code: 'INTERNAL_SERVER_ERROR'; message: string; requestId?: string }
  /**
   * The server refused the request itself (e.g. UNAUTHENTICATED, FORBIDDEN): retrying will not
   * help. A refusal for a while only carries `retryAfterMs`: retry after it, same key. That is the
   * server's RATE_LIMITED, or an HTTP 429 from a proxy or CDN in front of it that sent no GraphQL
   * error (`code` 'HTTP_429', the hint from its `Retry-After`). Other statuses without a GraphQL
   * error are `HTTP_<status>`.
   */
  | { kind: 'Rejected'; code: string; message: string; retryAfterMs?: number }
  | Interrupted;

/**
 * The call ended before it had an outcome: its `deadlineMs` passed (DEADLINE_EXCEEDED) or the
 * caller's `signal` aborted it (ABORTED). A try in flight may still have made the order or change:
 * retry later with the same key (the outcome's `idempotencyKey`), never a new one.
 */
export interface Interrupted {
  kind: 'Interrupted';
  code: 'DEADLINE_EXCEEDED' | 'ABORTED';
  message: string;
}

/**
 * The last try still found the key in progress (the server's RequestInProgress; REST's code for it,
 * REQUEST_IN_PROGRESS). Retrying later with the same key is safe. createOrder's and the lifecycle
 * calls' outcomes hold it as their `failure`, with a `code` as every other failure has.
 */
export interface StillInProgress {
  kind: 'StillInProgress';
  code: 'REQUEST_IN_PROGRESS';
  retryAfterMs: number;
}

/** The failure of a try whose key was still in progress. */
export function stillInProgress(retryAfterMs: number): StillInProgress {
  return { kind: 'StillInProgress', code: 'REQUEST_IN_PROGRESS', retryAfterMs };
}

/** What an OrderGateError is, besides its message. */
export interface OrderGateErrorDetails {
  /** A RequestFailure's kind, or 'Unsupported' for a platform the SDK cannot run on. */
  kind: RequestFailure['kind'] | 'Unsupported';
  /** Stable: the server's `extensions.code`, `HTTP_<status>`, or an SdkErrorCode. Decide on it, not on the message. */
  code: string;
  /** Requests sent (0 when none could be). */
  attempts: number;
  /** When the refusal or the outage is for a while only: the server's or proxy's hint (ms). */
  retryAfterMs?: number | undefined;
  /** ServerError: the id of the request in the server's logs, to quote to support. */
  requestId?: string | undefined;
}

/**
 * What the SDK throws when a call fails: issueOrderToken without a token, and any call on a platform
 * without fetch, AbortController or Web Crypto. An Error, so `instanceof Error` and `message`
 * work as before; `code` tells "not signed in" (UNAUTHENTICATED) from "rate limited"
 * (RATE_LIMITED, HTTP_429) from "server down" (NETWORK_ERROR, SERVICE_UNAVAILABLE, …).
 */
export class OrderGateError extends Error implements OrderGateErrorDetails {
  override name = 'OrderGateError';
  readonly kind: OrderGateErrorDetails['kind'];
  readonly code: string;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, details: OrderGateErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.code = details.code;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    this.requestId = details.requestId;
  }

  /** The error for `operation` ending in `failure` after `attempts` tries. */
  static of(operation: string, failure: RequestFailure, attempts: number): OrderGateError {
    const requestId = failure.kind === 'ServerError' ? failure.requestId : undefined;
    const quoted = requestId === undefined ? '' : ` (request ${requestId})`;
    return new OrderGateError(`${operation} failed: ${failure.message}${quoted}`, {
      kind: failure.kind,
      code: failure.code,
      attempts,
      retryAfterMs: 'retryAfterMs' in failure ? failure.retryAfterMs : undefined,
      requestId,
    });
  }
}

/** A platform API the SDK needs is missing: thrown before any request. */
export function unsupportedPlatform(message: string): OrderGateError {
  return new OrderGateError(message, { kind: 'Unsupported', code: 'UNSUPPORTED_PLATFORM', attempts: 0 });
}

/**
 * An argument outside what the SDK accepts (a caller's bug): a RangeError as before, with a
 * stable `code` like every other error of the SDK.
 */
export class InvalidArgumentError extends RangeError {
  override name = 'InvalidArgumentError';
  readonly code = 'INVALID_ARGUMENT';
}
