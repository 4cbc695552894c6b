import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
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

  updateRefund(id: string, refundedMinor: number, status: Purchase['status'], manager?: EntityManager): Promise<unknown> {
    return this.m(manager).update(Purchase, { id }, { refundedMinor, status });
  }
}
