// Runs before each test file's imports: entity column types follow the driver in DATABASE_URL.
// TEST_DATABASE_URL=postgres://... runs the suite on Postgres (a fresh database per test file); unset = SQLite.
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'sqlite::memory:';
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
