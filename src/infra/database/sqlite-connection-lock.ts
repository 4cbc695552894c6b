import { AsyncLocalStorage } from 'async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** Which transaction (lock holder) the current async context belongs to. */
const connectionContext = new AsyncLocalStorage<symbol>();

/**
 * Runs `fn` outside any transaction's async context: background work started while a transaction is open
 * (in-process jobs) must wait for the lock like any other request instead of slipping into that transaction.
 */
export function runDetached<T>(fn: () => T): T {
  return connectionContext.exit(fn);
}

/** A FIFO lock whose holder is an async context: work started inside the holder's context passes through. */
export class ConnectionLock {
  private readonly context = connectionContext;
  private holder: symbol | null = null;
  private readonly waiters: Array<{ owner: symbol; grant: () => void }> = [];

  /** True when the caller runs inside the context that holds the lock (nested work of the same transaction). */
  holds(): boolean {
    return this.holder !== null && this.context.getStore() === this.holder;
  }

  /** Runs `work` alone: everything it starts (in its async context) shares the lock; others wait their turn. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.holds()) return work();
    const owner = Symbol('sqlite-connection');
    if (this.holder === null) this.holder = owner;
    else await new Promise<void>((grant) => this.waiters.push({ owner, grant }));
    try {
      return await this.context.run(owner, work);
    } finally {
      const next = this.waiters.shift();
      this.holder = next?.owner ?? null;
      next?.grant();
    }
  }
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/**
 * TypeORM gives better-sqlite3 one shared connection, so concurrent transactions become savepoints of each other:
 * one request's ROLLBACK undoes another request's acknowledged COMMIT, and a plain query from a third request
 * lands inside whichever transaction is open. This turns the connection into a lock: a transaction (explicit, or
 * the implicit one of save/remove) holds it from BEGIN to COMMIT/ROLLBACK, work in that transaction's async context
 * passes, and every other query waits. SQLite has one writer anyway, so little concurrency is lost.
 */
export function serializeSqliteConnection(ds: DataSource): ConnectionLock {
  const lock = new ConnectionLock();
  const guard = <T extends object>(target: T, methods: string[]): void => {
    for (const name of methods) {
      const original = (target as Record<string, AnyFn>)[name].bind(target);
      (target as Record<string, AnyFn>)[name] = (...args: unknown[]) => lock.exclusive(() => original(...args));
    }
  };
  // Units of work that may open a transaction on the shared connection.
  guard<EntityManager>(ds.manager, ['transaction', 'save', 'remove', 'softRemove', 'recover']);
  const shared: QueryRunner = ds.createQueryRunner();
  guard<EntityManager>(shared.manager, ['transaction', 'save', 'remove', 'softRemove', 'recover']);
  // Single statements from outside the holding transaction.
  guard<QueryRunner>(shared, ['query']);
  return lock;
}
