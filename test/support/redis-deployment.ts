import { randomUUID } from 'node:crypto';
import { signViewerToken } from '../../src/auth/jwt';
import { loadConfig } from '../../src/config/config';
import type { CliRun } from './cli';
import { runBuiltCli } from './cli';
import { postGraphQL } from './graphql-client';
import { CREATE_ORDER } from './operations';
import type { ServerProcess } from './server';

/**
 * Places one order under a new key and sends it again on a built server: what a repeat's answer
 * says of where its claim was (`CACHE`: Redis answered; `DATABASE`: Redis did not). The product
 * `sku` must exist with stock.
 */
async function orderAndRepeat(
  server: ServerProcess,
  env: Record<string, string>,
  sku: string,
): Promise<{ first: string; repeat: { __typename: string; detectedBy?: string } }> {
  const token = await signViewerToken({ customerId: `c-${randomUUID()}`, role: 'customer' }, loadConfig(env).jwtSecret);
  const variables = { key: `key-${randomUUID()}`, input: { currency: 'EUR', items: [{ sku, quantity: 1 }] } };
  const place = async () => {
    const response = await postGraphQL<{ createOrder: { __typename: string; detectedBy?: string } }>(
      server.url,
      CREATE_ORDER,
      variables,
      { token },
    );
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.createOrder;
  };
  const first = (await place()).__typename;
  return { first, repeat: await place() };
}

/** A new order is created, and its repeat answered from Redis (`CACHE`): the server uses the Redis it was given. */
export async function expectRepeatAnsweredByRedis(
  server: ServerProcess,
  env: Record<string, string>,
  sku: string,
): Promise<void> {
  expect(await orderAndRepeat(server, env, sku)).toEqual({
    first: 'OrderCreated',
    repeat: expect.objectContaining({ __typename: 'DuplicateDetected', detectedBy: 'CACHE' }) as unknown,
  });
}

/** Starts the built server with these Redis settings, expecting it to refuse: how it ended. */
export function startRefused(databaseUrl: string, redis: Record<string, string>): Promise<CliRun> {
  return runBuiltCli('src/main.js', [], {
    databaseUrl,
    env: { ...redis, MIGRATE_ON_START: 'false', HOST: '127.0.0.1', PORT: '0' },
  });
}

/**
 * Exit 1 and one line on stderr, `Cannot start: <setting>: <reason>` (no stack), where the reason
 * matches `reason`, and no `secret` anywhere in the output.
 */
export function expectRefusedStart(run: CliRun, setting: string, reason: RegExp, secret: string): void {
  expect(run.stderr).toMatch(/^Cannot start: [^\n]+\n$/);
  const line = run.stderr.trimEnd();
  expect(line).toMatch(new RegExp(`^Cannot start: ${escaped(setting)}: `));
  expect(line.slice(`Cannot start: ${setting}: `.length)).toMatch(reason);
  expect(run.stdout + run.stderr).not.toContain(secret);
  expect(run.code).toBe(1);
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
