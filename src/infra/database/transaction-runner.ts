import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** Runs work in one transaction; repositories accept the EntityManager it hands out. */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get driver(): 'sqlite' | 'postgres' | 'mssql' {
    const t = this.dataSource.options.type;
    return t === 'better-sqlite3' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
  }
}
