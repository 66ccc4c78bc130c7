/**
 * Idempotency keys made on the client, with Web Crypto and TextEncoder only, so this runs in browsers, React
 * Native (with a Web Crypto polyfill), Deno and Node alike.
 */
import { InvalidArgumentError, unsupportedPlatform } from './order-gate-error.js';

/** What a key is made of. */
export interface IdempotencyKeyParts {
  /** The customer placing the order (the bearer token's `sub`). */
  customerId: string;
  /** When the checkout intent began, in epoch milliseconds (a non-negative safe integer). */
  timestamp: number;
  /** Random text that tells two intents of the same customer in the same millisecond apart. Default: 128 fresh random bits. */
  salt?: string;
}

/** The server's key format: 8 to 255 characters of A-Z a-z 0-9 and - _ . : only. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,255}$/;

const KEY_VERSION = 'ck1';

/**
 * A key for one checkout intent: `ck1.<timestamp base36>.<sha256 hex of customer, timestamp, salt>`.
 * Deterministic in its parts (same parts, same key; any change, another key) and always valid.
 * Make it once per intent and send it with every retry of that intent.
 */
export async function createIdempotencyKey(parts: IdempotencyKeyParts): Promise<string> {
  const { customerId, timestamp } = parts;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new InvalidArgumentError('timestamp must be a non-negative whole number of epoch milliseconds.');
  }
  const salt = parts.salt ?? randomSalt();
  // JSON of an array is an injective encoding: no two different part lists hash the same text.
  const text = JSON.stringify([KEY_VERSION, customerId, timestamp, salt]);
  const digest = await webCrypto().subtle.digest('SHA-256', utf8(text));
  return `${KEY_VERSION}.${timestamp.toString(36)}.${toHex(new Uint8Array(digest))}`;
}

/** 128 random bits as hex, from the platform's cryptographic generator. */
export function randomSalt(): string {
  const bytes = new Uint8Array(16);
  webCrypto().getRandomValues(bytes);
  return toHex(bytes);
}

/**
 * The part of Web Crypto the SDK uses. Its own declaration, not the DOM library's `Crypto`, so the
 * SDK compiles with either the DOM library or @types/node (Node 20 has globalThis.crypto).
 */
interface WebCrypto {
  getRandomValues(array: Uint8Array): unknown;
  subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
}

function webCrypto(): WebCrypto {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!crypto?.subtle || !crypto.getRandomValues) {
    throw unsupportedPlatform(
      'Web Crypto (globalThis.crypto with subtle) is required; on React Native install a Web Crypto polyfill.',
    );
  }
  return crypto;
}

/** The text's UTF-8 bytes, with the platform's TextEncoder (Hermes before React Native 0.74 has none). */
function utf8(text: string): Uint8Array {
  if (typeof TextEncoder !== 'function') {
    throw unsupportedPlatform('TextEncoder is required; on older React Native install a TextEncoder polyfill.');
  }
  return new TextEncoder().encode(text);
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
