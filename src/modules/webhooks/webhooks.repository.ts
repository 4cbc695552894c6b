import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';

/** The only place that touches TypeORM for webhook endpoints. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly ds: DataSource) {}

  get manager(): EntityManager {
    return this.ds.manager;
  }

  /** Timestamps come from the application: the column defaults (whole seconds on SQLite, microseconds on Postgres) break keyset pages. */
  insert(endpoint: Partial<WebhookEndpoint>): Promise<WebhookEndpoint> {
    const now = new Date();
    return this.ds.manager.save(WebhookEndpoint, this.ds.manager.create(WebhookEndpoint, { createdAt: now, updatedAt: now, ...endpoint }));
  }

  findById(tenantId: string, id: string): Promise<WebhookEndpoint | null> {
    return this.ds.manager.findOne(WebhookEndpoint, { where: { tenantId, id } });
  }

  /** Newest first, keyset on (created_at, id) (ix_webhook_endpoints_tenant). */
  async list(tenantId: string, limit: number, cursor?: string): Promise<{ rows: WebhookEndpoint[]; nextCursor: string | null }> {
    const qb = this.ds.manager.createQueryBuilder(WebhookEndpoint, 'w').where('w.tenant_id = :tenantId', { tenantId });
    if (cursor) {
      const pos = decodeCursor(cursor);
      qb.andWhere('(w.created_at < :cv OR (w.created_at = :cv AND w.id < :cid))', { cv: new Date(String(pos.v)), cid: pos.id });
    }
    const rows = await qb.orderBy('w.created_at', 'DESC').addOrderBy('w.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /** Active endpoints of a tenant: what an event is matched against (ix_webhook_endpoints_tenant). */
  activeForTenant(tenantId: string): Promise<WebhookEndpoint[]> {
    return this.ds.manager.find(WebhookEndpoint, { where: { tenantId, active: true } });
  }

  async update(tenantId: string, id: string, patch: Partial<WebhookEndpoint>): Promise<void> {
    await this.ds.manager.update(WebhookEndpoint, { tenantId, id }, patch);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.ds.manager.delete(WebhookEndpoint, { tenantId, id });
    return (res.affected ?? 0) > 0;
  }

  /** Counts a delivery that used up its attempts; disables the endpoint at `threshold`. True when it was disabled now. */
  async recordExhaustedDelivery(id: string, now: Date, threshold: number): Promise<boolean> {
    await this.ds.manager
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({ consecutiveFailures: () => 'consecutive_failures + 1' } as never)
      .where('id = :id', { id })
      .execute();
    const res = await this.ds.manager
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({ active: false, disabledReason: 'too_many_failures', disabledAt: now })
      .where('id = :id AND active = :on AND consecutive_failures >= :threshold', { id, on: true, threshold })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /** First failed attempt since the last success. */
  async markFailing(id: string, now: Date): Promise<void> {
    await this.ds.manager.createQueryBuilder().update(WebhookEndpoint).set({ failingSince: now }).where('id = :id AND failing_since IS NULL', { id }).execute();
  }

  async markHealthy(id: string): Promise<void> {
    await this.ds.manager
      .createQueryBuilder()
      .update(WebhookEndpoint)
      .set({ consecutiveFailures: 0, failingSince: null })
      .where('id = :id AND (consecutive_failures > 0 OR failing_since IS NOT NULL)', { id })
      .execute();
  }

  async disable(id: string, reason: 'gone' | 'too_many_failures', now: Date): Promise<void> {
    await this.ds.manager.update(WebhookEndpoint, { id }, { active: false, disabledReason: reason, disabledAt: now });
  }
}
