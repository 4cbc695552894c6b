import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { Purchase } from './entities/purchase.entity';

/** The only place that touches TypeORM for purchases. */
@Injectable()
export class PurchasesRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /**
   * Inserts unless (tenant, orderId) exists (uq_purchases_tenant_order), without aborting an outer transaction.
   * Returns the stored row and whether this call inserted it (its id is the one we generated).
   */
  async insertIfNew(p: Partial<Purchase>, manager?: EntityManager): Promise<{ purchase: Purchase; inserted: boolean }> {
    const id = randomUUID();
    await this.m(manager).createQueryBuilder().insert().into(Purchase).values({ ...p, id } as never).orIgnore().execute();
    const purchase = (await this.findByOrderId(p.tenantId!, p.orderId!, manager))!;
    return { purchase, inserted: purchase.id === id };
  }

  findByOrderId(tenantId: string, orderId: string, manager?: EntityManager): Promise<Purchase | null> {
    return this.m(manager).findOne(Purchase, { where: { tenantId, orderId } });
  }

  /** Newest first on ix_purchases_customer_metrics (tenant_id, customer_id, occurred_at, ...); ties broken by id. */
  async listForCustomer(tenantId: string, customerId: string, limit: number, cursor?: string): Promise<{ rows: Purchase[]; nextCursor: string | null }> {
    const qb = this.ds.manager
      .createQueryBuilder(Purchase, 'p')
      .where('p.tenant_id = :tenantId AND p.customer_id = :customerId', { tenantId, customerId });
    if (cursor) {
      const pos = decodeCursor(cursor);
      qb.andWhere('(p.occurred_at < :cv OR (p.occurred_at = :cv AND p.id < :cid))', { cv: new Date(String(pos.v)), cid: pos.id });
    }
    const rows = await qb.orderBy('p.occurred_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.occurredAt.toISOString(), id: last.id }) : null };
  }

  updateRefund(id: string, refundedMinor: number, status: Purchase['status'], manager?: EntityManager): Promise<unknown> {
    return this.m(manager).update(Purchase, { id }, { refundedMinor, status });
  }
}
