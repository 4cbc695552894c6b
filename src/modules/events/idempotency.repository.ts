import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { bulkInsert } from '../../infra/database';
import { IdempotencyKey } from './entities/idempotency-key.entity';

/** The only place that touches TypeORM for idempotency keys. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  /** Claims (tenant, key) for a request (uq_idempotency_keys_tenant_key); returns the row and whether this call made it. */
  async claim(tenantId: string, key: string, requestHash: string): Promise<{ row: IdempotencyKey; claimed: boolean }> {
    const id = randomUUID();
    await bulkInsert(
      this.ds.manager,
      {
        table: 'idempotency_keys',
        columns: [{ name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'idempotency_key', kind: 'text' }, { name: 'request_hash', kind: 'text' }, { name: 'created_at', kind: 'timestamp' }],
        onConflict: 'ignore',
      },
      [{ id, tenant_id: tenantId, idempotency_key: key, request_hash: requestHash, created_at: new Date() }],
    );
    const row = (await this.ds.manager.findOne(IdempotencyKey, { where: { tenantId, idempotencyKey: key } }))!;
    return { row, claimed: row.id === id };
  }

  async complete(id: string, statusCode: number, response: unknown): Promise<void> {
    await this.ds.manager.update(IdempotencyKey, { id }, { statusCode, response: response as never });
  }

  /** Frees a key whose request failed (or was abandoned) so a retry can run. */
  async release(id: string): Promise<void> {
    await this.ds.manager.delete(IdempotencyKey, { id });
  }
}
