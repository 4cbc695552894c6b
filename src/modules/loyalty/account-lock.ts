/**
 * Runs work for one key at a time inside this process. Used on SQLite only: TypeORM shares one better-sqlite3
 * connection, so there is no row lock to take, and a redeem's balance check and its write must not interleave
 * with another change of the same account. Postgres and SQL Server lock the account row instead.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
