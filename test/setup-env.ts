// Runs before every e2e spec file. The services come from `npm test` (scripts/test.js).
process.env.TZ = 'UTC';
if (!process.env.TEST_MONGODB_BASE || !process.env.REDIS_URL) {
  throw new Error(
    'E2E tests need TEST_MONGODB_BASE and REDIS_URL: run them with `npm test`, which starts the services',
  );
}
