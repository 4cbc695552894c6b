import { mkdirSync } from 'fs';
import { dirname, join } from 'path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { wordSimilarity } from '../../shared/trigram';
import { SnakeNamingStrategy } from './snake-naming.strategy';

interface SqliteHandle {
  pragma(s: string): unknown;
  function(name: string, opts: { deterministic: boolean }, fn: (...args: unknown[]) => unknown): unknown;
}

const ROOT = join(__dirname, '..', '..');
/** Every entity and migration under src/, compiled or not (ts-node / swc-jest load .ts). */
export const ENTITY_GLOBS = [join(ROOT, 'modules', '**', 'entities', '*.entity.{ts,js}')];
export const MIGRATION_GLOBS = [join(ROOT, 'migrations', '*.{ts,js}')];

/** TypeORM options for the driver DATABASE_URL selects. Schema changes only through migrations. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITY_GLOBS,
    migrations: MIGRATION_GLOBS.filter((g) => !g.endsWith('.d.ts')),
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logging: ['error' as const],
  };
  const db = config.database;
  if (db.driver === 'sqlite') {
    if (db.sqlitePath !== ':memory:') mkdirSync(dirname(db.sqlitePath), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database: db.sqlitePath,
      // WAL lets readers run beside the single writer; foreign keys enforce cascades.
      prepareDatabase: (sqlite: SqliteHandle) => {
        sqlite.function('ciq_word_similarity', { deterministic: true }, (q, t) => wordSimilarity(String(q ?? ''), String(t ?? '')));
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('foreign_keys = ON');
        sqlite.pragma('busy_timeout = 5000');
        sqlite.pragma('synchronous = NORMAL');
      },
    };
  }
  if (db.driver === 'mssql') {
    return { ...common, type: 'mssql', url: db.url, options: { encrypt: false, trustServerCertificate: true } } as DataSourceOptions;
  }
  return {
    ...common,
    type: 'postgres',
    url: db.url,
    extra: { max: 20, options: '-c timezone=UTC' },
  };
}
