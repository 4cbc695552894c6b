import { AsyncLocalStorage } from 'async_hooks';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** Runs work in one transaction; repositories accept the EntityManager it hands out. */
@Injectable()
export class TransactionRunner {
  private readonly log = new Logger('TransactionRunner');
  /** Callbacks waiting for the commit of the transaction whose async context they were registered in. */
  private static readonly pending = new AsyncLocalStorage<Array<() => void>>();
  private get pending(): AsyncLocalStorage<Array<() => void>> {
    return TransactionRunner.pending;
  }

  /** Runs `fn` with no enclosing transaction's after-commit list (background work started inside one). */
  static detached<T>(fn: () => T): T {
    return TransactionRunner.pending.exit(fn);
  }

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const callbacks: Array<() => void> = [];
    const result = await this.pending.run(callbacks, () => this.dataSource.transaction(work));
    for (const callback of callbacks) {
      try {
        callback();
      } catch (e) {
        this.log.error({ err: e }, 'after-commit callback failed');
      }
    }
    return result;
  }

  /**
   * Runs `callback` once the caller's transaction has committed (dropped if it rolls back), or at once when
   * `manager` is undefined. Services that accept an outer EntityManager use it to emit domain events only for
   * changes that were actually committed.
   */
  afterCommit(manager: EntityManager | undefined, callback: () => void): void {
    const callbacks = manager ? this.pending.getStore() : undefined;
    if (callbacks) callbacks.push(callback);
    else callback();
  }

  get driver(): 'sqlite' | 'postgres' | 'mssql' {
    const t = this.dataSource.options.type;
    return t === 'better-sqlite3' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
  }
}
