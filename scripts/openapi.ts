import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { parseArgs } from 'util';
import { buildAppConfig, useAppConfig } from '../src/config/app-config';
import { fail, print, runMain } from './support/cli';

const OUT = join(__dirname, '..', '..', 'openapi', 'openapi.json');
const RELATIVE_OUT = 'openapi/openapi.json';

/** Same value with object keys sorted at every level, so the file only changes when the API does. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(obj).sort().map((k) => [k, sortKeys(obj[k])]));
  }
  return value;
}

async function renderDocument(): Promise<string> {
  // An in-memory database and fixed secret: the document must not depend on the machine or its environment.
  process.env.DATABASE_URL = 'sqlite::memory:';
  const config = buildAppConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', JWT_SECRET: 'openapi-openapi-openapi-openapi-openapi', LOG_LEVEL: 'silent' });
  useAppConfig(config);
  const { createApp } = await import('../src/app.factory');
  const { buildOpenApiDocument } = await import('../src/swagger');
  const app = await createApp(config, { logger: false });
  try {
    await app.init();
    return `${JSON.stringify(sortKeys(buildOpenApiDocument(app)), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

/** npm run openapi — writes openapi/openapi.json; `--check` exits 1 when the committed file is stale. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const doc = await renderDocument();
  if (values.check) {
    const committed = existsSync(OUT) ? readFileSync(OUT, 'utf8') : null;
    if (committed === null) fail(`${RELATIVE_OUT} is missing: run \`npm run build && npm run openapi\` and commit it.`);
    if (committed !== doc) {
      fail(`${RELATIVE_OUT} is out of date with the code: run \`npm run build && npm run openapi\` and commit the result.`);
    }
    print(`${RELATIVE_OUT} is up to date.`);
    return;
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, doc);
  print(`Wrote ${RELATIVE_OUT} (${Object.keys((JSON.parse(doc) as { paths: object }).paths).length} paths).`);
}

runMain(main);
