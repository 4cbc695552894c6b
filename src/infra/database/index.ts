export * from './database.module';
export * from './transaction-runner';
export * from './column-types';
export * from './base.entity';
export * from './data-source-options';
export * from './unique-violation';
export * from './bigint.transformer';
export * from './raw-sql';
