/** @type {import('jest').Config} */
// The distributed suites: each starts its own Redis (a 3+3 Cluster, standalone servers, a delaying
// proxy) and several built server processes (`npm run build` first), so they run apart from the
// in-process suites, one file per worker.
module.exports = {
  ...require('./jest.config'),
  testMatch: ['<rootDir>/test/distributed/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
};
