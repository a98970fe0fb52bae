// Two projects: unit specs beside the code (pure logic, no services) and e2e specs in test/ (real FerretDB/MongoDB,
// Redis and SMTP). `npm test` (scripts/test.js) starts the services and runs both.
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
};
module.exports = {
  testTimeout: 60000,
  // Two suites at a time even on a 2-core machine (jest's default there is one): the e2e suites mostly wait on
  // FerretDB, Redis, SMTP and timers, each in its own database, so two overlap well; CI must stay within 20 minutes.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testRegex: 'test/.*\\.e2e-spec\\.ts$',
      setupFiles: ['<rootDir>/test/setup-env.ts'],
    },
  ],
};
