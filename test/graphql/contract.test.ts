import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, printSchema } from 'graphql';
import { buildOrderGateSchema } from '../../src/graphql/schema';

// The contract lives beside the main checkout; from a git worktree, find that checkout through git.
const CONTRACT_PATH = path.resolve(mainCheckout(), '../shared/contract/core.graphql');

function mainCheckout(): string {
  try {
    return path.dirname(execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: __dirname }).toString().trim());
  } catch {
    return path.resolve(__dirname, '../..');
  }
}

describe('the public contract', () => {
  it('is contained in the server schema without a single breaking change', async () => {
    const contract = buildSchema(readFileSync(CONTRACT_PATH, 'utf8'));
    const server = await buildOrderGateSchema();
    const changes = await diff(contract, server);
    const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
    expect(breaking.map((change) => change.message)).toEqual([]);
  });

  it('keeps every contract type with the same kind in the server schema', async () => {
    const contract = buildSchema(readFileSync(CONTRACT_PATH, 'utf8'));
    const server = await buildOrderGateSchema();
    const printed = printSchema(server);
    for (const type of Object.values(contract.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      expect(server.getType(type.name)?.constructor.name).toBe(type.constructor.name);
    }
    expect(printed).toContain('union CreateOrderResult');
  });
});
