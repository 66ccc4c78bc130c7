import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, printSchema } from 'graphql';
import { buildOrderGateSchema } from '../../src/graphql/schema';

/**
 * The project's own copy of the public contract (test/contract/core.graphql): what clients were
 * promised. The schema may extend it but never break it.
 */
const CONTRACT_PATH = path.join(__dirname, '../contract/core.graphql');

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
