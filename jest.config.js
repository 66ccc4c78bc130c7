/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
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
