import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { CrmConnection } from './entities/crm-connection.entity';
import { CrmSyncLink } from './entities/crm-sync-link.entity';
import { CrmSyncRun } from './entities/crm-sync-run.entity';

type Paged<T> = { rows: T[]; nextCursor: string | null };

/** The only place that touches TypeORM for CRM connections and their runs. */
@Injectable()
export class CrmRepository {
  constructor(private readonly ds: DataSource) {}

  /** Timestamps come from the application: the column defaults (whole seconds on SQLite, microseconds on Postgres) break keyset pages. */
  insertConnection(c: Partial<CrmConnection>): Promise<CrmConnection> {
    const now = new Date();
    return this.ds.manager.save(CrmConnection, this.ds.manager.create(CrmConnection, { createdAt: now, updatedAt: now, ...c }));
  }

  findConnection(tenantId: string, id: string): Promise<CrmConnection | null> {
    return this.ds.manager.findOne(CrmConnection, { where: { tenantId, id } });
  }

  async updateConnection(id: string, patch: Partial<CrmConnection>): Promise<void> {
    await this.ds.manager.update(CrmConnection, { id }, patch as never);
  }

  async deleteConnection(tenantId: string, id: string): Promise<boolean> {
    return ((await this.ds.manager.delete(CrmConnection, { tenantId, id })).affected ?? 0) > 0;
  }

  /** Newest first (ix_crm_connections_tenant). */
  listConnections(tenantId: string, limit: number, cursor?: string): Promise<Paged<CrmConnection>> {
    return this.page(CrmConnection, 'c', 'c.tenant_id = :tenantId', { tenantId }, limit, cursor);
  }

  /** Active connections whose schedule is due (ix_crm_connections_due). */
  dueConnections(now: Date, limit: number): Promise<CrmConnection[]> {
    return this.ds.manager
      .createQueryBuilder(CrmConnection, 'c')
      .where('c.active = :on AND c.next_run_at <= :now', { on: true, now })
      .orderBy('c.next_run_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Moves a due schedule on; only one instance wins the tick (the update matches the old next_run_at). */
  async claimScheduledRun(id: string, dueAt: Date, next: Date | null): Promise<boolean> {
    const res = await this.ds.manager
      .createQueryBuilder()
      .update(CrmConnection)
      .set({ nextRunAt: next })
      .where('id = :id AND next_run_at = :dueAt', { id, dueAt })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  insertRun(r: Partial<CrmSyncRun>): Promise<CrmSyncRun> {
    const now = new Date();
    return this.ds.manager.save(CrmSyncRun, this.ds.manager.create(CrmSyncRun, { createdAt: now, updatedAt: now, ...r }));
  }

  findRun(tenantId: string, connectionId: string, id: string): Promise<CrmSyncRun | null> {
    return this.ds.manager.findOne(CrmSyncRun, { where: { tenantId, connectionId, id } });
  }

  findRunById(id: string): Promise<CrmSyncRun | null> {
    return this.ds.manager.findOne(CrmSyncRun, { where: { id } });
  }

  async updateRun(id: string, patch: Partial<CrmSyncRun>): Promise<void> {
    await this.ds.manager.update(CrmSyncRun, { id }, patch as never);
  }

  /** A run of this connection still queued or running and recently alive (ix_crm_sync_runs_connection). */
  activeRun(connectionId: string, aliveSince: Date): Promise<CrmSyncRun | null> {
    return this.ds.manager
      .createQueryBuilder(CrmSyncRun, 'r')
      .where('r.connection_id = :connectionId AND r.status IN (:...open) AND r.updated_at >= :aliveSince', { connectionId, open: ['queued', 'running'], aliveSince })
      .orderBy('r.created_at', 'DESC')
      .getOne();
  }

  listRuns(tenantId: string, connectionId: string, limit: number, cursor?: string): Promise<Paged<CrmSyncRun>> {
    return this.page(CrmSyncRun, 'r', 'r.connection_id = :connectionId AND r.tenant_id = :tenantId', { connectionId, tenantId }, limit, cursor);
  }

  async linksFor(connectionId: string, customerIds: string[]): Promise<Map<string, CrmSyncLink>> {
    if (!customerIds.length) return new Map();
    const rows = await this.ds.manager.find(CrmSyncLink, { where: { connectionId, customerId: In(customerIds) } });
    return new Map(rows.map((r) => [r.customerId, r]));
  }

  /** The customer a provider record is linked to (ix_crm_sync_links_remote). */
  async customerIdByRemote(connectionId: string, remoteId: string): Promise<string | null> {
    const row = await this.ds.manager.findOne(CrmSyncLink, { where: { connectionId, remoteId } });
    return row?.customerId ?? null;
  }

  async saveLinks(rows: Array<Pick<CrmSyncLink, 'connectionId' | 'customerId' | 'tenantId' | 'remoteId' | 'syncedVersion' | 'syncedAt'>>): Promise<void> {
    if (!rows.length) return;
    await this.ds.manager
      .createQueryBuilder()
      .insert()
      .into(CrmSyncLink)
      .values(rows)
      .orUpdate(['remote_id', 'synced_version', 'synced_at'], ['connection_id', 'customer_id'])
      .execute();
  }

  private async page<T extends { id: string; createdAt: Date }>(
    entity: new () => T,
    alias: string,
    where: string,
    params: Record<string, unknown>,
    limit: number,
    cursor?: string,
  ): Promise<Paged<T>> {
    const qb = this.ds.manager.createQueryBuilder(entity, alias).where(where, params);
    if (cursor) {
      const pos = decodeCursor(cursor);
      qb.andWhere(`(${alias}.created_at < :cv OR (${alias}.created_at = :cv AND ${alias}.id < :cid))`, { cv: new Date(String(pos.v)), cid: pos.id });
    }
    const rows = await qb.orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.createdAt.toISOString(), id: last.id }) : null };
  }
}
