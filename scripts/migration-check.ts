import 'reflect-metadata';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseArgs } from 'util';
import { buildAppConfig, databaseDriverOf } from '../src/config/app-config';
import { fail, openDataSource, print, runMain } from './support/cli';
import { createDatabase, dropDatabase, withDatabase } from './support/postgres-admin';

interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the driver DATABASE_URL selects (a temp SQLite file, or a new Postgres database). */
async function scratchDatabase(baseUrl: string | undefined): Promise<ScratchDatabase> {
  const driver = databaseDriverOf(baseUrl);
  if (driver === 'postgres') {
    const name = `ciq_migcheck_${randomBytes(5).toString('hex')}`;
    await createDatabase(baseUrl!, name);
    return { url: withDatabase(baseUrl!, name), drop: () => dropDatabase(baseUrl!, name) };
  }
  if (driver === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ciq-migcheck-'));
    return { url: `sqlite:${join(dir, 'check.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  throw new Error(`migration:check supports sqlite and postgres, not ${driver}`);
}

const sqlOf = (queries: Array<{ query: string }>): string => queries.map((q) => `${q.query.trim()};`).join('\n');

/**
 * npm run migration:check — runs every migration on a fresh database and asks TypeORM which SQL would make the
 * schema match the entities. Any SQL means entities and migrations disagree (exit 1). `--print` (npm run
 * migration:generate) prints that SQL as the body of the migration still to write.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { print: { type: 'boolean', default: false } } });
  const baseUrl = process.env.DATABASE_URL;
  const scratch = await scratchDatabase(baseUrl);
  // Entity column types are chosen from DATABASE_URL when the entity files load (after this line).
  process.env.DATABASE_URL = scratch.url;
  const driver = databaseDriverOf(scratch.url);
  let diff: { up: string; down: string };
  let ran: string[];
  try {
    const config = buildAppConfig({ DATABASE_URL: scratch.url, JWT_SECRET: 'x'.repeat(32), DATA_DIR: tmpdir() });
    const ds = await openDataSource(config);
    try {
      ran = (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
      const log = await ds.driver.createSchemaBuilder().log();
      diff = { up: sqlOf(log.upQueries), down: sqlOf([...log.downQueries].reverse()) };
    } finally {
      await ds.destroy();
    }
  } finally {
    await scratch.drop();
  }
  if (values.print) {
    if (!diff.up) print(`-- ${driver}: entities and migrations agree; no migration needed.`);
    else print(`-- ${driver}: up\n${diff.up}\n\n-- ${driver}: down\n${diff.down}`);
    return;
  }
  if (diff.up) {
    fail(
      `migration:check failed on ${driver}: after ${ran.length} migration(s) the schema differs from the entities.\n` +
        `A migration needs this SQL (or the entities are wrong):\n${diff.up}`,
    );
  }
  print(`migration:check ok on ${driver}: ${ran.length} migration(s) applied to a fresh database; entities match.`);
}

runMain(main);
