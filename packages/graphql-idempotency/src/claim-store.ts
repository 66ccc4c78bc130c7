import { decodeCompactClaim, encodeCompactClaim, isCompactClaim } from './claim-codec';
import { NOT_PLAIN_JSON, acyclicReplay, plainJson, restoreCycles } from './replay-json';
import type { ReplayCycle } from './replay-json';

/**
 * Whose key it is, for what: a key belongs to one operation of one scope (a customer, a tenant), so
 * equal keys sent to two operations, or by two scopes, are unrelated.
 */
export interface ClaimScope {
  /** The operation the key was sent to (a mutation's name, e.g. `createOrder`). */
  operation: string;
  /** Who owns the key (a customer id); '' when the operation has one shared key space. */
  scope: string;
  key: string;
}

/** A request holds the key and is still running. */
export interface PendingClaim {
  state: 'pending';
  fingerprint: string;
  /** Random per request, so that only the claim's owner can complete or release it. */
  owner: string;
  /** Epoch milliseconds. */
  claimedAt: number;
}

/** The key's request created (or found) a resource; repeats are answered with it. */
export interface CompletedClaim {
  state: 'completed';
  fingerprint: string;
  resourceId: string;
  /** Epoch milliseconds of the resource's creation. */
  firstSeenAt: number;
  /** The answer for repeats as its policy wrote it (a JSON value), so that they need no database read. */
  replay?: unknown;
}

export type ClaimRecord = PendingClaim | CompletedClaim;

/**
 * Where claims live: Redis (one node or a Cluster) when several processes serve, process memory for one.
 * Every state change is atomic in the store; callers never read-then-write.
 */
export interface ClaimStore {
  /**
   * Claims the key for `leaseMs` if nobody holds it. Returns null when this call claimed it,
   * otherwise the record already there (which is left untouched).
   */
  claim(scope: ClaimScope, claim: PendingClaim, leaseMs: number): Promise<ClaimRecord | null>;
  /**
   * Replaces the caller's own pending claim with a completed record, atomically; or stores it where
   * the key holds nothing (the claim's lease ran out and nobody claimed the key since: nobody else
   * runs it, as whoever runs it holds a claim), so that a request slower than its lease is still
   * remembered. False, writing nothing, when another record holds the key (a newer claim, or its
   * completion): never overwritten.
   */
  complete(scope: ClaimScope, claim: PendingClaim, completed: CompletedClaim, retentionMs: number): Promise<boolean>;
  /** Deletes the caller's own pending claim so a retry can proceed. False if it was not ours any more. */
  release(scope: ClaimScope, claim: PendingClaim): Promise<boolean>;
  /** Stores a completed record learnt from the database, whatever the key holds now. */
  remember(scope: ClaimScope, completed: CompletedClaim, retentionMs: number): Promise<void>;
  /**
   * Stores a completed record only where the key holds a record now (of either state), keeping
   * its expiry; answers false, writing nothing, when the key holds none. Optional: what rewrites a
   * record on news from elsewhere (an application told that a resource changed, by a store that
   * never saw its key) must not create a claim that was not there, nor make one live longer.
   */
  replaceIfPresent?(scope: ClaimScope, completed: CompletedClaim): Promise<boolean>;
  /**
   * The key's record, changing nothing; null when there is none. Optional: a response-level replay
   * (response-replay.ts) checks with it that the claim its stored response came from is still there.
   */
  read?(scope: ClaimScope): Promise<ClaimRecord | null>;
  /**
   * The key's record as this process knows it without a round trip (a near cache's memory), or
   * undefined when only the store can say. Optional. What it returns must be what `read` would: the
   * guard answers a repeat of a completed key from it without calling `claim`, and a response-level
   * replay confirms its repeat with it at once.
   */
  peek?(scope: ClaimScope): ClaimRecord | null | undefined;
}

// The record's codec: the one place that decides how a record is written as text (every store that keeps
// strings uses it, and the compare-and-set scripts compare these exact strings).

/**
 * Text form of a record, shared by stores that keep strings: a completed record compactly
 * (claim-codec.ts, version 3), a pending one (which lives for a lease) and any record that does not
 * fit version 3 as JSON (version 1). Deterministic: the owner's compare-and-set compares this text.
 */
export function encodeClaim(record: ClaimRecord): string {
  return (record.state === 'completed' && encodeCompactClaim(record)) || recordJson(record);
}

/**
 * Version 1. A replay that is not plain JSON (a cycle, a BigInt: replay-json.ts) is written as its
 * acyclic copy, with the references it cut as `replayCycles`.
 */
function recordJson(record: ClaimRecord): string {
  const plain = plainJson(record);
  if (plain !== NOT_PLAIN_JSON) return plain as string; // a record is an object: never undefined
  if (record.state !== 'completed') throw new TypeError('A pending claim record is plain JSON.');
  const { replay, cycles } = acyclicReplay(record.replay);
  return JSON.stringify({ ...record, replay, ...(cycles.length > 0 ? { replayCycles: cycles } : {}) });
}

/**
 * A completed record as a store that keeps text gives it back: a snapshot. A store that keeps
 * records as objects (process memory) keeps this, not the record it was handed, whose replay is
 * often the very object the application keeps and changes later: its repeats get the first answer,
 * as from Redis, not the object's state of now.
 */
export function storedCopy(record: CompletedClaim): CompletedClaim {
  return decodeClaim(encodeClaim(record)) as CompletedClaim;
}

/** Parses a stored record of any version (3, 2 or 1); a value this code did not write is an error, not a decision. */
export function decodeClaim(text: string): ClaimRecord {
  if (isCompactClaim(text)) return { state: 'completed', ...decodeCompactClaim(text) };
  const value: unknown = JSON.parse(text);
  if (!isClaimRecord(value)) throw new Error('The claim store holds a value that is not a claim record.');
  // A replay written with the references it cut (recordJson): put them back.
  const withCycles = value as ClaimRecord & { replayCycles?: ReplayCycle[] };
  if (withCycles.state === 'completed' && withCycles.replayCycles) {
    restoreCycles(withCycles.replay, withCycles.replayCycles);
    delete withCycles.replayCycles;
  }
  return value;
}

function isClaimRecord(value: unknown): value is ClaimRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record['fingerprint'] !== 'string') return false;
  if (record['state'] === 'pending')
    return typeof record['owner'] === 'string' && typeof record['claimedAt'] === 'number';
  if (record['state'] === 'completed') {
    return typeof record['resourceId'] === 'string' && typeof record['firstSeenAt'] === 'number';
  }
  return false;
}
