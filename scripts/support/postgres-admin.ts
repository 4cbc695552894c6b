import { Client } from 'pg';

const SAFE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The same server and credentials as `baseUrl`, another database. */
export function withDatabase(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(baseUrl: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: baseUrl });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

function checked(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`Unsafe database name: ${name}`);
  return name;
}

export function databaseExists(baseUrl: string, name: string): Promise<boolean> {
  return admin(baseUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export function createDatabase(baseUrl: string, name: string): Promise<void> {
  return admin(baseUrl, async (c) => {
    await c.query(`CREATE DATABASE ${checked(name)}`);
  });
}

export function dropDatabase(baseUrl: string, name: string): Promise<void> {
  return admin(baseUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
  });
}
