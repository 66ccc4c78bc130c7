/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/graphql-idempotency/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/packages/graphql-idempotency/test/**/*.test.ts'],
  // The workspace package from its source (tsconfig.json's paths), so that tests see it as it is now.
  moduleNameMapper: {
    '^graphql-idempotency$': '<rootDir>/packages/graphql-idempotency/src/index.ts',
    '^graphql-idempotency/(.*)$': '<rootDir>/packages/graphql-idempotency/src/$1',
    // The client SDK names its relative imports as ES modules do (`./retry.js`, for Node projects
    // of `module: nodenext`); from source they are the .ts files.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Multi-process suites (clusters, several servers, regions, faults) run with `npm run test:distributed`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/distributed/'],
  transform: {
    // isolatedModules: transpile only (the build's `tsc` already type-checks), with decorator metadata.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  setupFiles: ['reflect-metadata'],
  testTimeout: 60_000,
  // Integration suites each make their own database; two workers match the machine's two cores.
  maxWorkers: 2,
};
