#!/usr/bin/env node
// `prisma generate` does not use the native schema engine, but the CLI checks for one and tries
// to download it first, which fails without internet. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any
// existing file skips that download (see docs/migrations.md).
const { spawnSync } = require('node:child_process');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
