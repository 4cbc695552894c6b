import { Injectable, OnModuleInit } from '@nestjs/common';
import { CustomerFilterClause, CustomersService } from '../customers';

/** GET /customers gains healthMin, healthMax, band and sortBy=healthScore (ix_customer_health_tenant_score). */
@Injectable()
export class HealthListFilters implements OnModuleInit {
  constructor(private readonly customers: CustomersService) {}

  onModuleInit(): void {
    this.customers.registerListFilter((_tenantId, q) => healthFilterClauses(q));
    // Customers without a score yet sort as -1 (below every real score).
    this.customers.registerListSort('healthScore', {
      join: { table: 'customer_health', alias: 'hs_sort', on: 'hs_sort.customer_id = c.id' },
      expr: 'COALESCE(hs_sort.score, -1)',
    });
  }
}

export function healthFilterClauses(q: Record<string, unknown>): CustomerFilterClause[] {
  const conds: string[] = [];
  const params: Record<string, unknown> = {};
  if (typeof q.healthMin === 'number') {
    conds.push('hs.score >= :hs_min');
    params.hs_min = q.healthMin;
  }
  if (typeof q.healthMax === 'number') {
    conds.push('hs.score <= :hs_max');
    params.hs_max = q.healthMax;
  }
  if (Array.isArray(q.band) && q.band.length) {
    conds.push('hs.band IN (:...hs_bands)');
    params.hs_bands = q.band;
  }
  if (!conds.length) return [];
  return [{ sql: `EXISTS (SELECT 1 FROM customer_health hs WHERE hs.customer_id = c.id AND hs.tenant_id = c.tenant_id AND ${conds.join(' AND ')})`, params }];
}
