import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import { bulkInsert } from '../../infra/database/bulk-sql';
import { driverOfDataSource, inBindableChunks, sqlDialect, SqlDialect } from '../../infra/database/raw-sql';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { Purchase, PurchaseAmounts } from './entities/purchase.entity';

/** The only place that touches TypeORM for purchases. */
@Injectable()
export class PurchasesRepository {
  private readonly sql: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

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

  /** A page of the tenant's purchases that occurred in [from, to), in (occurredAt, id) order (ix_purchases_tenant_time_amounts). */
  async pageByTime(tenantId: string, from: Date, to: Date, after: { occurredAt: Date; id: string } | null, limit: number): Promise<Array<{ id: string; orderId: string; occurredAt: Date }>> {
    const qb = this.ds.manager
      .createQueryBuilder(Purchase, 'p')
      .select(['p.id', 'p.orderId', 'p.occurredAt'])
      .where('p.tenant_id = :tenantId AND p.occurred_at >= :from AND p.occurred_at < :to', { tenantId, from, to });
    if (after) qb.andWhere('(p.occurred_at > :at OR (p.occurred_at = :at AND p.id > :id))', { at: after.occurredAt, id: after.id });
    const rows = await qb.orderBy('p.occurred_at', 'ASC').addOrderBy('p.id', 'ASC').take(limit).getMany();
    return rows.map((r) => ({ id: r.id, orderId: r.orderId, occurredAt: r.occurredAt }));
  }

  /** A hard-deleted customer's purchases (ix_purchases_customer_metrics). */
  async deleteForCustomer(tenantId: string, customerId: string, manager: EntityManager): Promise<void> {
    await manager.delete(Purchase, { tenantId, customerId });
  }

  /**
   * The amounts of the purchases of these order ids (uq_purchases_tenant_order); unknown ids are left out. Not the
   * whole rows: a loyalty sync reads hundreds at a time, and each row's items document was most of the read.
   */
  findAmountsByOrderIds(tenantId: string, orderIds: string[]): Promise<PurchaseAmounts[]> {
    return inBindableChunks(this.sql, orderIds, (ids) =>
      this.m()
        .createQueryBuilder(Purchase, 'p')
        .select(['p.id', 'p.tenantId', 'p.customerId', 'p.orderId', 'p.amountMinor', 'p.refundedMinor', 'p.currency'])
        .where(`p.tenant_id = :tenantId AND ${this.sql.textIn('p.order_id', 'ids')}`, { tenantId, ids })
        .getMany(),
    );
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

  /** Many purchases in one statement, skipping orderIds already recorded (uq_purchases_tenant_order); returns the ids inserted. */
  async insertManyIfNew(rows: Array<Partial<Purchase> & { id: string }>, manager: EntityManager): Promise<Set<string>> {
    // Sorted by orderId so concurrent batches take the unique-index entries in the same order.
    const sorted = [...rows].sort((a, b) => (a.orderId! < b.orderId! ? -1 : a.orderId! > b.orderId! ? 1 : 0));
    const inserted = await bulkInsert<{ id: string }>(
      manager,
      {
        table: 'purchases',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'order_id', kind: 'text' },
          { name: 'amount_minor', kind: 'bigint' }, { name: 'refunded_minor', kind: 'bigint' }, { name: 'currency', kind: 'text' },
          { name: 'status', kind: 'text' }, { name: 'channel', kind: 'text' }, { name: 'items', kind: 'jsonDocument' }, { name: 'occurred_at', kind: 'timestamp' },
          { name: 'source_event_id', kind: 'uuid' },
        ],
        onConflict: 'ignore',
        returning: ['id'],
      },
      sorted.map((p) => ({
        id: p.id, tenant_id: p.tenantId, customer_id: p.customerId, order_id: p.orderId, amount_minor: p.amountMinor, refunded_minor: p.refundedMinor ?? 0,
        currency: p.currency, status: p.status, channel: p.channel ?? null, items: p.items ?? [], occurred_at: p.occurredAt, source_event_id: p.sourceEventId ?? null,
      })),
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** ix_purchases_customer_time */
  async totalsForCustomer(tenantId: string, customerId: string): Promise<{ orderCount: number; grossMinor: number; refundedMinor: number; currency: string | null; firstPurchaseAt: Date | null; lastPurchaseAt: Date | null }> {
    const r = await this.ds.manager
      .createQueryBuilder(Purchase, 'p')
      .select('COUNT(*)', 'n')
      .addSelect('COALESCE(SUM(p.amount_minor), 0)', 'gross')
      .addSelect('COALESCE(SUM(p.refunded_minor), 0)', 'refunded')
      .addSelect('MAX(p.currency)', 'currency')
      .addSelect('MIN(p.occurred_at)', 'first')
      .addSelect('MAX(p.occurred_at)', 'last')
      .where('p.tenant_id = :tenantId AND p.customer_id = :customerId', { tenantId, customerId })
      .getRawOne<{ n: string; gross: string; refunded: string; currency: string | null; first: string | Date | null; last: string | Date | null }>();
    const date = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(/Z|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`));
    return {
      orderCount: Number(r?.n ?? 0), grossMinor: Number(r?.gross ?? 0), refundedMinor: Number(r?.refunded ?? 0), currency: r?.currency ?? null,
      firstPurchaseAt: date(r?.first), lastPurchaseAt: date(r?.last),
    };
  }

  latestForCustomer(tenantId: string, customerId: string, limit: number): Promise<Purchase[]> {
    return this.ds.manager.find(Purchase, { where: { tenantId, customerId }, order: { occurredAt: 'DESC', id: 'DESC' }, take: limit });
  }
}
