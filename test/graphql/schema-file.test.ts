import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import type { GraphQLObjectType } from 'graphql';
import { buildOrderGateSchema } from '../../src/graphql/schema';
import { PROJECT_ROOT } from '../support/server';

const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema.graphql');

/** The SDL as codegen's schema-ast plugin writes it: sorted by name, graphql-js's printer. */
async function currentSdl(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildOrderGateSchema()));
}

/** The first line where two texts differ, for a message a reader can act on. */
function firstDifference(committed: string, current: string): string {
  const a = committed.split('\n');
  const b = current.split('\n');
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: committed ${JSON.stringify(a[at] ?? '<end>')}, server ${JSON.stringify(b[at] ?? '<end>')}`;
}

describe('schema.graphql', () => {
  it('is the SDL of the schema the server builds (else run `npm run codegen` and commit it)', async () => {
    const committed = await readFile(SCHEMA_FILE, 'utf8');
    const current = await currentSdl();
    if (committed !== current) {
      throw new Error(
        `schema.graphql is stale (${firstDifference(committed, current)}).\n` +
          'Regenerate it with `npm run codegen` and commit schema.graphql and test/operations/generated.ts.',
      );
    }
    expect(committed).toContain('union CreateOrderResult =');
  });

  it('says what a PossibleDuplicate candidate is with and without a risk model (docs/risk.md, "Online use")', async () => {
    // Found from outside: "The recent equivalent order", while with a model on the candidate is any
    // same-cart order within the lookback that the model scores high enough, equivalent or not.
    const schema = await buildOrderGateSchema();
    const possible = schema.getType('PossibleDuplicate') as GraphQLObjectType;
    const held = schema.getType('HeldOrder') as GraphQLObjectType;
    for (const description of [
      possible.getFields()['candidate'].description,
      held.getFields()['candidateOrderId'].description,
    ]) {
      expect(description).toMatch(/equivalent/);
      expect(description).toMatch(/risk model/);
    }
  });
});
