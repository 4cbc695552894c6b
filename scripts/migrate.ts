import 'reflect-metadata';
import { loadAppConfig } from '../src/config/app-config';
import { describeDatabase, fail, openDataSource, print, runMain } from './support/cli';

/** npm run migration:run — applies pending migrations to the database DATABASE_URL names. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig();
  } catch (e) {
    fail((e as Error).message);
  }
  const ds = await openDataSource(config);
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    const target = describeDatabase(config);
    if (ran.length === 0) print(`No pending migrations (${target}).`);
    else {
      print(`Applied ${ran.length} migration(s) to ${target}:`);
      for (const m of ran) print(`  ${m.name}`);
    }
  } finally {
    await ds.destroy();
  }
}

runMain(main);
