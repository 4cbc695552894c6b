import { Global, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { serializeSqliteConnection } from './sqlite-connection-lock';
import { TransactionRunner } from './transaction-runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
      dataSourceFactory: async (options) => {
        const ds = await new DataSource(options!).initialize();
        if (options!.type === 'better-sqlite3') serializeSqliteConnection(ds);
        return ds;
      },
    }),
  ],
  providers: [
    TransactionRunner,
    {
      provide: 'MIGRATIONS_AT_START',
      inject: [DataSource, APP_CONFIG],
      useFactory: async (ds: DataSource, config: AppConfig) => {
        if (!config.database.migrateOnStart) return false;
        const ran = await ds.runMigrations({ transaction: 'each' });
        if (ran.length) new Logger('Database').log(`applied ${ran.length} migration(s): ${ran.map((m) => m.name).join(', ')}`);
        return true;
      },
    },
  ],
  exports: [TransactionRunner, 'MIGRATIONS_AT_START'],
})
export class DatabaseModule {}
