'use strict';
// Run after tsc (npm run build): the ES module face of the CommonJS build, for package.json's
// "import" conditions.
//
// An ES module importing this package got the CommonJS declarations, whose imports of the peers
// resolve as CommonJS too. @apollo/server ships one set of types per format, and its HeaderMap has
// a private member, so ApolloServerPluginIdempotency's plugin (typed by the CommonJS copy) was not
// assignable to the ApolloServer an ES module constructs (typed by the ES copy): TS2322/TS2375,
// "Types have separate declarations of a private property '__identity'".
//
// So each declaration file gets an ES twin (.d.mts) whose relative imports name the twins, and whose
// imports of the peers therefore resolve as an ES module's. The code stays the CommonJS build: each
// entry point's .mjs re-exports it (Node reads its names), so an application that both imports and
// requires the package still has one copy of its state. The peers it calls at run time therefore
// load as CommonJS (README.md, Install: only type-graphql's does, and why that is harmless).
const { readFileSync, readdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const DIST = path.resolve(__dirname, '..', 'dist');
/** The entry points of package.json's "exports". */
const ENTRIES = ['index', 'envelop', 'apollo', 'type-graphql'];

/** `from './x'`, `import('./x')`: a relative module specifier, which names a twin once `.mjs` is added. */
const RELATIVE = /(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g;

for (const name of readdirSync(DIST).filter((file) => file.endsWith('.d.ts'))) {
  const declarations = readFileSync(path.join(DIST, name), 'utf8');
  const twin = declarations.replace(RELATIVE, (_match, before, quote, specifier) => {
    return `${before}${quote}${specifier}.mjs${quote}`;
  });
  writeFileSync(path.join(DIST, name.replace(/\.d\.ts$/, '.d.mts')), twin);
}

for (const entry of ENTRIES) {
  const code = `export * from './${entry}.js';\nexport { default } from './${entry}.js';\n`;
  writeFileSync(path.join(DIST, `${entry}.mjs`), code);
}
