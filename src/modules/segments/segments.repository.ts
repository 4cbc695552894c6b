import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';
import { SegmentMember } from './entities/segment-member.entity';
import { Segment } from './entities/segment.entity';

export interface CompiledRule {
  sql: string;
  params: Record<string, unknown>;
}

export interface CustomerSummaryRow {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  company_name: string | null;
  status: string;
  type: string;
  created_at: Date | string;
}

/** Segments and their members; membership is computed with set-based SQL over customers (by table name). */
@Injectable()
export class SegmentsRepository {
  readonly dialect: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.dialect = sqlDialect(driverOfDataSource(ds));
  }

  find(tenantId: string, id: string): Promise<Segment | null> {
    return this.ds.manager.findOne(Segment, { where: { tenantId, id } });
  }

  findByName(tenantId: string, name: string): Promise<Segment | null> {
    return this.ds.manager.findOne(Segment, { where: { tenantId, name } });
  }

  list(tenantId: string): Promise<Segment[]> {
    return this.ds.manager.find(Segment, { where: { tenantId }, order: { name: 'ASC' }, take: 500 });
  }

  save(segment: Partial<Segment>, manager?: EntityManager): Promise<Segment> {
    const m = manager ?? this.ds.manager;
    return m.save(Segment, m.create(Segment, segment));
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.ds.manager.delete(Segment, { tenantId, id });
  }

  async setEvaluated(id: string, at: Date): Promise<void> {
    await this.ds.manager.createQueryBuilder().update(Segment).set({ evaluatedAt: at, version: () => 'version', updatedAt: () => 'updated_at' } as never).where('id = :id', { id }).execute();
  }

  async tenantIds(): Promise<string[]> {
    const { rows } = await runSql<{ tenant_id: string }>(this.ds, 'SELECT DISTINCT tenant_id FROM segments');
    return rows.map((r) => r.tenant_id);
  }

  /** Member counts per segment of a tenant (primary key prefix of segment_members). */
  async memberCounts(tenantId: string): Promise<Map<string, number>> {
    const rows = await this.ds.manager
      .createQueryBuilder(SegmentMember, 'm')
      .select('m.segment_id', 'segment_id')
      .addSelect('COUNT(*)', 'n')
      .where('m.tenant_id = :tenantId', { tenantId })
      .groupBy('m.segment_id')
      .getRawMany<{ segment_id: string; n: string | number }>();
    return new Map(rows.map((r) => [r.segment_id, Number(r.n)]));
  }

  /**
   * Adds the customers the rule matches and who are not members yet; returns who entered. ON CONFLICT DO NOTHING
   * with RETURNING means two concurrent evaluations report each entry once.
   */
  async addMatching(tenantId: string, segmentId: string, rule: CompiledRule, now: Date, customerIds?: string[]): Promise<string[]> {
    const only = customerIds ? ` AND ${this.dialect.uuidIn('c.id', 'sgm_customers')}` : '';
    const { rows } = await runSql<{ customer_id: string }>(
      this.ds,
      `INSERT INTO segment_members (segment_id, customer_id, tenant_id, entered_at)
       SELECT ${this.dialect.cast(':sgm_segment', 'uuid')}, c.id, c.tenant_id, ${this.dialect.cast(':sgm_now', 'timestamp')}
       FROM customers c
       WHERE c.tenant_id = :sgm_tenant AND c.deleted_at IS NULL${only} AND ${rule.sql}
         AND NOT EXISTS (SELECT 1 FROM segment_members sm WHERE sm.segment_id = :sgm_segment AND sm.customer_id = c.id)
       ON CONFLICT (segment_id, customer_id) DO NOTHING
       RETURNING customer_id`,
      { ...rule.params, sgm_tenant: tenantId, sgm_segment: segmentId, sgm_now: now, sgm_customers: customerIds },
    );
    return rows.map((r) => r.customer_id);
  }

  /** Removes members the rule no longer matches (or who were deleted); returns who left. */
  async removeUnmatched(tenantId: string, segmentId: string, rule: CompiledRule, customerIds?: string[]): Promise<string[]> {
    const only = customerIds ? ` AND ${this.dialect.uuidIn('customer_id', 'sgm_customers')}` : '';
    const { rows } = await runSql<{ customer_id: string }>(
      this.ds,
      `DELETE FROM segment_members
       WHERE segment_id = :sgm_segment${only}
         AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = segment_members.customer_id AND c.tenant_id = :sgm_tenant
           AND c.deleted_at IS NULL AND ${rule.sql})
       RETURNING customer_id`,
      { ...rule.params, sgm_tenant: tenantId, sgm_segment: segmentId, sgm_customers: customerIds },
    );
    return rows.map((r) => r.customer_id);
  }

  /** How many live customers a rule matches, and the newest `limit` of them (ix_customers_tenant_created). */
  async preview(tenantId: string, rule: CompiledRule, limit: number): Promise<{ count: number; rows: CustomerSummaryRow[] }> {
    const where = `c.tenant_id = :sgm_tenant AND c.deleted_at IS NULL AND ${rule.sql}`;
    const params = { ...rule.params, sgm_tenant: tenantId };
    const count = await runSql<{ n: number | string }>(this.ds, `SELECT COUNT(*) AS n FROM customers c WHERE ${where}`, params);
    const { rows } = await runSql<CustomerSummaryRow>(
      this.ds,
      `SELECT c.id, c.email, c.first_name, c.last_name, c.company_name, c.status, c.type, c.created_at FROM customers c
       WHERE ${where} ORDER BY c.created_at DESC, c.id DESC LIMIT ${Math.trunc(limit)}`,
      params,
    );
    return { count: Number(count.rows[0]?.n ?? 0), rows };
  }
  /** Whether the customer is currently a member (primary key of segment_members). */
  async isMember(segmentId: string, customerId: string): Promise<boolean> {
    const { rows } = await runSql(this.ds, 'SELECT 1 AS one FROM segment_members WHERE segment_id = :s AND customer_id = :c', { s: segmentId, c: customerId });
    return rows.length > 0;
  }

  /** Member ids in customer-id order after `after` (primary key segment_id, customer_id: a keyset walk). */
  async memberIds(segmentId: string, after: string | null, limit: number): Promise<string[]> {
    const { rows } = await runSql<{ customer_id: string }>(
      this.ds,
      `SELECT customer_id FROM segment_members WHERE segment_id = :s${after ? ' AND customer_id > :after' : ''}
       ORDER BY customer_id LIMIT ${Math.trunc(limit)}`,
      { s: segmentId, after },
    );
    return rows.map((r) => r.customer_id);
  }
}
