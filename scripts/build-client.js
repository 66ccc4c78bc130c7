// Bundles the client SDK (src/client) into one browser script for the demo page:
// dist/demo/order-gate-sdk.js, exposing the global `OrderGate`. Run by `npm run build`.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

esbuild
  .build({
    entryPoints: [path.join(root, 'src/client/index.ts')],
    outfile: path.join(root, 'dist/demo/order-gate-sdk.js'),
    bundle: true,
    format: 'iife',
    globalName: 'OrderGate',
    // The SDK must not need Node: bundling for the browser fails on any Node built-in.
    platform: 'browser',
    target: ['es2020'],
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));
