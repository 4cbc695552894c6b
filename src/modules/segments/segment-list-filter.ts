import { Injectable, OnModuleInit } from '@nestjs/common';
import { CustomersService } from '../customers';

/** GET /customers gains segmentId: current members only (segment_members primary key). */
@Injectable()
export class SegmentListFilter implements OnModuleInit {
  constructor(private readonly customers: CustomersService) {}

  onModuleInit(): void {
    this.customers.registerListFilter((_tenantId, q) =>
      typeof q.segmentId === 'string'
        ? [{ sql: 'EXISTS (SELECT 1 FROM segment_members sgf WHERE sgf.segment_id = :sgf_segment AND sgf.customer_id = c.id AND sgf.tenant_id = c.tenant_id)', params: { sgf_segment: q.segmentId } }]
        : [],
    );
  }
}
