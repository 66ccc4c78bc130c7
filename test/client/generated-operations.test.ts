import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { buildOrderGateSchema } from '../../src/graphql/schema';
import { PROJECT_ROOT } from '../support/server';

// The SDK's operation types are generated (codegen.yml). A stale file would let the client build
// against a schema that has moved on, a new union member unseen. This runs codegen.yml's SDK
// target with `--check` against the schema the server builds now (as SDL, so no build is needed).
const TARGET = 'src/client/generated.ts';
const CODEGEN = path.join(PROJECT_ROOT, 'node_modules/@graphql-codegen/cli/cjs/bin.js');

interface CodegenYml {
  generates: Record<string, unknown>;
}

describe(TARGET, () => {
  it('is what `npm run codegen` makes from src/client/operations and the current schema (else run it and commit)', async () => {
    const codegenYml = parseYaml(await readFile(path.join(PROJECT_ROOT, 'codegen.yml'), 'utf8')) as CodegenYml;
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'og-codegen-'));
    try {
      const schemaFile = path.join(scratch, 'schema.graphql');
      await writeFile(schemaFile, printSchema(lexicographicSortSchema(await buildOrderGateSchema())));
      const configFile = path.join(scratch, 'codegen.json');
      await writeFile(
        configFile,
        JSON.stringify({ schema: schemaFile, generates: { [TARGET]: codegenYml.generates[TARGET] } }),
      );
      const check = await promisify(execFile)(process.execPath, [CODEGEN, '--config', configFile, '--check'], {
        cwd: PROJECT_ROOT,
      }).then(
        () => ({ stale: false, output: '' }),
        (error: { stdout?: string; stderr?: string }) => ({
          stale: true,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      if (check.stale) throw new Error(`${TARGET} is stale: run \`npm run codegen\` and commit it.\n${check.output}`);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    expect(await readFile(path.join(PROJECT_ROOT, TARGET), 'utf8')).toContain("__typename: 'PossibleDuplicate'");
  });
});
